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

export interface Services {
  articles: ArticleService;
  sections: SectionService;
  authors: AuthorService;
  tags: TagService;
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
}

export function createServices(db: Db): Services {
  return {
    articles: new ArticleService(db),
    sections: new SectionService(db),
    authors: new AuthorService(db),
    tags: new TagService(db),
  };
}

/** What lives as long as one request: who is reading, when, and the request's loaders. */
export interface Context {
  app: AppDeps;
  requestId: string;
  scope: ArticleScope;
  loaders: ReturnType<typeof createLoaders>;
}

function createLoaders(services: Services, scope: ArticleScope) {
  return {
    articles: createArticleLoaders(services.articles, scope),
    sections: createSectionLoaders(services.sections),
    authors: createAuthorLoaders(services.authors),
    tags: createTagLoaders(services.tags),
  };
}

export function createContext(app: AppDeps, requestId: string): Context {
  const scope: ArticleScope = { now: app.clock() };
  return { app, requestId, scope, loaders: createLoaders(app.services, scope) };
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
