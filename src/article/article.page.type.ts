import { Field, ObjectType } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import type { ParsedBody } from "./article.body";
import type { ArticleRow } from "./article.service";

@ObjectType("ShareLinks", { simpleResolvers: true })
export class ShareLinks {
  @Field(() => URLResolver)
  facebook!: string;

  @Field(() => URLResolver)
  x!: string;

  @Field(() => URLResolver)
  linkedin!: string;

  @Field(() => URLResolver)
  whatsapp!: string;

  @Field(() => URLResolver)
  telegram!: string;

  @Field(() => URLResolver)
  reddit!: string;

  @Field(() => URLResolver)
  email!: string;
}

@ObjectType("SeoAlternate", {
  simpleResolvers: true,
  description: 'One language version of the page, for <link rel="alternate" hreflang>.',
})
export class SeoAlternate {
  @Field({ description: "A language code, or x-default." })
  hreflang!: string;

  @Field(() => URLResolver)
  url!: string;
}

@ObjectType("Seo", { simpleResolvers: true })
export class Seo {
  @Field()
  title!: string;

  @Field()
  description!: string;

  @Field(() => URLResolver)
  canonicalUrl!: string;

  @Field(() => URLResolver, { nullable: true })
  imageUrl!: string | null;

  /** The article it describes: structuredData and alternates are resolved from it (SeoResolver) only when asked for. */
  article!: ArticleRow;
}

/** The body of one article; blocks are resolved in ArticleBodyResolver. */
@ObjectType("ArticleBody", { simpleResolvers: true })
export class ArticleBody {
  constructor(
    readonly parsed: ParsedBody,
    /** Stable prefix of ad slot ids: the article's global id. */
    readonly key: string,
    readonly language: string,
  ) {}

  @Field({ description: "Sanitised HTML." })
  get html(): string {
    return this.parsed.html;
  }

  @Field({ description: "Plain text, paragraphs separated by blank lines." })
  get text(): string {
    return this.parsed.text;
  }
}
