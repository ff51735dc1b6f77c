import { Readable } from "node:stream";
import { SitemapIndexStream, SitemapStream, type SitemapItemLoose } from "sitemap";
import type { ArticleScope } from "../article/article.visibility";
import type { ArticleRow, ArticleWhere } from "../article/article.service";
import { hreflangAlternates } from "../article/article.seo";
import type { AuthorService } from "../author/author.service";
import type { SectionService } from "../section/section.service";
import { publicationName, type SiteSettings } from "../site/site.settings";
import { articleUrl, authorUrl, sectionUrl } from "../site/site.urls";
import { monthRange, type ArchiveMonth, type DistributionService } from "./distribution.service";

/** The sitemap protocol's limits per file. */
export const MAX_URLS_PER_FILE = 50_000;
export const MAX_BYTES_PER_FILE = 50 * 1024 * 1024;
/** Google News reads at most 1,000 URLs of the last two days. */
export const NEWS_MAX_URLS = 1000;
export const NEWS_WINDOW_MS = 48 * 60 * 60 * 1000;

/** Bytes one <url> may take at most: its loc and lastmod, and an xhtml:link per site language plus x-default. */
function worstUrlBytes(site: SiteSettings): number {
  // Slugs are ASCII (SLUG_PATTERN), at most 200 characters; languages at most 35; XML escaping
  // of "&" cannot occur in either.
  const url = site.url.length + 1 + 35 + 1 + 200;
  const loc = url + 100;
  const link = url + 35 + 60;
  return loc + (site.languages.length + 1) * link;
}

/** URLs per monthly file: the configured number, and never more than 50 MB could hold in the worst case. */
export function urlsPerFile(site: SiteSettings, configured: number): number {
  return Math.max(1, Math.min(configured, MAX_URLS_PER_FILE, Math.floor(MAX_BYTES_PER_FILE / worstUrlBytes(site))));
}

/** `2026-11` for the first part of a month, `2026-11-2` for the second, ... */
export function partName(month: string, part: number): string {
  return part === 1 ? month : `${month}-${part}`;
}

export function parsePartName(name: string): { month: string; part: number } | null {
  const m = /^(\d{4}-\d{2})(?:-([1-9]\d{0,5}))?$/.exec(name);
  if (!m || !monthRange(m[1]!)) return null;
  const part = m[2] ? Number(m[2]) : 1;
  // "-1" is the first part's other name; only the canonical one is served.
  if (m[2] === "1") return null;
  return { month: m[1]!, part };
}

const toStream = (xml: SitemapStream | SitemapIndexStream, items: AsyncIterable<unknown> | Iterable<unknown>) =>
  Readable.from(items).pipe(xml);

/**
 * An empty urlset is a valid sitemap (a quiet news day), but the library refuses to end a
 * stream it wrote nothing to: this is the one document written here by hand.
 */
function emptyUrlset(news: boolean): Readable {
  const ns = news ? ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' : "";
  return Readable.from([
    `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"${ns}></urlset>`,
  ]);
}

export class Sitemaps {
  constructor(
    private readonly site: SiteSettings,
    private readonly distribution: DistributionService,
    private readonly sections: SectionService,
    private readonly authors: AuthorService,
    private readonly perFile: number,
  ) {}

  /** The index: a file per month (and part), then the sections and authors file. */
  async index(scope: ArticleScope): Promise<{ stream: Readable; months: ArchiveMonth[] }> {
    const months = await this.distribution.archiveMonths(scope);
    const base = this.site.url;
    const items: Array<{ url: string }> = [];
    for (const m of months) {
      const parts = Math.max(1, Math.ceil(m.count / this.perFile));
      for (let p = 1; p <= parts; p++) items.push({ url: `${base}/sitemaps/${partName(m.month, p)}.xml` });
    }
    items.push({ url: `${base}/sitemaps/pages.xml` });
    return { stream: toStream(new SitemapIndexStream(), items), months };
  }

  /**
   * One month (part) of the archive, streamed: rows are read in keyset batches as the client
   * takes them, so memory stays flat however large the month. Null when there is no such part.
   * The first batch is read before anything is sent, so a database failure still answers
   * a clean error.
   */
  async month(scope: ArticleScope, name: string): Promise<Readable | null> {
    const parsed = parsePartName(name);
    if (!parsed) return null;
    const range = monthRange(parsed.month)!;
    const where: ArticleWhere = { publishedAfter: range.from, publishedBefore: range.to };
    const start = await this.distribution.partStart(scope, where, parsed.part, this.perFile);
    if (start === undefined) return null;
    const batches = this.distribution.walk(scope, where, start, this.perFile);
    const first = await batches.next();
    if (first.done && parsed.part > 1) return null;
    const site = this.site;
    async function* items(): AsyncGenerator<SitemapItemLoose> {
      const entry = ({ row, versions }: { row: ArticleRow; versions: ArticleRow[] }): SitemapItemLoose => {
        const alternates = hreflangAlternates(site, versions);
        return {
          url: articleUrl(site.url, row),
          lastmod: row.updatedAt.toISOString(),
          links: alternates.map((a) => ({ lang: a.hreflang, url: a.url })),
        };
      };
      if (first.done) return;
      for (const e of first.value) yield entry(e);
      for await (const batch of batches) for (const e of batch) yield entry(e);
    }
    return toStream(new SitemapStream({ xmlns: { news: false, xhtml: true, image: false, video: false } }), items());
  }

  /** Section and author pages. */
  async pages(): Promise<Readable> {
    const tree = await this.sections.tree();
    const base = this.site.url;
    const items: SitemapItemLoose[] = tree.rows.map((s) => ({ url: sectionUrl(base, s.slug) }));
    let after: [string, number] | undefined;
    while (items.length < this.perFile) {
      const page = await this.authors.page({
        size: Math.min(1000, this.perFile - items.length),
        direction: "forward",
        after,
      });
      for (const a of page.items) items.push({ url: authorUrl(base, a.slug) });
      if (!page.hasNextPage || page.items.length === 0) break;
      const last = page.items[page.items.length - 1]!;
      after = [last.name, last.id];
    }
    if (items.length === 0) return emptyUrlset(false);
    return toStream(new SitemapStream({ xmlns: { news: false, xhtml: false, image: false, video: false } }), items);
  }

  /**
   * Google News: the public articles of the last 48 hours, newest first, optionally of one
   * language. Also returns when its oldest entry ages out, which caches must not outlive.
   */
  async news(
    scope: ArticleScope,
    language: string | undefined,
  ): Promise<{ stream: Readable; rows: ArticleRow[]; expiresAt: Date | null }> {
    const since = new Date(scope.now.getTime() - NEWS_WINDOW_MS);
    const rows = await this.distribution.newest(
      scope,
      { publishedAfter: since, ...(language ? { language } : {}) },
      NEWS_MAX_URLS,
    );
    const items: SitemapItemLoose[] = rows.map((row) => ({
      url: articleUrl(this.site.url, row),
      news: {
        publication: { name: publicationName(this.site, row.language), language: row.language },
        publication_date: row.publishedAt!.toISOString(),
        title: row.title,
      },
    }));
    const oldest = rows[rows.length - 1];
    return {
      stream:
        items.length === 0
          ? emptyUrlset(true)
          : toStream(new SitemapStream({ xmlns: { news: true, xhtml: false, image: false, video: false } }), items),
      rows,
      expiresAt: oldest ? new Date(oldest.publishedAt!.getTime() + NEWS_WINDOW_MS) : null,
    };
  }
}
