import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";
import { LocaleResolver } from "graphql-scalars";
import { Connection } from "../graphql/connection";
import { toGlobalId } from "../graphql/global-id";
import { Image } from "../graphql/image.type";
import type { RevisionContent } from "./article.revisions";
import { ArticleSource, ArticleStatus } from "./article.type";

export interface RevisionRow {
  id: number;
  articleId: number;
  version: number;
  savedAt: Date;
  savedBy: string;
  changed: string[];
  content: RevisionContent;
  /** Tag names, read with the page. */
  tagNames: string[];
}

export const revisionGlobalId = (id: number) => toGlobalId("ArticleRevision", id);

const STATUS: Record<string, ArticleStatus> = {
  draft: ArticleStatus.DRAFT,
  scheduled: ArticleStatus.SCHEDULED,
  published: ArticleStatus.PUBLISHED,
  archived: ArticleStatus.ARCHIVED,
};

/** One saved version of an article. Editors only: the public never sees revisions. */
@ObjectType("ArticleRevision", { simpleResolvers: true })
export class ArticleRevision {
  constructor(readonly row: RevisionRow) {}

  @Field(() => ID)
  get id(): string {
    return revisionGlobalId(this.row.id);
  }

  @Field(() => Int, { description: "The version the article got with this save." })
  get version(): number {
    return this.row.version;
  }

  @Field(() => Date)
  get savedAt(): Date {
    return this.row.savedAt;
  }

  @Field({ description: "The name of the API key that saved it, or import, seed, scheduler." })
  get savedBy(): string {
    return this.row.savedBy;
  }

  @Field(() => [String], { description: "The fields that differ from the revision before (all, for the first)." })
  get changedFields(): string[] {
    return this.row.changed;
  }

  @Field()
  get title(): string {
    return this.row.content.title;
  }

  @Field()
  get slug(): string {
    return this.row.content.slug;
  }

  @Field(() => LocaleResolver)
  get language(): string {
    return this.row.content.language;
  }

  @Field(() => String, { nullable: true })
  get standfirst(): string | null {
    return this.row.content.standfirst;
  }

  @Field({ description: "The body's HTML as saved." })
  get body(): string {
    return this.row.content.body;
  }

  @Field(() => ID)
  get sectionId(): string {
    return toGlobalId("Section", this.row.content.sectionId);
  }

  @Field(() => [ID])
  get authorIds(): string[] {
    return this.row.content.authorIds.map((id) => toGlobalId("Author", id));
  }

  @Field(() => [String])
  get tags(): string[] {
    return this.row.tagNames;
  }

  @Field(() => Image, { nullable: true })
  get heroImage(): Image | null {
    return Image.from(this.row.content.heroImage);
  }

  @Field(() => ArticleSource, { nullable: true })
  get source(): ArticleSource | null {
    const s = this.row.content.source;
    return s?.name ? Object.assign(new ArticleSource(), { name: s.name, url: s.url }) : null;
  }

  @Field(() => String, { nullable: true })
  get disclaimer(): string | null {
    return this.row.content.disclaimer;
  }

  @Field(() => ArticleStatus, {
    description: "The article's status as saved (a published one before its time: SCHEDULED).",
  })
  get status(): ArticleStatus {
    const { status, publishedAt } = this.row.content;
    if (status === "published" && publishedAt && new Date(publishedAt) > this.row.savedAt)
      return ArticleStatus.SCHEDULED;
    return STATUS[status] ?? ArticleStatus.DRAFT;
  }

  @Field(() => Date, { nullable: true })
  get publishedAt(): Date | null {
    return this.row.content.publishedAt ? new Date(this.row.content.publishedAt) : null;
  }

  @Field(() => Date, { nullable: true })
  get unpublishAt(): Date | null {
    return this.row.content.unpublishAt ? new Date(this.row.content.unpublishAt) : null;
  }
}

@ObjectType("ArticleRevisionConnection", { simpleResolvers: true })
export class ArticleRevisionConnection extends Connection<ArticleRevision, RevisionRow>(
  "ArticleRevision",
  ArticleRevision,
) {}

export enum BlockChangeKind {
  ADDED = "added",
  REMOVED = "removed",
  CHANGED = "changed",
  UNCHANGED = "unchanged",
}
registerEnumType(BlockChangeKind, { name: "BlockChangeKind" });

@ObjectType("RevisionFieldChange", { simpleResolvers: true })
export class RevisionFieldChange {
  @Field()
  field!: string;

  @Field(() => String, { nullable: true, description: "The old value: text as is, anything else as JSON." })
  old!: string | null;

  @Field(() => String, { nullable: true })
  new!: string | null;
}

@ObjectType("RevisionBlockChange", { simpleResolvers: true })
export class RevisionBlockChange {
  @Field(() => BlockChangeKind)
  kind!: BlockChangeKind;

  @Field(() => String, { nullable: true, description: "The block's HTML before (null when added)." })
  old!: string | null;

  @Field(() => String, { nullable: true, description: "The block's HTML after (null when removed)." })
  new!: string | null;
}

@ObjectType("ArticleRevisionComparison", { simpleResolvers: true })
export class ArticleRevisionComparison {
  @Field(() => ArticleRevision)
  from!: ArticleRevision;

  @Field(() => ArticleRevision)
  to!: ArticleRevision;

  @Field(() => [RevisionFieldChange], { description: "Every field whose value differs, body included." })
  fields!: RevisionFieldChange[];

  @Field(() => [RevisionBlockChange], {
    description: "The body, block by block: paragraphs added, removed, changed, unchanged.",
  })
  body!: RevisionBlockChange[];
}
