import { createHash } from "node:crypto";
import type { ContentChange } from "../events";
import type { CacheReads } from "./cache-dependencies";

/**
 * Surrogate keys: the record of what a response read (CacheReads), said to the CDN in front as
 * `Surrogate-Key` (Fastly, Varnish xkey) and `Cache-Tag` (Cloudflare, Akamai), and the keys each
 * content event purges. The rule that makes purges exact enough and never too few: every read
 * gets at least one key that every change it is `affected()` by purges.
 *
 * - an article, a story and a slug lookup (found or not) have their own keys;
 * - a list gets the keys of ONE of its filters, the most selective (section ids, else author,
 *   else tag, else language, else "every list"): a change that touches the list matches all of
 *   the list's filters, so it matches that one too (a change that matches only that one purges
 *   the list needlessly: over-purge, never under-purge);
 * - related lists and search in a language, the section tree, the author list and an author;
 * - a live blog (its coverage and posts): a post changing purges only what showed that blog.
 */
export const ALL_KEY = "courant";
/** Stands in for a response's keys when they would not fit the header; every content change purges it. */
export const COARSE_KEY = "courant-coarse";
/** Keys in one header at most this long (proxies and Node refuse larger headers). */
export const MAX_HEADER_BYTES = 4000;

const h = (text: string) => createHash("sha1").update(text).digest("base64url").slice(0, 10);
const slugKey = (languageSlug: string) => `u-${h(languageSlug)}`;

function listKeys(where: Record<string, unknown>): string[] {
  const sectionIds = where.sectionIds as number[] | undefined;
  if (sectionIds?.length) return sectionIds.map((id) => `ls-${id}`);
  if (where.authorId !== undefined) return [`la-${where.authorId}`];
  if (where.authorSlug !== undefined) return [`las-${h(String(where.authorSlug))}`];
  if (where.tagId !== undefined) return [`lt-${where.tagId}`];
  if (where.tagSlug !== undefined) return [`lts-${h(String(where.tagSlug))}`];
  if (where.language !== undefined) return [`ll-${where.language}`];
  const languages = where.languages as string[] | undefined;
  if (languages?.length) return languages.map((l) => `ll-${l}`);
  return ["l-all"];
}

/** The keys of a response that read `reads`. */
export function keysForReads(reads: CacheReads): string[] {
  const keys = new Set<string>([ALL_KEY]);
  for (const id of reads.articleIds) keys.add(`a-${id}`);
  for (const k of reads.storyKeys) keys.add(`s-${h(k)}`);
  for (const ls of reads.articleSlugs) {
    const slug = ls.slice(ls.indexOf(":") + 1);
    keys.add(ls.startsWith("*:") ? `u-any-${h(slug)}` : slugKey(ls));
  }
  for (const where of reads.lists) for (const k of listKeys(where)) keys.add(k);
  for (const l of reads.languages) keys.add(l === "*" ? "r-all" : `r-${l}`);
  for (const id of reads.authorIds) keys.add(`au-${id}`);
  if (reads.sections) keys.add("sections");
  if (reads.authorList) keys.add("authors");
  for (const id of reads.liveBlogs) keys.add(`lb-${id}`);
  return [...keys];
}

/** The keys a change purges: every key some read that the change affects would carry. */
export function keysForChange(c: ContentChange): string[] {
  const keys = new Set<string>([COARSE_KEY]);
  if (c.kind === "section") {
    keys.add("sections");
    return [...keys];
  }
  if (c.kind === "live") {
    for (const id of c.articleIds) keys.add(`lb-${id}`);
    return [...keys];
  }
  if (c.kind === "author") {
    keys.add("authors");
    for (const id of c.authorIds) keys.add(`au-${id}`);
    return [...keys];
  }
  for (const id of c.articleIds) keys.add(`a-${id}`);
  for (const k of c.storyKeys) keys.add(`s-${h(k)}`);
  for (const ls of c.articleSlugs ?? []) {
    keys.add(slugKey(ls));
    keys.add(`u-any-${h(ls.slice(ls.indexOf(":") + 1))}`);
  }
  keys.add("l-all");
  for (const id of c.sectionIds) keys.add(`ls-${id}`);
  for (const id of c.authorIds) keys.add(`la-${id}`);
  for (const s of c.authorSlugs ?? []) keys.add(`las-${h(s)}`);
  for (const id of c.tagIds) keys.add(`lt-${id}`);
  for (const s of c.tagSlugs ?? []) keys.add(`lts-${h(s)}`);
  for (const l of c.languages) {
    keys.add(`ll-${l}`);
    keys.add(`r-${l}`);
  }
  keys.add("r-all");
  return [...keys];
}

/** The two headers, each within MAX_HEADER_BYTES; past that the coarse key stands in for the fine ones. */
export type SurrogateHeaders = { "surrogate-key": string; "cache-tag": string };

export function surrogateHeaders(keys: string[]): SurrogateHeaders {
  let chosen = keys;
  if (keys.join(" ").length > MAX_HEADER_BYTES) chosen = [ALL_KEY, COARSE_KEY];
  return { "surrogate-key": chosen.join(" "), "cache-tag": chosen.join(",") };
}
