import type { ContentChange } from "../events";
import { requestSlot } from "../request-context";

/**
 * What one response read, so that the response cache (and anything else that keeps answers)
 * knows which changes make it stale: the articles it shows and the lists it contains. Services
 * note their reads with `noteRead` as they run; `affected` is the one rule that matches a
 * recorded read against a change.
 */
export interface CacheReads {
  articleIds: Set<number>;
  storyKeys: Set<string>;
  /** Lookups by slug, found or not: `language:slug`, or `*:slug` when any language would do. */
  articleSlugs: Set<string>;
  /** Filters of every article list in the response (ArticleWhere objects). */
  lists: Array<Record<string, unknown>>;
  /** Languages whose related lists or search results the response contains; "*" for all. */
  languages: Set<string>;
  authorIds: Set<number>;
  tagIds: Set<number>;
  sections: boolean;
  authorList: boolean;
  /** Live blogs (by article id) whose coverage or posts the response shows. */
  liveBlogs: Set<number>;
}

const current = requestSlot<CacheReads>("cache reads");

/** From here on, the current request records what it reads (for a response that may be cached). */
export function startRecordingReads(): void {
  current.set(emptyReads());
}

/** What the current request has read, if it records. */
export function recordedReads(): CacheReads | undefined {
  return current.get();
}

/** Notes what the current request read; a no-op outside requests or when nothing caches. */
export function noteRead(fn: (reads: CacheReads) => void): void {
  const reads = current.get();
  if (reads) fn(reads);
}

export const emptyReads = (): CacheReads => ({
  articleIds: new Set(),
  storyKeys: new Set(),
  articleSlugs: new Set(),
  lists: [],
  languages: new Set(),
  authorIds: new Set(),
  tagIds: new Set(),
  sections: false,
  authorList: false,
  liveBlogs: new Set(),
});

const overlaps = <T>(set: Set<T>, values: readonly T[] | undefined) => (values ?? []).some((v) => set.has(v));
const within = <T>(value: T | undefined, values: readonly T[] | undefined) =>
  value === undefined || values === undefined || values.includes(value);

/** Could the changed article join, leave or change in a list with this filter? */
function listAffected(where: Record<string, unknown>, c: ContentChange): boolean {
  const sectionIds = where.sectionIds as number[] | undefined;
  if (sectionIds && !sectionIds.some((id) => c.sectionIds.includes(id))) return false;
  if (!within(where.authorId as number | undefined, c.authorIds)) return false;
  if (!within(where.tagId as number | undefined, c.tagIds)) return false;
  if (!within(where.authorSlug as string | undefined, c.authorSlugs)) return false;
  if (!within(where.tagSlug as string | undefined, c.tagSlugs)) return false;
  if (!within(where.language as string | undefined, c.languages)) return false;
  const languages = where.languages as string[] | undefined;
  if (languages && !languages.some((l) => c.languages.includes(l))) return false;
  return true;
}

/** A lookup by slug (which may have found nothing) that the changed article now answers, or answered before. */
function slugRead(read: Set<string>, changed: readonly string[] | undefined): boolean {
  if (!read.size || !changed) return false;
  return changed.some((ls) => read.has(ls) || read.has(`*:${ls.slice(ls.indexOf(":") + 1)}`));
}

/** Exactly the responses a change touches: those that show it, and those whose lists it joins or leaves. */
export function affected(reads: CacheReads, c: ContentChange): boolean {
  if (c.kind === "section") return reads.sections;
  if (c.kind === "live") return overlaps(reads.liveBlogs, c.articleIds);
  if (c.kind === "author") return reads.authorList || overlaps(reads.authorIds, c.authorIds);
  return (
    overlaps(reads.articleIds, c.articleIds) ||
    overlaps(reads.storyKeys, c.storyKeys) ||
    slugRead(reads.articleSlugs, c.articleSlugs) ||
    reads.languages.has("*") ||
    overlaps(reads.languages, c.languages) ||
    reads.lists.some((where) => listAffected(where, c))
  );
}
