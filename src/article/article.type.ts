import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { LocaleResolver, URLResolver } from "graphql-scalars";
import { Connection } from "../graphql/connection";
import { toGlobalId } from "../graphql/global-id";
import { Image } from "../graphql/image.type";
import { Node } from "../graphql/node.type";
import type { ArticleRow } from "./article.service";

export enum ArticleStatus {
  DRAFT = "DRAFT",
  SCHEDULED = "SCHEDULED",
  PUBLISHED = "PUBLISHED",
  ARCHIVED = "ARCHIVED",
}
registerEnumType(ArticleStatus, { name: "ArticleStatus" });

export enum ArticleOrder {
  PUBLISHED_AT_DESC = "PUBLISHED_AT_DESC",
  PUBLISHED_AT_ASC = "PUBLISHED_AT_ASC",
}
registerEnumType(ArticleOrder, { name: "ArticleOrder" });

@ObjectType("ArticleSource", { simpleResolvers: true })
export class ArticleSource {
  @Field()
  name!: string;

  @Field(() => URLResolver, { nullable: true })
  url!: string | null;
}

/** The public shape of an article. Relations and derived fields are resolved in ArticleResolver. */
@ObjectType("Article", { implements: Node, simpleResolvers: true })
export class Article implements Node {
  constructor(readonly row: ArticleRow) {}

  @Field(() => ID)
  get id(): string {
    return toGlobalId("Article", this.row.id);
  }

  @Field()
  get slug(): string {
    return this.row.slug;
  }

  @Field()
  get title(): string {
    return this.row.title;
  }

  @Field(() => String, { nullable: true })
  get standfirst(): string | null {
    return this.row.standfirst;
  }

  @Field(() => LocaleResolver)
  get language(): string {
    return this.row.language;
  }

  /** A published article whose moment has not come yet reads as SCHEDULED. */
  statusAt(now: Date): ArticleStatus {
    const { status, publishedAt } = this.row;
    if (status === "draft") return ArticleStatus.DRAFT;
    if (status === "archived") return ArticleStatus.ARCHIVED;
    return publishedAt && publishedAt <= now ? ArticleStatus.PUBLISHED : ArticleStatus.SCHEDULED;
  }

  @Field(() => Date, { nullable: true })
  get publishedAt(): Date | null {
    return this.row.publishedAt;
  }

  @Field(() => Date, {
    nullable: true,
    description: "When the article is taken down by itself (an embargo's end, a time-limited story); null when never.",
  })
  get unpublishAt(): Date | null {
    return this.row.unpublishAt;
  }

  @Field(() => Date)
  get updatedAt(): Date {
    return this.row.updatedAt;
  }

  @Field(() => Int, { description: "Bumped on every change; send it with updateArticle to detect conflicting edits." })
  get version(): number {
    return this.row.version;
  }

  @Field(() => Image, { nullable: true })
  get heroImage(): Image | null {
    return Image.from(this.row.heroImage);
  }

  @Field(() => ArticleSource, { nullable: true })
  get source(): ArticleSource | null {
    return this.row.source ? Object.assign(new ArticleSource(), this.row.source) : null;
  }
}

@ObjectType("ArticleConnection", { simpleResolvers: true })
export class ArticleConnection extends Connection<Article, ArticleRow>("Article", Article) {}
