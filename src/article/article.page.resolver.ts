import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from "type-graphql";
import { JSONObjectResolver, LocaleResolver } from "graphql-scalars";
import { Max, Min } from "class-validator";
import type { Context } from "../graphql/context";
import { blocksWithAds, readingTimeMinutes, type ParsedBody } from "./article.body";
import { ArticleBlock, presentBlock } from "./article.body.type";
import { ArticleBody, Seo, SeoAlternate, ShareLinks } from "./article.page.type";
import { hreflangAlternates, newsArticleJsonLd } from "./article.seo";
import { liveBlogPosting, STRUCTURED_UPDATES } from "../live/live-blog.seo";
import { renditionUrl } from "../graphql/image.rendition";
import { PAGE_SIZES } from "../graphql/pagination";
import { articleUrl } from "../site/site.urls";
import { languageList } from "./article.args";
import { shareLinks } from "./article.presenter";
import { cutAtWord } from "./article.text";
import { Article } from "./article.type";

const EMPTY_BODY: ParsedBody = { html: "", blocks: [], adsAfter: [], text: "", wordCount: 0 };

@ArgsType()
class RelatedArgs {
  @Field(() => Int, { nullable: true, defaultValue: PAGE_SIZES.related.default })
  @Min(1)
  @Max(PAGE_SIZES.related.max)
  first?: number;
}

async function parsed(ctx: Context, article: Article): Promise<ParsedBody> {
  return (await ctx.loaders.articles.parsedBody.load(article.row.id)) ?? EMPTY_BODY;
}

/** Everything the article page needs beyond the article's own columns. */
@Resolver(() => Article)
export class ArticlePageResolver {
  @FieldResolver(() => ArticleBody)
  async body(@Root() article: Article, @Ctx() ctx: Context): Promise<ArticleBody> {
    return new ArticleBody(await parsed(ctx, article), article.id, article.row.language);
  }

  @FieldResolver(() => Int)
  async wordCount(@Root() article: Article, @Ctx() ctx: Context): Promise<number> {
    return (await parsed(ctx, article)).wordCount;
  }

  @FieldResolver(() => Int)
  async readingTimeMinutes(@Root() article: Article, @Ctx() ctx: Context): Promise<number> {
    return readingTimeMinutes((await parsed(ctx, article)).wordCount);
  }

  @FieldResolver(() => [Article], { description: "The same story in the other languages it is published in." })
  async translations(@Root() article: Article, @Ctx() ctx: Context): Promise<Article[]> {
    const versions = await ctx.loaders.articles.storyVersions.load(article.row.storyKey);
    const order = ctx.app.site.languages;
    return versions
      .filter((v) => v.id !== article.row.id)
      .sort((a, b) => order.indexOf(a.language) - order.indexOf(b.language) || a.id - b.id)
      .map((v) => new Article(v));
  }

  @FieldResolver(() => Article, {
    nullable: true,
    description: "This story in the first of [language, ...fallback] that exists, else null.",
  })
  async translation(
    @Root() article: Article,
    @Arg("language", () => LocaleResolver) language: string,
    @Arg("fallback", () => [LocaleResolver], { nullable: true }) fallback: string[] | undefined,
    @Ctx() ctx: Context,
  ): Promise<Article | null> {
    const wanted = languageList(ctx, language, fallback, { language: "language", fallback: "fallback" });
    const versions = await ctx.loaders.articles.storyVersions.load(article.row.storyKey);
    for (const lang of wanted) {
      const hit = versions.find((v) => v.language === lang);
      if (hit) return new Article(hit);
    }
    return null;
  }

  @FieldResolver(() => [Article], {
    description: "Other published articles sharing tags or section, most relevant first.",
  })
  async related(@Root() article: Article, @Args() { first }: RelatedArgs, @Ctx() ctx: Context): Promise<Article[]> {
    return (await ctx.loaders.articles.related(first ?? 5).load(article.row)).map((r) => new Article(r));
  }

  @FieldResolver(() => ShareLinks)
  shareLinks(@Root() article: Article, @Ctx() ctx: Context): ShareLinks {
    return Object.assign(new ShareLinks(), shareLinks(articleUrl(ctx.app.site.url, article.row), article.row.title));
  }

  @FieldResolver(() => Seo)
  async seo(@Root() article: Article, @Ctx() ctx: Context): Promise<Seo> {
    const description = article.row.standfirst
      ? cutAtWord(article.row.standfirst, 160)
      : cutAtWord((await parsed(ctx, article)).text, 160);
    const { images } = ctx.app.config;
    const hero = article.row.heroImage;
    return Object.assign(new Seo(), {
      title: article.row.title,
      description,
      canonicalUrl: articleUrl(ctx.app.site.url, article.row),
      imageUrl: hero ? renditionUrl(images.renditionTemplate, images.renditionWidths, hero.url, 1200) : null,
      article: article.row,
    });
  }
}

@Resolver(() => ArticleBody)
export class ArticleBodyResolver {
  @FieldResolver(() => [ArticleBlock], {
    description: "Structured blocks for native rendering; ad slots included unless withAds is false.",
  })
  blocks(
    @Root() body: ArticleBody,
    @Arg("withAds", () => Boolean, { nullable: true, defaultValue: true }) withAds: boolean | undefined,
  ): Array<typeof ArticleBlock> {
    return blocksWithAds(body.parsed, body.key, body.language, withAds !== false).map(presentBlock);
  }
}

/** What the article's own NewsArticle says better than the live blog's summary (the blog's dateModified is newer). */
function keep(news: Record<string, unknown>): Record<string, unknown> {
  const { headline, datePublished, inLanguage } = news;
  return Object.fromEntries(Object.entries({ headline, datePublished, inLanguage }).filter(([, v]) => v !== undefined));
}

/** Structured data and hreflang alternates: read (batched) only when a query asks for them. */
@Resolver(() => Seo)
export class SeoResolver {
  @FieldResolver(() => JSONObjectResolver, {
    description:
      'schema.org JSON-LD for the page\'s <script type="application/ld+json">: a NewsArticle with headline, dates, authors, publisher, image, language, section; for an article with live coverage, a LiveBlogPosting with the same fields, coverage start and end, and the newest updates.',
  })
  async structuredData(@Root() seo: Seo, @Ctx() ctx: Context): Promise<Record<string, unknown>> {
    const row = seo.article;
    const [versions, authors, tags, tree] = await Promise.all([
      ctx.loaders.articles.storyVersions.load(row.storyKey),
      ctx.loaders.authors.byArticle.load(row.id),
      ctx.loaders.tags.byArticle.load(row.id),
      ctx.loaders.sections.tree(),
    ]);
    const { images } = ctx.app.config;
    // A version without a photo of its own shows the story's (Google wants an image for Top Stories).
    const hero = row.heroImage ?? versions.find((v) => v.heroImage)?.heroImage ?? null;
    const news = newsArticleJsonLd(ctx.app.site, row, {
      authors,
      sectionName: tree.byId.get(row.sectionId)?.name ?? "",
      tags: tags.map((t) => t.name),
      images: hero ? [renditionUrl(images.renditionTemplate, images.renditionWidths, hero.url, 1200)] : [],
      description: seo.description,
    }) as unknown as Record<string, unknown>;
    // Live coverage says so (LiveBlogPosting, a kind of article), with its coverage times and updates.
    const blog = await ctx.loaders.live.byArticle.load(row.id);
    if (!blog) return news;
    const posts = await ctx.app.services.live.posts(row.id, { size: STRUCTURED_UPDATES, direction: "forward" });
    return { ...news, ...liveBlogPosting(articleUrl(ctx.app.site.url, row), row, blog, posts.items), ...keep(news) };
  }

  @FieldResolver(() => [SeoAlternate], {
    description: "Every public language version of the story, then x-default: the page's hreflang alternates.",
  })
  async alternates(@Root() seo: Seo, @Ctx() ctx: Context): Promise<SeoAlternate[]> {
    const versions = await ctx.loaders.articles.storyVersions.load(seo.article.storyKey);
    // An editor previewing a draft sees it among the alternates, as it will be once published.
    const all = versions.some((v) => v.id === seo.article.id) ? versions : [...versions, seo.article];
    return hreflangAlternates(ctx.app.site, all).map((a) => Object.assign(new SeoAlternate(), a));
  }
}
