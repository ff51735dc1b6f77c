import type { SearchFeeder } from "../search/engine/search-feeder";
import type { SphinxEngine } from "../search/engine/sphinx";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { Db } from "../db/sql";
import { createArticleLoaders } from "../article/article.loader";
import { ArticleService } from "../article/article.service";
import type { ArticleScope } from "../article/article.visibility";
import { createAuthorLoaders } from "../author/author.loader";
import { AuthorService } from "../author/author.service";
import { createSectionLoaders } from "../section/section.loader";
import { SectionService } from "../section/section.service";
import type { SiteSettings } from "../site/site.settings";
import { createTagLoaders } from "../tag/tag.loader";
import { TagService } from "../tag/tag.service";
import { badUserInput } from "./errors";
import { AuthService, type Viewer } from "../auth/auth.service";
import { ArticleWriter } from "../article/article.writer";
import { AuthorWriter } from "../author/author.writer";
import { SectionWriter } from "../section/section.writer";
import type { ContentEvents } from "../events";
import type { Lifecycle } from "../lifecycle";
import type { RateLimits } from "../rate-limit";
import type { Redis } from "ioredis";
import type { ResponseCache } from "../cache/response-cache";
import { NewsletterService } from "../newsletter/newsletter.service";
import { WebhookService } from "../webhooks/webhook.service";
import { ArticleRevisionService } from "../article/article-revision.service";
import { SearchService } from "../search/search.service";
import { WordStats } from "../search/word-stats";
import { createTrendingLoaders } from "../trending/trending.loader";
import { TrendingService } from "../trending/trending.service";
import { LiveBlogService } from "../live/live-blog.service";
import { LiveBlogWriter } from "../live/live-blog.writer";
import { LiveFeed } from "../live/live-feed";
import { createLiveBlogLoaders } from "../live/live-blog.loader";

export interface Services {
  articles: ArticleService;
  sections: SectionService;
  authors: AuthorService;
  tags: TagService;
  auth: AuthService;
  articleWriter: ArticleWriter;
  sectionWriter: SectionWriter;
  authorWriter: AuthorWriter;
  newsletter: NewsletterService;
  webhooks: WebhookService;
  revisions: ArticleRevisionService;
  search: SearchService;
  trending: TrendingService;
  live: LiveBlogService;
  liveWriter: LiveBlogWriter;
  /** This instance's subscriptions, fed by the content event stream. */
  liveFeed: LiveFeed;
}

/** What lives as long as the process: configuration, services, the clock. */
export interface AppDeps {
  config: Config;
  site: SiteSettings;
  db: Db;
  services: Services;
  log: Logger;
  /** Injectable so tests can move time across a publish moment. */
  clock: () => Date;
  /** Every editorial write announces what it changed here. */
  events: ContentEvents;
  /** Readiness and shutdown state. */
  lifecycle: Lifecycle;
  rateLimits: RateLimits;
  /** Shared caches and limits when REDIS_URL is set. */
  redis?: Redis;
  /** Whole responses of public queries, when RESPONSE_CACHE is on. */
  responseCache?: ResponseCache;
  /** Run on graceful shutdown after requests drained, before the database closes (flush buffers here). */
  shutdownHooks: Array<() => Promise<void>>;
  /** The search engine outside the database and its feeder, when SEARCH_ENGINE_URL is set. */
  searchEngine?: { client: SphinxEngine; feeder: SearchFeeder };
}

export function createServices(
  db: Db,
  deps: {
    config: Config;
    site: SiteSettings;
    clock: () => Date;
    events: ContentEvents;
    rateLimits: RateLimits;
    log: Logger;
    /** The search engine and what keeps it filled, when SEARCH_ENGINE_URL is set. */
    searchEngine?: { client: SphinxEngine; feeder: SearchFeeder };
  },
): Services {
  const articles = new ArticleService(db, { countExactLimit: deps.config.articles.countExactLimit });
  const live = new LiveBlogService(db);
  const authors = new AuthorService(db);
  const tags = new TagService(db);
  return {
    live,
    liveWriter: new LiveBlogWriter(db.dataSource, deps.clock, deps.events),
    liveFeed: new LiveFeed(deps.events, live, articles, deps.clock, deps.log, deps.config.subscriptions.maxQueued),
    articles,
    sections: new SectionService(db, deps.events),
    authors,
    tags,
    auth: new AuthService(db.dataSource, deps.clock),
    articleWriter: new ArticleWriter(
      db.dataSource,
      articles,
      deps.site,
      deps.clock,
      deps.events,
      deps.config.revisions,
    ),
    sectionWriter: new SectionWriter(db.dataSource, deps.events, deps.clock),
    authorWriter: new AuthorWriter(db.dataSource, deps.events, deps.clock),
    newsletter: new NewsletterService(db.dataSource, deps.config, deps.site, deps.clock, deps.rateLimits),
    webhooks: new WebhookService(db.dataSource, deps.config, deps.site, deps.clock),
    revisions: new ArticleRevisionService(db.dataSource),
    search: new SearchService(
      db,
      new WordStats(db, { sampleSize: deps.config.search.wordSampleSize, clock: deps.clock }, deps.log),
      deps.config.search.commonWordShare,
      deps.searchEngine ? { ...deps.searchEngine, log: deps.log, authors, tags } : undefined,
    ),
    trending: new TrendingService(db, deps.config.trending, deps.clock, deps.log, deps.events),
  };
}

/** What lives as long as one request: who is reading, when, and the request's loaders. */
export interface Context {
  app: AppDeps;
  requestId: string;
  /** The API key's holder, when the request carried a valid one. */
  viewer?: Viewer;
  /** Who the client is (see clientOf in http/guards.ts): `key` for rate limits, `fingerprint` for view dedupe. */
  client: { key: string; fingerprint: string };
  scope: ArticleScope;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(services: Services, scope: ArticleScope) {
  const tags = createTagLoaders(services.tags);
  return {
    articles: createArticleLoaders(services.articles, scope, (ids) => tags.byArticle.loadMany(ids)),
    sections: createSectionLoaders(services.sections),
    authors: createAuthorLoaders(services.authors),
    tags,
    trending: createTrendingLoaders(services.trending),
    live: createLiveBlogLoaders(services.live, scope),
  };
}

export function createContext(
  app: AppDeps,
  requestId: string,
  who: { viewer?: Viewer; client: Context["client"] } = { client: { key: "local", fingerprint: "local" } },
): Context {
  // Editors preview drafts and scheduled articles through lookups; lists stay public for everyone.
  const scope: ArticleScope = { now: app.clock(), preview: who.viewer !== undefined };
  return { app, requestId, ...who, scope, loaders: createLoaders(app.services, scope) };
}

/**
 * A subscription's context lives as long as the subscription: before each update it is run
 * against, the clock moves on and the loaders start empty, so nothing read for one update is
 * served stale to the next.
 */
export function refreshContext(ctx: Context): void {
  ctx.scope = { now: ctx.app.clock(), preview: false };
  ctx.loaders = createLoaders(ctx.app.services, ctx.scope);
}

/** A language argument must be one the site publishes in. */
export function assertSiteLanguage(ctx: Context, language: string, field: string): string {
  if (!ctx.app.site.languages.includes(language)) {
    throw badUserInput(
      `"${language}" is not one of the site's languages (${ctx.app.site.languages.join(", ")})`,
      field,
    );
  }
  return language;
}
