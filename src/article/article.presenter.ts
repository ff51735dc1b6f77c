import type { AuthorRow } from "../author/author.service";
import type { ArticleRow } from "./article.service";

/**
 * The public URL scheme (stable; web frontends route on it):
 *   article  {PUBLIC_SITE_URL}/{language}/{slug}
 *   section  {PUBLIC_SITE_URL}/section/{slug}
 *   author   {PUBLIC_SITE_URL}/author/{slug}
 */
export function articleUrl(base: string, row: Pick<ArticleRow, "language" | "slug">): string {
  return `${base}/${encodeURIComponent(row.language)}/${encodeURIComponent(row.slug)}`;
}

export const sectionUrl = (base: string, slug: string) => `${base}/section/${encodeURIComponent(slug)}`;
export const authorUrl = (base: string, slug: string) => `${base}/author/${encodeURIComponent(slug)}`;

/** "Alex Ivanov, Moscow correspondent"; several names joined the way the article's language joins them. */
export function byline(language: string, authors: Pick<AuthorRow, "name" | "role">[]): string | null {
  if (authors.length === 0) return null;
  let names: string;
  try {
    names = new Intl.ListFormat(language, { style: "long", type: "conjunction" }).format(authors.map((a) => a.name));
  } catch {
    names = new Intl.ListFormat("en", { style: "long", type: "conjunction" }).format(authors.map((a) => a.name));
  }
  const role = authors[0]!.role;
  return role ? `${names}, ${role}` : names;
}

const enc = encodeURIComponent;

/** Share links in each network's documented share-URL form, every parameter URL-encoded. */
export function shareLinks(url: string, title: string) {
  return {
    facebook: `https://www.facebook.com/sharer/sharer.php?u=${enc(url)}`,
    x: `https://x.com/intent/post?url=${enc(url)}&text=${enc(title)}`,
    linkedin: `https://www.linkedin.com/sharing/share-offsite/?url=${enc(url)}`,
    whatsapp: `https://wa.me/?text=${enc(`${title} ${url}`)}`,
    telegram: `https://t.me/share/url?url=${enc(url)}&text=${enc(title)}`,
    reddit: `https://www.reddit.com/submit?url=${enc(url)}&title=${enc(title)}`,
    email: `mailto:?subject=${enc(title)}&body=${enc(url)}`,
  };
}

/** The URL of an image at the allowed width nearest to the one asked for (ties go wider). */
export function renditionUrl(template: string, widths: number[], url: string, width: number): string {
  const nearest = widths.reduce((best, w) =>
    Math.abs(w - width) < Math.abs(best - width) || (Math.abs(w - width) === Math.abs(best - width) && w > best)
      ? w
      : best,
  );
  let out = template.replace("{width}", String(nearest));
  // A template that appends a query string must not add a second "?".
  if (url.includes("?")) out = out.replace("{url}?", "{url}&");
  return out.replace("{url}", url);
}
