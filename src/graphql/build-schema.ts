import "reflect-metadata";
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from "graphql";
import { buildSchemaSync } from "type-graphql";
import { ArticleResolver } from "../article/article.resolver";
import { Article } from "../article/article.type";
import { AuthorResolver } from "../author/author.resolver";
import { Author } from "../author/author.type";
import { SectionResolver } from "../section/section.resolver";
import { Section } from "../section/section.type";
import { SiteResolver } from "../site/site.resolver";
import { TagResolver } from "../tag/tag.resolver";
import { Tag } from "../tag/tag.type";
import { ImageResolver } from "./image.resolver";
import { NodeResolver } from "./node.resolver";
import { ArticleBodyResolver, ArticlePageResolver, SeoResolver } from "../article/article.page.resolver";
import { ArticleMutationResolver } from "../article/article.mutation.resolver";
import { AuthorMutationResolver } from "../author/author.mutation.resolver";
import { NewsletterResolver } from "../newsletter/newsletter.resolver";
import { SectionMutationResolver } from "../section/section.mutation.resolver";
import { SearchResolver } from "../search/search.resolver";
import { WebhookResolver } from "../webhooks/webhook.resolver";
import { ArticleRevisionResolver } from "../article/article-revision.resolver";
import { SectionTrendingResolver, TrendingResolver } from "../trending/trending.resolver";

let built: GraphQLSchema | undefined;

/** The one function that builds the schema: the server, the schema emitter and the tests all use it. */
export function buildCourantSchema(): GraphQLSchema {
  built ??= buildSchemaSync({
    resolvers: [
      ArticleResolver,
      ArticlePageResolver,
      ArticleBodyResolver,
      SeoResolver,
      ImageResolver,
      SectionResolver,
      AuthorResolver,
      TagResolver,
      NodeResolver,
      SiteResolver,
      ArticleMutationResolver,
      SectionMutationResolver,
      AuthorMutationResolver,
      NewsletterResolver,
      SearchResolver,
      TrendingResolver,
      SectionTrendingResolver,
      WebhookResolver,
      ArticleRevisionResolver,
    ],
    orphanedTypes: [Article, Section, Author, Tag],
    validate: { forbidUnknownValues: false },
  });
  return built;
}

/** The committed form of the schema (schema/schema.graphql). */
export function printCourantSchema(): string {
  return `${printSchema(lexicographicSortSchema(buildCourantSchema()))}\n`;
}
