import { InitialContent1764230400000 } from "./1764230400000-initial-content";
import { EditorialAndNewsletter1764316800000 } from "./1764316800000-editorial-and-newsletter";
import { TrendingViews1764403200000 } from "./1764403200000-trending-views";
import { ArticleSearch1795764000000 } from "./1795764000000-article-search";
import { ImportSources1795850400000 } from "./1795850400000-import-sources";
import { SearchUnderscoreWords1795936800000 } from "./1795936800000-search-underscore-words";
import { IdempotencyKeys1796022000000 } from "./1796022000000-idempotency-keys";
import { ContentEvents1796108400000 } from "./1796108400000-content-events";
import { Webhooks1796194800000 } from "./1796194800000-webhooks";
import { ArticleRevisions1796281200000 } from "./1796281200000-article-revisions";
import { LiveBlogs1796367600000 } from "./1796367600000-live-blogs";
import { TrustedDocuments1796540400000 } from "./1796540400000-trusted-documents";
import { LinkFeeds1796626800000 } from "./1796626800000-link-feeds";
import { ArticleMonths1796713200000 } from "./1796713200000-article-months";
import { ArticleCandidatesIndex1796799600000 } from "./1796799600000-article-candidates-index";
import { TagLinkLanguage1796886000000 } from "./1796886000000-tag-link-language";

/** Every migration, oldest first. A new one is added here as well as in its own file. */
export const migrations = [
  InitialContent1764230400000,
  EditorialAndNewsletter1764316800000,
  TrendingViews1764403200000,
  ArticleSearch1795764000000,
  ImportSources1795850400000,
  SearchUnderscoreWords1795936800000,
  IdempotencyKeys1796022000000,
  ContentEvents1796108400000,
  Webhooks1796194800000,
  ArticleRevisions1796281200000,
  LiveBlogs1796367600000,
  TrustedDocuments1796540400000,
  LinkFeeds1796626800000,
  ArticleMonths1796713200000,
  ArticleCandidatesIndex1796799600000,
  TagLinkLanguage1796886000000,
];
