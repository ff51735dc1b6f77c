import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { requireRole } from "../auth/auth.guard";
import type { Context } from "../graphql/context";
import { CreateArticleInput, UpdateArticleInput } from "./article.inputs";
import { Article } from "./article.type";

/** Editorial mutations: an editor or admin API key. Thin: the writer owns rules and transactions. */
@Resolver(() => Article)
export class ArticleMutationResolver {
  @Mutation(() => Article)
  async createArticle(
    @Arg("input", () => CreateArticleInput) input: CreateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, "editor");
    return new Article(await ctx.app.services.articleWriter.create(input, `key:${viewer.keyId}`, viewer.name));
  }

  @Mutation(() => Article)
  async updateArticle(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => UpdateArticleInput) input: UpdateArticleInput,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, "editor");
    return new Article(await ctx.app.services.articleWriter.update(id, input, viewer.name));
  }

  @Mutation(() => Article, { description: "Publishes now, or schedules for a future time." })
  async publishArticle(
    @Arg("id", () => ID) id: string,
    @Arg("at", () => Date, { nullable: true }) at: Date | undefined,
    @Arg("unpublishAt", () => Date, {
      nullable: true,
      description: "Takes the article down again at this moment (within a second), with no job to run.",
    })
    unpublishAt: Date | undefined,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, "editor");
    return new Article(await ctx.app.services.articleWriter.publish(id, at, unpublishAt, viewer.name));
  }

  @Mutation(() => Article)
  async unpublishArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    const viewer = requireRole(ctx.viewer, "editor");
    return new Article(await ctx.app.services.articleWriter.unpublish(id, viewer.name));
  }

  @Mutation(() => Article, {
    description: "Withdraws the article from the public site (status ARCHIVED); publishArticle brings it back.",
  })
  async archiveArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Article> {
    const viewer = requireRole(ctx.viewer, "editor");
    return new Article(await ctx.app.services.articleWriter.archive(id, viewer.name));
  }

  @Mutation(() => Boolean)
  async deleteArticle(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    const viewer = requireRole(ctx.viewer, "editor");
    return ctx.app.services.articleWriter.delete(id, viewer.name);
  }
}
