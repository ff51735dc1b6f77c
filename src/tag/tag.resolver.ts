import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { articleConnection } from "../article/article.resolver";
import { ArticleConnection } from "../article/article.type";
import type { Context } from "../graphql/context";
import { ForwardPageArgs } from "../graphql/pagination";
import { Tag } from "./tag.type";

@Resolver(() => Tag)
export class TagResolver {
  @Query(() => Tag, { nullable: true })
  async tag(@Arg("slug", () => String) slug: string, @Ctx() ctx: Context): Promise<Tag | null> {
    const row = await ctx.loaders.tags.bySlug.load(slug);
    return row ? new Tag(row) : null;
  }

  @FieldResolver(() => ArticleConnection)
  articles(@Root() tag: Tag, @Args() args: ForwardPageArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    return articleConnection(ctx, args, undefined, undefined, undefined, { tagId: tag.row.id });
  }
}
