import { createLogger } from "../../src/log";
import { emptyReads } from "../../src/cache/cache-dependencies";
import { ResponseCache } from "../../src/cache/response-cache";
import { ContentEvents, emptyChange } from "../../src/events";

const body = { data: { article: null } };
const readsOf = (id: number) => ({ ...emptyReads(), articleIds: new Set([id]) });
const change = (id: number) => ({ ...emptyChange("article"), articleIds: [id] });

describe("ResponseCache and changes that land while an answer is computed", () => {
  const setup = () => {
    const events = new ContentEvents();
    return { events, cache: new ResponseCache(100, events, createLogger({ logLevel: "silent" })) };
  };

  it("does not keep an answer that a change made during its computation touches", () => {
    const { events, cache } = setup();
    const since = cache.mark();
    events.changed(change(7));
    cache.set("k", body, readsOf(7), 60, undefined, since);
    expect(cache.get("k")).toBeUndefined();
  });

  it("keeps it when the changes meanwhile touch something else, and when nothing changed", () => {
    const { events, cache } = setup();
    const since = cache.mark();
    events.changed(change(8));
    cache.set("k", body, readsOf(7), 60, undefined, since);
    expect(cache.get("k")?.body).toEqual(body);
    cache.set("j", body, readsOf(7), 60, undefined, cache.mark());
    expect(cache.get("j")?.body).toEqual(body);
  });

  it("evicts what a later change touches, and only that", () => {
    const { events, cache } = setup();
    cache.set("seven", body, readsOf(7), 60);
    cache.set("eight", body, readsOf(8), 60);
    events.changed(change(7));
    expect(cache.get("seven")).toBeUndefined();
    expect(cache.get("eight")).toBeDefined();
  });
});

describe("ResponseCache bounds", () => {
  it("holds no more bytes than its byte bound however few entries that is, oldest out first", () => {
    const cache = new ResponseCache(
      { maxEntries: 1000, maxBytes: 50_000 },
      new ContentEvents(),
      createLogger({ logLevel: "silent" }),
    );
    const big = (n: number) => ({ data: { article: { title: `t${n}`, body: "x".repeat(5_000) } } });
    for (let i = 0; i < 20; i++) cache.set(`k${i}`, big(i), readsOf(i), 60);
    const kept = Array.from({ length: 20 }, (_, i) => i).filter((i) => cache.get(`k${i}`) !== undefined);
    // About 5.4 kB each as held in memory (UTF-8 bytes, key and record of reads): nine fit, the newest.
    expect(kept.length).toBeGreaterThanOrEqual(8);
    expect(kept.length).toBeLessThanOrEqual(10);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 20 - kept.length + i));
    // An answer larger than the whole bound is not kept at all (and evicts nothing).
    cache.set("huge", { data: { article: { title: "h", body: "y".repeat(60_000) } } }, readsOf(99), 60);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.get(`k19`)).toBeDefined();
  });
});
