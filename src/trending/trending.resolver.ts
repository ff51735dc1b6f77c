import { Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { ArticleRow } from "../article/article.service";
import { Article } from "../article/article.type";
import { assertSiteLanguage, type Context } from "../graphql/context";
import { fromGlobalIdOf } from "../graphql/global-id";
import { Section } from "../section/section.type";
import { DEFAULT_TRENDING_SIZE, RecordViewArgs, SectionTrendingArgs, TrendingArgs } from "./trending.args";
import { SPARE_CANDIDATES, type RankingKey } from "./trending.service";
import { Trending, TrendingItem, TrendingWindow } from "./trending.type";

/** Presents a ranking: re-checks each article's visibility through the request's loader (one statement). */
async function trendingList(ctx: Context, key: RankingKey, first: number): Promise<Trending> {
  const ranking = await ctx.loaders.trending.rankings.load(key);
  const candidates = ranking.items.slice(0, first + SPARE_CANDIDATES);
  const rows = await ctx.loaders.articles.byId.loadMany(candidates.map((c) => c.articleId));
  const items: TrendingItem[] = [];
  candidates.forEach((candidate, i) => {
    const row = rows[i];
    if (row instanceof Error) throw row;
    if (!row || items.length >= first || !matches(row, key)) return;
    items.push(
      Object.assign(new TrendingItem(), {
        rank: items.length + 1,
        score: candidate.score,
        views: candidate.views,
        article: new Article(row),
      }),
    );
  });
  return Object.assign(new Trending(), { window: key.window, generatedAt: ranking.generatedAt, items });
}

/** An article may have moved section or language since it was ranked. */
const matches = (row: ArticleRow, key: RankingKey): boolean =>
  (key.language === undefined || row.language === key.language) &&
  (key.sectionIds === undefined || key.sectionIds.includes(row.sectionId));

@Resolver()
export class TrendingResolver {
  @Query(() => Trending, {
    description: "Most-read published articles in a time window, with recent views weighing more.",
  })
  async trending(@Args() args: TrendingArgs, @Ctx() ctx: Context): Promise<Trending> {
    const window = args.window ?? TrendingWindow.DAY;
    const first = args.first ?? DEFAULT_TRENDING_SIZE;
    const language = args.language ?? undefined;
    if (language !== undefined) assertSiteLanguage(ctx, language, "language");
    let sectionIds: number[] | undefined;
    if (args.section != null) {
      const slug = args.section;
      const tree = await ctx.loaders.sections.having((t) => t.bySlug.has(slug));
      const section = tree.bySlug.get(slug);
      // An unknown section has no articles: nothing to rank.
      if (!section) return Object.assign(new Trending(), { window, generatedAt: ctx.scope.now, items: [] });
      sectionIds = tree.subtreeIds(section.id);
    }
    return trendingList(ctx, { window, sectionIds, language }, first);
  }

  @Mutation(() => Boolean, {
    description: "Counts one view for trending. Public; rate-limited per client. True when the view counted.",
  })
  async recordView(@Args() { articleId, viewId }: RecordViewArgs, @Ctx() ctx: Context): Promise<boolean> {
    const id = fromGlobalIdOf("Article", articleId, "articleId");
    const outcome = await ctx.app.services.trending.views.record({
      articleId: id,
      viewId: viewId ?? undefined,
      client: ctx.client.fingerprint,
    });
    return outcome === "counted";
  }
}

@Resolver(() => Section)
export class SectionTrendingResolver {
  @FieldResolver(() => Trending, { description: "Most-read articles in this section and the sections below it." })
  async trending(@Root() section: Section, @Args() args: SectionTrendingArgs, @Ctx() ctx: Context): Promise<Trending> {
    const subtree = (await ctx.loaders.sections.tree()).subtreeIds(section.row.id);
    return trendingList(
      ctx,
      { window: args.window ?? TrendingWindow.DAY, sectionIds: subtree },
      args.first ?? DEFAULT_TRENDING_SIZE,
    );
  }
}
