import { LRUCache } from "lru-cache";
import { affected, type CacheReads } from "../cache/cache-dependencies";
import type { ContentEvents } from "../events";

export interface CachedOutput {
  body: string;
  contentType: string;
  reads: CacheReads;
  /** On the gateway's clock: never past the next scheduled moment, nor the news window's next exit. */
  expiresAt: number;
}

/**
 * The small outputs (index, news sitemap, feeds, pages sitemap) as sent, so a crawler or a
 * CDN's refresh costs a lookup, not a query and an XML build. Evicted by the content events
 * with the response cache's rule (`affected`), and kept no longer than the answer's age, which
 * the next scheduled moment caps. Monthly sitemaps are streamed, never held.
 */
export class OutputCache {
  private readonly entries: LRUCache<string, CachedOutput>;
  /** Changes seen so far: an answer computed while one landed is not kept. */
  private seq = 0;

  constructor(events: ContentEvents, maxEntries = 500) {
    this.entries = new LRUCache({ max: maxEntries });
    events.onChange((change) => {
      this.seq += 1;
      for (const [key, entry] of this.entries.entries()) if (affected(entry.reads, change)) this.entries.delete(key);
    });
  }

  get(key: string, now: Date): CachedOutput | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt <= now.getTime()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  mark(): number {
    return this.seq;
  }

  set(key: string, entry: CachedOutput, since: number): void {
    if (since !== this.seq) return;
    this.entries.set(key, entry);
  }
}
