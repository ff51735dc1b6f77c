import { GraphQLError } from "graphql";
import { Arg, Ctx, ID, Resolver, Root, Subscription } from "type-graphql";
import { assertSiteLanguage, refreshContext, type Context } from "../graphql/context";
import { badUserInput } from "../graphql/errors";
import { fromGlobalIdOf, toGlobalId } from "../graphql/global-id";
import type { ArticleRow } from "../article/article.service";
import { Article } from "../article/article.type";
import { OVERFLOW, type LiveUpdate } from "./live-feed";
import { LiveBlog, LiveBlogEvent, LiveBlogUpdate, LivePost } from "./live-blog.type";

const EVENTS: Record<string, LiveBlogEvent> = {
  "live.started": LiveBlogEvent.STARTED,
  "live.ended": LiveBlogEvent.ENDED,
  "live.post_added": LiveBlogEvent.POST_ADDED,
  "live.post_updated": LiveBlogEvent.POST_UPDATED,
  "live.post_deleted": LiveBlogEvent.POST_DELETED,
  "live.post_pinned": LiveBlogEvent.POST_PINNED,
  "live.post_unpinned": LiveBlogEvent.POST_UNPINNED,
};

const slowConsumer = () =>
  new GraphQLError("This subscriber fell too far behind and missed updates; subscribe again (and poll to catch up)", {
    extensions: { code: "SLOW_CONSUMER" },
  });

/**
 * Real-time updates over WebSocket (graphql-ws on /graphql). Public data only: the feed reads
 * every update as the public sees it, whoever subscribed.
 */
@Resolver()
export class LiveSubscriptionResolver {
  @Subscription(() => LiveBlogUpdate, {
    description:
      "A live blog's changes as they happen: posts added, updated, deleted, pinned; coverage started or ended. Nothing while the article is not public.",
    subscribe: ({ args, context }) =>
      (context as Context).app.services.liveFeed.liveBlog(
        fromGlobalIdOf("Article", String(args.articleId), "articleId"),
      ),
  })
  liveBlogUpdated(
    @Root() update: LiveUpdate | typeof OVERFLOW,
    @Arg("articleId", () => ID) _articleId: string,
    @Ctx() ctx: Context,
  ): LiveBlogUpdate {
    refreshContext(ctx);
    if (update === OVERFLOW) throw slowConsumer();
    const language = update.article.language;
    return Object.assign(new LiveBlogUpdate(), {
      event: EVENTS[update.type] ?? LiveBlogEvent.POST_UPDATED,
      postId: update.postId != null ? toGlobalId("LivePost", update.postId) : null,
      post: update.post ? new LivePost(update.post, language, update.blog.pinnedPostId) : null,
      liveBlog: new LiveBlog(update.blog, update.article),
    });
  }

  @Subscription(() => Article, {
    description:
      "Articles as they become public (published now, or a scheduled one reaching its moment), for breaking-news banners and push. `section` includes its subsections.",
    subscribe: async ({ args, context }) => {
      const ctx = context as Context;
      const language = args.language == null ? undefined : assertSiteLanguage(ctx, String(args.language), "language");
      let sectionIds: Set<number> | undefined;
      if (args.section != null) {
        const slug = String(args.section);
        const tree = await ctx.loaders.sections.having((t) => t.bySlug.has(slug));
        const section = tree.bySlug.get(slug);
        if (!section) throw badUserInput("no such section", "section");
        sectionIds = new Set(tree.subtreeIds(section.id));
      }
      return ctx.app.services.liveFeed.articlePublished({ sectionIds, language });
    },
  })
  articlePublished(
    @Root() article: ArticleRow | typeof OVERFLOW,
    @Arg("section", () => String, { nullable: true, description: "A section slug." }) _section: string | undefined,
    @Arg("language", () => String, { nullable: true }) _language: string | undefined,
    @Ctx() ctx: Context,
  ): Article {
    refreshContext(ctx);
    if (article === OVERFLOW) throw slowConsumer();
    return new Article(article);
  }
}
