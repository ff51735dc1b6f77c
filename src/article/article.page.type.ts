import { Field, ObjectType } from "type-graphql";
import { JSONObjectResolver, URLResolver } from "graphql-scalars";
import type { ParsedBody } from "./article.body";

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

  @Field(() => JSONObjectResolver, {
    description:
      'schema.org JSON-LD for the page\'s <script type="application/ld+json">: a NewsArticle with headline, dates, authors, publisher, image, language, section.',
  })
  structuredData!: Record<string, unknown>;

  @Field(() => [SeoAlternate], {
    description: "Every public language version of the story, then x-default: the page's hreflang alternates.",
  })
  alternates!: SeoAlternate[];
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
