import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { requireRole } from "../auth/auth.guard";
import type { Context } from "../graphql/context";
import type { AuthorEntity } from "./author.entity";
import { AuthorInput } from "./author.inputs";
import { Author } from "./author.type";

const present = (a: AuthorEntity) =>
  new Author({
    id: a.id,
    slug: a.slug,
    name: a.name,
    role: a.role,
    bio: a.bio,
    avatar: a.avatarUrl
      ? {
          url: a.avatarUrl,
          alt: a.avatarAlt,
          caption: null,
          credit: null,
          width: a.avatarWidth,
          height: a.avatarHeight,
        }
      : null,
  });

@Resolver(() => Author)
export class AuthorMutationResolver {
  @Mutation(() => Author)
  async createAuthor(@Arg("input", () => AuthorInput) input: AuthorInput, @Ctx() ctx: Context): Promise<Author> {
    const viewer = requireRole(ctx.viewer, "admin");
    return present(await ctx.app.services.authorWriter.create(input, `key:${viewer.keyId}`));
  }

  @Mutation(() => Author)
  async updateAuthor(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => AuthorInput) input: AuthorInput,
    @Ctx() ctx: Context,
  ): Promise<Author> {
    requireRole(ctx.viewer, "admin");
    return present(await ctx.app.services.authorWriter.update(id, input));
  }
}
