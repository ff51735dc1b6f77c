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
