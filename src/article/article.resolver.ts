import { Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { URLResolver } from "graphql-scalars";
import { Author } from "../author/author.type";
import { assertSiteLanguage, type Context } from "../graphql/context";
import { badUserInput } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { pageRequest } from "../graphql/pagination";
import { Section } from "../section/section.type";
import { textFor } from "../site/site.settings";
import { Tag } from "../tag/tag.type";
import { ArticleFilter, ArticleLookupArgs, ArticlesArgs, ExcerptArgs, toArticleWhere } from "./article.args";
import { articleCursor, decodeArticleCursor } from "./article.service";
import { cutAtWord, htmlParagraphs } from "./article.text";
import { Article, ArticleConnection, ArticleOrder, ArticleStatus } from "./article.type";
import { articleUrl } from "../site/site.urls";
import { byline } from "./article.presenter";

/** Builds an article connection through the request's batched loaders; used by every article list. */
export async function articleConnection(
  ctx: Context,
  args: { first?: number | null; last?: number | null; after?: string | null; before?: string | null },
  filter: ArticleFilter | undefined,
  order: ArticleOrder = ArticleOrder.PUBLISHED_AT_DESC,
  withinSections?: number[],
  extra: { authorId?: number; tagId?: number } = {},
): Promise<ArticleConnection> {
  const page = pageRequest(args, decodeArticleCursor);
  const resolved = await toArticleWhere(ctx, filter, withinSections);
  const where = resolved && { ...resolved, ...extra };
  const empty = { items: [], hasNextPage: false, hasPreviousPage: false };
  return new ArticleConnection({
    page: where ? await ctx.loaders.articles.pages.load({ where, order, page }) : empty,
    cursor: articleCursor,
    present: (row) => new Article(row),
    count: async () => (where ? (await ctx.loaders.articles.counts.load(where)).count : 0),
    countIsEstimate: async () => (where ? (await ctx.loaders.articles.counts.load(where)).estimate : false),
  });
}

@Resolver(() => Article)
export class ArticleResolver {
  @Query(() => Article, {
    nullable: true,
    description: "One article by id, or by slug (slugs are unique per language). Null when missing or not public.",
  })
  async article(@Args() { id, slug, language }: ArticleLookupArgs, @Ctx() ctx: Context): Promise<Article | null> {
    if ((id == null) === (slug == null)) throw badUserInput("pass either id or slug", id == null ? "id" : "slug");
    if (language != null) assertSiteLanguage(ctx, language, "language");
    if (id != null) {
      const row = await ctx.loaders.articles.lookupById.load(fromGlobalIdOf("Article", id));
      return row && (language == null || row.language === language) ? new Article(row) : null;
    }
    const found = await ctx.app.services.articles.bySlugWithBody(
      ctx.scope,
      slug!,
      language,
      ctx.app.site.defaultLanguage,
    );
    if (!found) return null;
    ctx.loaders.articles.body.prime(found.row.id, found.body);
    return new Article(found.row);
  }

  @Query(() => ArticleConnection, {
    description: "Published articles, newest first by default. Relay cursor pagination; first/last at most 100.",
  })
  articles(@Args() args: ArticlesArgs, @Ctx() ctx: Context): Promise<ArticleConnection> {
    return articleConnection(ctx, args, args.filter, args.orderBy ?? undefined);
  }

  @FieldResolver(() => URLResolver, { description: "Canonical public URL of the article page." })
  url(@Root() article: Article, @Ctx() ctx: Context): string {
    return articleUrl(ctx.app.site.url, article.row);
  }

  @FieldResolver(() => ArticleStatus)
  status(@Root() article: Article, @Ctx() ctx: Context): ArticleStatus {
    return article.statusAt(ctx.scope.now);
  }

  @FieldResolver(() => String, { description: "The standfirst, or the body's opening cut at a word boundary." })
  async excerpt(@Root() article: Article, @Args() { maxLength }: ExcerptArgs, @Ctx() ctx: Context): Promise<string> {
    const max = maxLength ?? 200;
    if (article.row.standfirst) return cutAtWord(article.row.standfirst, max);
    const body = (await ctx.loaders.articles.body.load(article.row.id)) ?? "";
    return cutAtWord(htmlParagraphs(body).join(" "), max);
  }

  @FieldResolver(() => Section)
  section(@Root() article: Article, @Ctx() ctx: Context): Section | Promise<Section> {
    const id = article.row.sectionId;
    // A list page's articles find the tree the request already read: no promise per item.
    const read = ctx.loaders.sections.readWith(id);
    if (read) return new Section(read.byId.get(id)!);
    return ctx.loaders.sections
      .having((t) => t.byId.has(id))
      .then((tree) => {
        const row = tree.byId.get(id);
        // The foreign key guarantees the section; its absence means a broken database.
        if (!row) throw new Error(`article ${article.row.id} has no section ${id}`);
        return new Section(row);
      });
  }

  @FieldResolver(() => [Author], { description: "In byline order." })
  authors(@Root() article: Article, @Ctx() ctx: Context): Promise<Author[]> {
    return ctx.loaders.authors.byArticle.load(article.row.id).then((rows) => rows.map((row) => new Author(row)));
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Ready-made byline, e.g. 'Alex Ivanov, Moscow correspondent'.",
  })
  async byline(@Root() article: Article, @Ctx() ctx: Context): Promise<string | null> {
    return byline(article.row.language, await ctx.loaders.authors.byArticle.load(article.row.id));
  }

  @FieldResolver(() => [Tag])
  async tags(@Root() article: Article, @Ctx() ctx: Context): Promise<Tag[]> {
    return (await ctx.loaders.tags.byArticle.load(article.row.id)).map((row) => new Tag(row));
  }

  @FieldResolver(() => String, { nullable: true, description: "Article disclaimer, else the site's default one." })
  disclaimer(@Root() article: Article, @Ctx() ctx: Context): string | null {
    return article.row.disclaimer ?? textFor(ctx.app.site, ctx.app.site.disclaimer, article.row.language);
  }
}
