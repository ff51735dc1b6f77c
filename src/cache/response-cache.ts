import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { FormattedExecutionResult } from "graphql";
import type { ContentChange, ContentEvents } from "../events";
import { affected, type CacheReads } from "./cache-dependencies";

interface Entry {
  body: FormattedExecutionResult;
  /** Serialised once, so a hit answered before GraphQL runs is just a write. */
  json: string;
  maxAge: number;
  reads: CacheReads;
}

/**
 * Whole responses of public queries, bounded (LRU) and each kept for its cache-hint age.
 * Editorial writes evict exactly what they touch; with Redis, every instance hears of every
 * write and evicts the same, and a Redis outage only delays that to the entries' age.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, Entry>;
  hits = 0;
  misses = 0;
  evictions = 0;

  constructor(
    maxEntries: number,
    events: ContentEvents,
    private readonly log: Logger,
  ) {
    this.entries = new LRUCache({ max: maxEntries, ttlAutopurge: false });
    // Every change reaches here from the content event stream (EventTail), whichever instance,
    // import or scheduler made it.
    events.onChange((change) => this.invalidate(change));
  }

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
