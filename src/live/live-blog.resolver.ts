import { Args, Ctx, FieldResolver, Resolver, Root, Arg, ID } from "type-graphql";
import { JSONObjectResolver } from "graphql-scalars";
import type { Context } from "../graphql/context";
import { toGlobalId } from "../graphql/global-id";
import { pageRequest } from "../graphql/pagination";
import { Article } from "../article/article.type";
import { ArticleBody } from "../article/article.page.type";
import { parseBody } from "../article/article.body";
import { articleUrl } from "../site/site.urls";
import { Author } from "../author/author.type";
import { KeyEventsArgs, LivePostsArgs } from "./live-blog.args";
import { decodeLivePostKey, decodeSince, livePostCursor } from "./live-blog.service";
import { LiveBlog, LivePost, LivePostConnection } from "./live-blog.type";
import { liveBlogPosting, STRUCTURED_UPDATES } from "./live-blog.seo";

/** Posts shown in the structured data's liveBlogUpdate (search engines read the newest). */

@Resolver(() => Article)
export class ArticleLiveBlogResolver {
  @FieldResolver(() => LiveBlog, {
    nullable: true,
    description: "The article's live coverage; null for ordinary articles.",
  })
  async liveBlog(@Root() article: Article, @Ctx() ctx: Context): Promise<LiveBlog | null> {
    const row = await ctx.loaders.live.byArticle.load(article.row.id);
    return row ? new LiveBlog(row, article.row) : null;
  }
}

@Resolver(() => LiveBlog)
export class LiveBlogResolver {
  @FieldResolver(() => LivePostConnection, {
    description:
      "Posts, newest first (keyset pages: stable while posts arrive). With `since`, only the posts added or changed after that cursor; deletedPostIds(since) lists the ones removed.",
  })
  async posts(@Root() blog: LiveBlog, @Args() args: LivePostsArgs, @Ctx() ctx: Context): Promise<LivePostConnection> {
    const page = pageRequest(args, decodeLivePostKey);
    const since = args.since != null ? decodeSince(args.since) : undefined;
    const service = ctx.app.services.live;
    const seq = blog.row.seq;
    return new LivePostConnection({
      page: await service.posts(blog.row.articleId, page, since),
      cursor: (row) => livePostCursor(row, seq),
      present: (row) => new LivePost(row, blog.article.language, blog.row.pinnedPostId),
      count: () => service.count(blog.row.articleId, since),
    });
  }

  @FieldResolver(() => LivePost, { nullable: true })
  async pinned(@Root() blog: LiveBlog, @Ctx() ctx: Context): Promise<LivePost | null> {
    if (blog.row.pinnedPostId == null) return null;
    const [row] = await ctx.app.services.live.postsByIds(ctx.scope, [blog.row.pinnedPostId]);
    return row ? new LivePost(row, blog.article.language, blog.row.pinnedPostId) : null;
  }

  @FieldResolver(() => [LivePost], { description: "Key events, newest first." })
  async keyEvents(@Root() blog: LiveBlog, @Args() { first }: KeyEventsArgs, @Ctx() ctx: Context): Promise<LivePost[]> {
    const rows = await ctx.app.services.live.keyEvents(blog.row.articleId, first ?? 10);
    return rows.map((row) => new LivePost(row, blog.article.language, blog.row.pinnedPostId));
  }

  @FieldResolver(() => [ID], { description: "Posts deleted since the cursor: what a polling page removes." })
  async deletedPostIds(
    @Root() blog: LiveBlog,
    @Arg("since", () => String) since: string,
    @Ctx() ctx: Context,
  ): Promise<string[]> {
    const ids = await ctx.app.services.live.deletedSince(blog.row.articleId, decodeSince(since));
    return ids.map((id) => toGlobalId("LivePost", id));
  }

  @FieldResolver(() => JSONObjectResolver, {
    description:
      'schema.org LiveBlogPosting (JSON-LD) for the page\'s <script type="application/ld+json">: coverage start and end, and the newest posts as liveBlogUpdate.',
  })
  async structuredData(@Root() blog: LiveBlog, @Ctx() ctx: Context): Promise<Record<string, unknown>> {
    const url = articleUrl(ctx.app.site.url, blog.article);
    const page = await ctx.app.services.live.posts(blog.row.articleId, {
      size: STRUCTURED_UPDATES,
      direction: "forward",
    });
    return liveBlogPosting(url, blog.article, blog.row, page.items);
  }
}

@Resolver(() => LivePost)
export class LivePostResolver {
  @FieldResolver(() => ArticleBody, { description: "The same sanitised blocks as articles, ad slots included." })
  body(@Root() post: LivePost): ArticleBody {
    return new ArticleBody(parseBody(post.row.body), post.id, post.language);
  }

  @FieldResolver(() => [Author], { description: "In byline order." })
  async authors(@Root() post: LivePost, @Ctx() ctx: Context): Promise<Author[]> {
    const rows = await ctx.loaders.authors.byId.loadMany(post.row.authorIds);
    return rows.flatMap((r) => (r && !(r instanceof Error) ? [new Author(r)] : []));
  }
}
