import { Feed, OVERFLOW } from "../../src/live/live-feed";

describe("a subscriber's feed", () => {
  it("hands items over in order, and waits for the next one", async () => {
    const feed = new Feed<number>(10, () => undefined);
    feed.push(1);
    feed.push(2);
    expect(await feed.next()).toEqual({ value: 1, done: false });
    expect(await feed.next()).toEqual({ value: 2, done: false });
    const pending = feed.next();
    feed.push(3);
    expect(await pending).toEqual({ value: 3, done: false });
  });

  it("never holds more than its bound: a subscriber that falls behind gets OVERFLOW, then the end", async () => {
    let ended = 0;
    const feed = new Feed<number>(100, () => (ended += 1));
    for (let i = 0; i < 10_000; i++) feed.push(i);
    // Released as soon as it overflowed, before it reads again.
    expect(ended).toBe(1);
    const got = [];
    for await (const item of feed) got.push(item);
    expect(got).toEqual([OVERFLOW]);
    expect(ended).toBe(1);
  });

  it("ends when the subscriber leaves, releasing a waiting reader", async () => {
    let ended = 0;
    const feed = new Feed<number>(10, () => (ended += 1));
    const pending = feed.next();
    await feed.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    feed.push(1);
    expect(await feed.next()).toEqual({ value: undefined, done: true });
    expect(ended).toBe(1);
  });
});
