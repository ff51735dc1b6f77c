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
