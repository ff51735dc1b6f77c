import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import { sectionUrl } from "../site/site.urls";
import { articleConnection } from "../article/article.resolver";
import { ArticleConnection } from "../article/article.type";
import type { Context } from "../graphql/context";
import { badUserInput } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { SectionArticlesArgs, SectionLookupArgs } from "./section.args";
import { Section } from "./section.type";
import type { SectionTree } from "./section.service";

@Resolver(() => Section)
export class SectionResolver {
  @Query(() => Section, { nullable: true })
  async section(@Args() { id, slug }: SectionLookupArgs, @Ctx() ctx: Context): Promise<Section | null> {
    if ((id == null) === (slug == null)) throw badUserInput("pass either id or slug", id == null ? "id" : "slug");
    const wanted = id != null ? fromGlobalIdOf("Section", id) : undefined;
    const find = (t: SectionTree) => (wanted !== undefined ? t.byId.get(wanted) : t.bySlug.get(slug!));
    const row = find(await ctx.loaders.sections.having((t) => find(t) !== undefined));
    return row ? new Section(row) : null;
  }

  @Query(() => [Section], { description: "Every section, top-level ones first in their set order." })
  async sections(@Ctx() ctx: Context): Promise<Section[]> {
    const tree = await ctx.loaders.sections.tree();
    const ordered: Section[] = [];
    const visit = (parentId: number | null) => {
      for (const row of tree.children(parentId)) {
        ordered.push(new Section(row));
        visit(row.id);
      }
    };
    visit(null);
    return ordered;
  }

  @FieldResolver(() => URLResolver)
  url(@Root() section: Section, @Ctx() ctx: Context): string {
    return sectionUrl(ctx.app.site.url, section.row.slug);
  }

  @FieldResolver(() => Section, { nullable: true })
  async parent(@Root() section: Section, @Ctx() ctx: Context): Promise<Section | null> {
    if (section.row.parentId == null) return null;
    const row = (await ctx.loaders.sections.tree()).byId.get(section.row.parentId);
    return row ? new Section(row) : null;
  }

  @FieldResolver(() => [Section])
  async children(@Root() section: Section, @Ctx() ctx: Context): Promise<Section[]> {
    return (await ctx.loaders.sections.tree()).children(section.row.id).map((row) => new Section(row));
  }

  @FieldResolver(() => ArticleConnection, { description: "Articles in this section and the sections below it." })
  async articles(
    @Root() section: Section,
    @Args() args: SectionArticlesArgs,
    @Ctx() ctx: Context,
  ): Promise<ArticleConnection> {
    const subtree = (await ctx.loaders.sections.tree()).subtreeIds(section.row.id);
    return articleConnection(ctx, args, args.filter, undefined, subtree);
  }
}
