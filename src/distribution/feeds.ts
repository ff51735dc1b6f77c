import { Feed, type Item } from "feed";
import type { ArticleRow, ArticleService } from "../article/article.service";
import type { ArticleScope } from "../article/article.visibility";
import { parseBody } from "../article/article.body";
import { cutAtWord } from "../article/article.text";
import type { AuthorService } from "../author/author.service";
import type { Config } from "../config";
import { renditionUrl } from "../graphql/image.rendition";
import type { SectionRow, SectionService } from "../section/section.service";
import type { TagService } from "../tag/tag.service";
import { publicationName, textFor, type SiteSettings } from "../site/site.settings";
import { articleUrl, authorUrl, sectionUrl } from "../site/site.urls";
import type { DistributionService } from "./distribution.service";

export type FeedFormat = "rss" | "atom";

/** What a feed read: for its surrogate keys (the caller records reads around it). */
export interface BuiltFeed {
  xml: string;
  rows: ArticleRow[];
}

const IMAGE_TYPES: Record<string, string> = {
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  gif: "image/gif",
  webp: "image/webp",
  avif: "image/avif",
};

const imageType = (url: string) =>
  IMAGE_TYPES[/\.([a-z0-9]+)(?:[?#]|$)/i.exec(new URL(url).pathname)?.[1]?.toLowerCase() ?? ""] ?? "image/jpeg";

/**
 * RSS 2.0 and Atom 1.0 feeds of a language edition, or of one section (with its child sections)
 * in it: the newest public articles, with authors, section, tags and hero image. XML is written
 * by the `feed` library.
 */
export class Feeds {
  constructor(
    private readonly site: SiteSettings,
    private readonly config: Config,
    private readonly distribution: DistributionService,
    private readonly articles: ArticleService,
    private readonly sections: SectionService,
    private readonly authors: AuthorService,
    private readonly tags: TagService,
  ) {}

  /** Null when `sectionSlug` names no section. */
  async build(
    scope: ArticleScope,
    language: string,
    sectionSlug: string | undefined,
    format: FeedFormat,
  ): Promise<BuiltFeed | null> {
    const tree = await this.sections.having((t) => sectionSlug === undefined || t.bySlug.has(sectionSlug));
    let section: SectionRow | undefined;
    if (sectionSlug !== undefined) {
      section = tree.bySlug.get(sectionSlug);
      if (!section) return null;
    }
    const rows = await this.distribution.newest(
      scope,
      { language, ...(section ? { sectionIds: tree.subtreeIds(section.id) } : {}) },
      this.config.distribution.feedLength,
    );
    const ids = rows.map((r) => r.id);
    const [authors, tags, bodies] = await Promise.all([
      this.authors.byArticleIds(ids),
      this.tags.byArticleIds(ids),
      this.articles.bodies(scope, ids),
    ]);

    const site = this.site;
    const name = publicationName(site, language);
    const path = section ? `${language}/${section.slug}` : language;
    const self = (f: FeedFormat) => `${site.url}/feeds/${path}.${f}`;
    const disclaimer = textFor(site, site.disclaimer, language);
    const newest = rows.reduce<Date | null>((m, r) => (m && m > r.updatedAt ? m : r.updatedAt), null);
    const feed = new Feed({
      title: section ? `${name}: ${section.name}` : name,
      description: disclaimer ?? (section?.description || name),
      id: section ? sectionUrl(site.url, section.slug) : site.url,
      link: section ? sectionUrl(site.url, section.slug) : site.url,
      language,
      // The newest change among the items, not the time of the request: the same content gives the same feed.
      updated: newest ?? new Date(0),
      generator: "Courant",
      copyright: `© ${(newest ?? scope.now).getUTCFullYear()} ${name}`,
      feedLinks: { [format]: self(format) },
    });
    const { images } = this.config;
    for (const row of rows) {
      const parsed = parseBody(bodies.get(row.id) ?? "");
      const url = articleUrl(site.url, row);
      const rowSection = tree.byId.get(row.sectionId);
      const hero = row.heroImage
        ? renditionUrl(images.renditionTemplate, images.renditionWidths, row.heroImage.url, 1200)
        : null;
      const item: Item = {
        title: row.title,
        // Atom needs an id; RSS then takes the link as a permalink guid.
        ...(format === "atom" ? { id: url } : {}),
        link: url,
        // RSS has one date (pubDate: the publication); Atom's `updated` is the last change.
        date: format === "atom" ? row.updatedAt : row.publishedAt!,
        ...(format === "atom" ? { published: row.publishedAt! } : {}),
        description: row.standfirst ? row.standfirst : cutAtWord(parsed.text, 300),
        ...(this.config.distribution.feedFullText ? { content: parsed.html } : {}),
        author: (authors.get(row.id) ?? []).map((a) => ({ name: a.name, link: authorUrl(site.url, a.slug) })),
        category: [
          ...(rowSection
            ? [
                {
                  name: rowSection.name,
                  term: rowSection.slug,
                  domain: sectionUrl(site.url, rowSection.slug),
                  scheme: `${site.url}/section/`,
                },
              ]
            : []),
          ...(tags.get(row.id) ?? []).map((t) => ({ name: t.name, term: t.slug })),
        ],
        ...(hero ? { image: { url: hero, type: imageType(hero), length: 0 } } : {}),
        ...(row.disclaimer ? { copyright: row.disclaimer } : {}),
      };
      feed.addItem(item);
    }
    return { xml: format === "atom" ? feed.atom1() : feed.rss2(), rows };
  }
}
