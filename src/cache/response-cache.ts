import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { FormattedExecutionResult } from "graphql";
import type { ContentChange, ContentEvents } from "../events";
import { affected, type CacheReads } from "./cache-dependencies";
import type { SurrogateHeaders } from "./surrogate-keys";
import { childSpan, endSpan, requestSpan, tracingEnabled } from "../tracing";

/** Changes remembered to judge answers computed while they landed. */
const RECENT_CHANGES = 1000;

interface Entry {
  /**
   * Serialised and encoded once, and kept only so: a hit answered before GraphQL runs is one
   * write of these bytes, with no per-request UTF-8 encoding of the text.
   */
  json: Buffer;
  maxAge: number;
  reads: CacheReads;
  surrogate?: SurrogateHeaders;
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
  private seq = 0;
  private readonly recent: Array<{ seq: number; change: ContentChange }> = [];

  constructor(
    limits: number | { maxEntries: number; maxBytes?: number },
    events: ContentEvents,
    private readonly log: Logger,
  ) {
    const { maxEntries, maxBytes } = typeof limits === "number" ? { maxEntries: limits } : limits;
    // Bounded by bytes as well as entries: a few huge answers (a 100-item page of full bodies)
    // must not hold the process's memory hostage.
    this.entries = new LRUCache({
      max: maxEntries,
      ttlAutopurge: false,
      ...(maxBytes ? { maxSize: maxBytes, sizeCalculation: entrySize } : {}),
    });
    // Every change reaches here from the content event stream (EventTail), whichever instance,
    // import or scheduler made it.
    events.onChange((change) => this.invalidate(change));
  }

  static key(query: string, operationName: string | null | undefined, variables: unknown): string {
    return createHash("sha256")
      .update(JSON.stringify([query, operationName ?? null, variables ?? {}]))
      .digest("base64url");
  }

  get(key: string): { body: FormattedExecutionResult; surrogate?: SurrogateHeaders } | undefined {
    const entry = this.entries.get(key);
    traceLookup(entry !== undefined);
    if (entry) this.hits += 1;
    else this.misses += 1;
    return (
      entry && { body: JSON.parse(entry.json.toString("utf8")) as FormattedExecutionResult, surrogate: entry.surrogate }
    );
  }

  set(
    key: string,
    body: FormattedExecutionResult,
    reads: CacheReads,
    maxAgeSeconds: number,
    surrogate?: SurrogateHeaders,
    since?: number,
  ): void {
    // A change that landed while this answer was being computed may have made it stale already:
    // keep it only if nothing since `since` touches what it read.
    if (since !== undefined && since < this.seq) {
      const oldest = this.recent[0]?.seq ?? Infinity;
      if (oldest > since + 1 || this.recent.some((r) => r.seq > since && affected(reads, r.change))) return;
    }
    this.entries.set(
      key,
      { json: Buffer.from(JSON.stringify(body), "utf8"), maxAge: maxAgeSeconds, reads, surrogate },
      { ttl: maxAgeSeconds * 1000 },
    );
  }

  /** A hit as ready-to-send JSON, its age and its surrogate keys, for the HTTP fast path. */
  peek(key: string): { json: Buffer; maxAge: number; surrogate?: SurrogateHeaders } | undefined {
    const entry = this.entries.get(key);
    traceLookup(entry !== undefined);
    if (!entry) return undefined;
    this.hits += 1;
    return { json: entry.json, maxAge: entry.maxAge, surrogate: entry.surrogate };
  }

  /** Where the stream of changes stands: an answer computed from here on is checked against what came after. */
  mark(): number {
    return this.seq;
  }

  invalidate(change: ContentChange): void {
    this.seq += 1;
    this.recent.push({ seq: this.seq, change });
    if (this.recent.length > RECENT_CHANGES) this.recent.splice(0, this.recent.length - RECENT_CHANGES);
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

  /** Bytes the entries take, as the byte bound counts them. */
  get bytes(): number {
    return this.entries.calculatedSize ?? 0;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** What an entry costs, roughly: its encoded JSON, its key and its record of reads. */
function entrySize(entry: Entry, key: string): number {
  return Math.max(1, entry.json.length + key.length * 2 + 64 * readsCount(entry.reads) + 256);
}

function readsCount(reads: CacheReads): number {
  let n = 0;
  for (const v of Object.values(reads))
    n += v instanceof Set || v instanceof Map ? v.size : Array.isArray(v) ? v.length : 1;
  return n;
}

/** The lookup as a span of the request's trace, and whether it hit on the request's own span. */
function traceLookup(hit: boolean): void {
  if (!tracingEnabled()) return;
  endSpan(childSpan("response cache lookup", { "courant.cache.hit": hit }));
  requestSpan()?.setAttribute("courant.cache.hit", hit);
}
