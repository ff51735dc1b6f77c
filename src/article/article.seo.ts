import type { NewsArticle, WithContext } from "schema-dts";
import type { AuthorRow } from "../author/author.service";
import type { SiteSettings } from "../site/site.settings";
import { publicationName } from "../site/site.settings";
import { articleUrl, authorUrl } from "../site/site.urls";
import type { ArticleRow } from "./article.service";

/** One language version of a page for hreflang: `x-default` stands for readers of no listed language. */
export interface HreflangAlternate {
  hreflang: string;
  url: string;
}

/**
 * Every public language version of a story (in the site's language order), then `x-default`:
 * the version in the site's default language, else the first listed. The same list goes to the
 * API (Seo.alternates) and the sitemaps, so a page and its sitemap entry always agree, and each
 * version lists every other one (hreflang must point both ways).
 */
export function hreflangAlternates(site: SiteSettings, versions: readonly ArticleRow[]): HreflangAlternate[] {
  if (versions.length === 0) return [];
  const rank = (l: string) => {
    const i = site.languages.indexOf(l);
    return i < 0 ? site.languages.length : i;
  };
  // One version per language (slugs are unique per language, so two would be bad data): the oldest.
  const byLanguage = new Map<string, ArticleRow>();
  for (const v of [...versions].sort((a, b) => a.id - b.id))
    if (!byLanguage.has(v.language)) byLanguage.set(v.language, v);
  const ordered = [...byLanguage.values()].sort(
    (a, b) => rank(a.language) - rank(b.language) || a.language.localeCompare(b.language),
  );
  const fallback = byLanguage.get(site.defaultLanguage) ?? ordered[0]!;
  return [
    ...ordered.map((v) => ({ hreflang: v.language, url: articleUrl(site.url, v) })),
    { hreflang: "x-default", url: articleUrl(site.url, fallback) },
  ];
}

/** Google shows at most 110 characters of a headline. */
const HEADLINE_MAX = 110;

/**
 * schema.org NewsArticle as JSON-LD, with what Google's article structured data asks for
 * (headline, image, datePublished, dateModified, author with name and url) and the publisher.
 * Typed by schema-dts, so a misspelt property fails the build rather than the rich result.
 */
export function newsArticleJsonLd(
  site: SiteSettings,
  row: ArticleRow,
  extra: {
    authors: readonly Pick<AuthorRow, "name" | "slug">[];
    sectionName: string;
    tags: readonly string[];
    /** Absolute URLs of the hero image (renditions), largest first. */
    images: readonly string[];
    description: string;
  },
): WithContext<NewsArticle> {
  const url = articleUrl(site.url, row);
  const headline = row.title.length > HEADLINE_MAX ? `${row.title.slice(0, HEADLINE_MAX - 1)}…` : row.title;
  const published = (row.publishedAt ?? row.createdAt).toISOString();
  // A modification never reads earlier than the publication (a scheduled article edited before its moment).
  const modified = row.updatedAt > (row.publishedAt ?? row.createdAt) ? row.updatedAt.toISOString() : published;
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    mainEntityOfPage: { "@type": "WebPage", "@id": url },
    url,
    headline,
    description: extra.description,
    ...(extra.images.length ? { image: [...extra.images] } : {}),
    datePublished: published,
    dateModified: modified,
    inLanguage: row.language,
    isAccessibleForFree: true,
    articleSection: extra.sectionName,
    ...(extra.tags.length ? { keywords: [...extra.tags] } : {}),
    author: extra.authors.length
      ? extra.authors.map((a) => ({ "@type": "Person" as const, name: a.name, url: authorUrl(site.url, a.slug) }))
      : [{ "@type": "Organization" as const, name: publicationName(site, row.language), url: site.url }],
    publisher: { "@type": "NewsMediaOrganization", name: publicationName(site, row.language), url: site.url },
  };
}
