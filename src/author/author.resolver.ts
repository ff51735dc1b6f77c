import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import { authorUrl } from "../site/site.urls";
import { articleConnection } from "../article/article.resolver";
import { ArticleConnection } from "../article/article.type";
import type { Context } from "../graphql/context";
import { badUserInput } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { ForwardPageArgs, pageRequest } from "../graphql/pagination";
import { AuthorLookupArgs } from "./author.args";
import { authorCursor, decodeAuthorCursor } from "./author.service";
import { Author, AuthorConnection } from "./author.type";

@Resolver(() => Author)
export class AuthorResolver {
  @Query(() => Author, { nullable: true })
  async author(@Args() { id, slug }: AuthorLookupArgs, @Ctx() ctx: Context): Promise<Author | null> {
    if ((id == null) === (slug == null)) throw badUserInput("pass either id or slug", id == null ? "id" : "slug");
    const row =
      id != null
        ? await ctx.loaders.authors.byId.load(fromGlobalIdOf("Author", id))
        : await ctx.loaders.authors.bySlug.load(slug!);
    return row ? new Author(row) : null;
  }

  @Query(() => AuthorConnection, { description: "Authors in name order." })
  async authors(@Args() args: ForwardPageArgs, @Ctx() ctx: Context): Promise<AuthorConnection> {
    const page = await ctx.app.services.authors.page(pageRequest(args, decodeAuthorCursor));
    return new AuthorConnection({
      page,
      cursor: authorCursor,
      present: (row) => new Author(row),
      count: () => ctx.app.services.authors.count(),
    });
  }

  @FieldResolver(() => URLResolver)
  url(@Root() author: Author, @Ctx() ctx: Context): string {
    return authorUrl(ctx.app.site.url, author.row.slug);
  }

  @FieldResolver(() => ArticleConnection)
  articles(@Root() author: Author, @Args() args: ForwardPageArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    return articleConnection(ctx, args, undefined, undefined, undefined, { authorId: author.row.id });
  }
}
