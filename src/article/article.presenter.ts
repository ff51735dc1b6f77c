import { LRUCache } from "lru-cache";
import type { AuthorRow } from "../author/author.service";

/**
 * One list formatter per language: making one resolves the locale in ICU, about ten times what
 * formatting a list costs, and every article page asked for a new one. A language Intl does not
 * take gets English's.
 */
const listFormats = new LRUCache<string, Intl.ListFormat>({ max: 256 });
function listFormat(language: string): Intl.ListFormat {
  let format = listFormats.get(language);
  if (!format) {
    try {
      format = new Intl.ListFormat(language, { style: "long", type: "conjunction" });
    } catch {
      format = new Intl.ListFormat("en", { style: "long", type: "conjunction" });
    }
    listFormats.set(language, format);
  }
  return format;
}

/** "Alex Ivanov, Moscow correspondent"; several names joined the way the article's language joins them. */
export function byline(language: string, authors: Pick<AuthorRow, "name" | "role">[]): string | null {
  if (authors.length === 0) return null;
  const names = listFormat(language).format(authors.map((a) => a.name));
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
