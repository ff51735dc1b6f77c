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
import { createArgumentValidator } from "./validate-args";
import { leanFieldResolvers, type LeanReplacement } from "./lean-resolvers";
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
import { ArticleLiveBlogResolver, LiveBlogResolver, LivePostResolver } from "../live/live-blog.resolver";
import { LiveBlogMutationResolver } from "../live/live-blog.mutation.resolver";
import { LiveSubscriptionResolver } from "../live/live.subscription.resolver";
import { LivePost } from "../live/live-blog.type";

let built: GraphQLSchema | undefined;
let lean: LeanReplacement[] = [];

/** The one function that builds the schema: the server, the schema emitter and the tests all use it. */
export function buildCourantSchema(): GraphQLSchema {
  if (built) return built;
  built = buildSchemaSync({
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
      ArticleLiveBlogResolver,
      LiveBlogResolver,
      LivePostResolver,
      LiveBlogMutationResolver,
      LiveSubscriptionResolver,
    ],
    orphanedTypes: [Article, Section, Author, Tag, LivePost],
    validate: { forbidUnknownValues: false },
    validateFn: createArgumentValidator(),
    // Subscriptions bring their own source (src/live/live-feed.ts, fed by content events); type-graphql
    // insists on a pub/sub for topic-based ones, which Courant does not use.
    pubSub: {
      publish: () => {
        throw new Error("Courant subscriptions are fed by content events, not by topics");
      },
      subscribe: () => {
        throw new Error("Courant subscriptions are fed by content events, not by topics");
      },
    },
  });
  // type-graphql's general resolver wrapper, where a field needs none of it (see lean-resolvers.ts).
  lean = leanFieldResolvers(built);
  return built;
}

/** The fields whose type-graphql resolver was replaced by a lean one, with the original (for tests). */
export function leanReplacements(): readonly LeanReplacement[] {
  buildCourantSchema();
  return lean;
}

/** The committed form of the schema (schema/schema.graphql). */
export function printCourantSchema(): string {
  return `${printSchema(lexicographicSortSchema(buildCourantSchema()))}\n`;
}
