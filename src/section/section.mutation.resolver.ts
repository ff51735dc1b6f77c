import { Arg, Ctx, ID, Mutation, Resolver } from "type-graphql";
import { requireRole } from "../auth/auth.guard";
import type { Context } from "../graphql/context";
import { SectionInput } from "./section.inputs";
import { Section } from "./section.type";

@Resolver(() => Section)
export class SectionMutationResolver {
  @Mutation(() => Section)
  async createSection(@Arg("input", () => SectionInput) input: SectionInput, @Ctx() ctx: Context): Promise<Section> {
    const viewer = requireRole(ctx.viewer, "admin");
    return new Section(await ctx.app.services.sectionWriter.create(input, `key:${viewer.keyId}`));
  }

  @Mutation(() => Section)
  async updateSection(
    @Arg("id", () => ID) id: string,
    @Arg("input", () => SectionInput) input: SectionInput,
    @Ctx() ctx: Context,
  ): Promise<Section> {
    requireRole(ctx.viewer, "admin");
    return new Section(await ctx.app.services.sectionWriter.update(id, input));
  }
}
