import { createHash, randomUUID } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { FormattedExecutionResult } from "graphql";
import type { CacheReads } from "../db/sql-counter";
import type { ContentChange, ContentEvents } from "../events";

interface Entry {
  body: FormattedExecutionResult;
  /** Serialised once, so a hit answered before GraphQL runs is just a write. */
  json: string;
  maxAge: number;
  reads: CacheReads;
}

export const emptyReads = (): CacheReads => ({
  articleIds: new Set(),
  storyKeys: new Set(),
  lists: [],
  languages: new Set(),
  authorIds: new Set(),
  tagIds: new Set(),
  sections: false,
  authorList: false,
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

/** Exactly the responses a change touches: those that show it, and those whose lists it joins or leaves. */
export function affected(reads: CacheReads, c: ContentChange): boolean {
  if (c.kind === "section") return reads.sections;
  if (c.kind === "author") return reads.authorList || overlaps(reads.authorIds, c.authorIds);
  return (
    overlaps(reads.articleIds, c.articleIds) ||
    overlaps(reads.storyKeys, c.storyKeys) ||
    reads.languages.has("*") ||
    overlaps(reads.languages, c.languages) ||
    reads.lists.some((where) => listAffected(where, c))
  );
}

const CHANNEL = "courant:content-changes";

/**
 * Whole responses of public queries, bounded (LRU) and each kept for its cache-hint age.
 * Editorial writes evict exactly what they touch; with Redis, every instance hears of every
 * write and evicts the same, and a Redis outage only delays that to the entries' age.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, Entry>;
  private readonly origin = randomUUID();
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(
    maxEntries: number,
    events: ContentEvents,
    private readonly log: Logger,
    redis?: Redis,
  ) {
    this.entries = new LRUCache({ max: maxEntries, ttlAutopurge: false });
    events.onChange((change) => {
      this.invalidate(change);
      redis?.publish(CHANNEL, JSON.stringify({ origin: this.origin, change })).catch(() => undefined);
    });
    if (redis) {
      // Subscribing may wait for the connection (and resubscribes after outages by itself).
      const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      subscriber.on("error", () => undefined);
      subscriber.subscribe(CHANNEL).catch(() => undefined);
      subscriber.on("message", (_channel, message) => {
        try {
          const { origin, change } = JSON.parse(message) as { origin: string; change: ContentChange };
          if (origin !== this.origin) this.invalidate(change);
        } catch {
          // A message we cannot read invalidates nothing; entries still expire by age.
        }
      });
      this.closeSubscriber = () => subscriber.disconnect();
    }
  }

  closeSubscriber: () => void = () => undefined;

  static key(query: string, operationName: string | null | undefined, variables: unknown): string {
    return createHash("sha256")
      .update(JSON.stringify([query, operationName ?? null, variables ?? {}]))
      .digest("base64url");
  }

  get(key: string): FormattedExecutionResult | undefined {
    const entry = this.entries.get(key);
    if (entry) this.hits += 1;
    else this.misses += 1;
    return entry && structuredClone(entry.body);
  }

  set(key: string, body: FormattedExecutionResult, reads: CacheReads, maxAgeSeconds: number): void {
    const json = JSON.stringify(body);
    this.entries.set(
      key,
      { body: JSON.parse(json), json, maxAge: maxAgeSeconds, reads },
      { ttl: maxAgeSeconds * 1000 },
    );
  }

  /** A hit as ready-to-send JSON and its age, for the HTTP fast path. */
  peek(key: string): { json: string; maxAge: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.hits += 1;
    return { json: entry.json, maxAge: entry.maxAge };
  }

  invalidate(change: ContentChange): void {
    let evicted = 0;
    for (const [key, entry] of this.entries.entries()) {
      if (affected(entry.reads, change)) {
        this.entries.delete(key);
        evicted += 1;
      }
    }
    this.evictions += evicted;
    if (evicted) this.log.debug({ evicted, kind: change.kind }, "response cache invalidated");
  }

  get size(): number {
    return this.entries.size;
  }
}
