import { Arg, Ctx, ID, Int, Mutation, Resolver } from "type-graphql";
import { requireRole } from "../auth/auth.guard";
import type { Context } from "../graphql/context";
import { notFound } from "../graphql/errors";
import { AddLivePostInput, UpdateLivePostInput } from "./live-blog.args";
import type { LiveBlogRow, LivePostRow } from "./live-blog.service";
import { LiveBlog, LivePost } from "./live-blog.type";

async function presentBlog(ctx: Context, row: LiveBlogRow): Promise<LiveBlog> {
  const [article] = await ctx.app.services.articles.lookupByIds({ now: ctx.app.clock(), preview: true }, [
    row.articleId,
  ]);
  if (!article) throw notFound("Article not found");
  return new LiveBlog(row, article);
}

async function presentPost(ctx: Context, row: LivePostRow): Promise<LivePost> {
  const [blog] = await ctx.app.services.live.blogs([row.articleId]);
  const [article] = await ctx.app.services.articles.lookupByIds({ now: ctx.app.clock(), preview: true }, [
    row.articleId,
  ]);
  return new LivePost(row, article?.language ?? ctx.app.site.defaultLanguage, blog?.pinnedPostId ?? null);
}

/** Live coverage for editors (an editor or admin key). Thin: the writer owns rules, transactions and events. */
@Resolver()
export class LiveBlogMutationResolver {
  @Mutation(() => LiveBlog, { description: "Starts (or reopens) live coverage on an article." })
  async startLiveBlog(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<LiveBlog> {
    requireRole(ctx.viewer, "editor");
    return presentBlog(ctx, await ctx.app.services.liveWriter.start(articleId));
  }

  @Mutation(() => LiveBlog, { description: "Ends live coverage: status ENDED, coverageEndedAt now." })
  async endLiveBlog(@Arg("articleId", () => ID) articleId: string, @Ctx() ctx: Context): Promise<LiveBlog> {
    requireRole(ctx.viewer, "editor");
    return presentBlog(ctx, await ctx.app.services.liveWriter.end(articleId));
  }

  @Mutation(() => LivePost)
  async addLivePost(
    @Arg("articleId", () => ID) articleId: string,
    @Arg("input", () => AddLivePostInput) input: AddLivePostInput,
    @Ctx() ctx: Context,
  ): Promise<LivePost> {
    requireRole(ctx.viewer, "editor");
    return presentPost(ctx, await ctx.app.services.liveWriter.addPost(articleId, input));
  }

  @Mutation(() => LivePost, { description: "Compare-and-set: CONFLICT when `version` is not the stored one." })
  async updateLivePost(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateLivePostInput) input: UpdateLivePostInput,
    @Arg("version", () => Int, { nullable: true }) version: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<LivePost> {
    requireRole(ctx.viewer, "editor");
    return presentPost(ctx, await ctx.app.services.liveWriter.updatePost(id, input, version));
  }

  @Mutation(() => Boolean, { description: "The post disappears from every path." })
  async deleteLivePost(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireRole(ctx.viewer, "editor");
    return ctx.app.services.liveWriter.deletePost(id);
  }

  @Mutation(() => LivePost, { description: "Pins the post; the one pinned before is unpinned." })
  async pinLivePost(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<LivePost> {
    requireRole(ctx.viewer, "editor");
    return presentPost(ctx, await ctx.app.services.liveWriter.pinPost(id, true));
  }

  @Mutation(() => LivePost)
  async unpinLivePost(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<LivePost> {
    requireRole(ctx.viewer, "editor");
    return presentPost(ctx, await ctx.app.services.liveWriter.pinPost(id, false));
  }

  @Mutation(() => LivePost, { description: "Marks (or with keyEvent: false, unmarks) a post as a key event." })
  async markKeyEvent(
    @Arg("id", () => ID) id: string,
    @Arg("keyEvent", () => Boolean, { nullable: true, defaultValue: true }) keyEvent: boolean,
    @Ctx() ctx: Context,
  ): Promise<LivePost> {
    requireRole(ctx.viewer, "editor");
    return presentPost(ctx, await ctx.app.services.liveWriter.markKeyEvent(id, keyEvent !== false));
  }
}
