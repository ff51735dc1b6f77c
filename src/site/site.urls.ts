/**
 * The public URL scheme (stable; web frontends route on it):
 *   article  {PUBLIC_SITE_URL}/{language}/{slug}
 *   section  {PUBLIC_SITE_URL}/section/{slug}
 *   author   {PUBLIC_SITE_URL}/author/{slug}
 */
export function articleUrl(base: string, row: { language: string; slug: string }): string {
  return `${base}/${encodeURIComponent(row.language)}/${encodeURIComponent(row.slug)}`;
}

export const sectionUrl = (base: string, slug: string) => `${base}/section/${encodeURIComponent(slug)}`;
export const authorUrl = (base: string, slug: string) => `${base}/author/${encodeURIComponent(slug)}`;
