import { BUCKET_MS, bucketOf, ViewBuffer, type BucketViews } from "../../src/trending/trending.buffer";
import { registry } from "../../src/metrics/metrics";
import { createLogger } from "../../src/log";

const T0 = Date.parse("2026-06-01T12:00:00.000Z");
const MINUTE = 60_000;

/** A buffer on a clock the test moves, writing through `write` (recorded). */
function setup(
  options: { maxRows?: number; intervalMs?: number; write?: (rows: BucketViews[]) => Promise<void> } = {},
) {
  const clock = { now: new Date(T0) };
  const writes: BucketViews[][] = [];
  const write = options.write ?? (async (rows: BucketViews[]) => void writes.push(rows));
  const buffer = new ViewBuffer(
    write,
    () => clock.now,
    createLogger({ logLevel: "silent" }),
    options.intervalMs ?? 60_000,
    options.maxRows,
  );
  return { buffer, clock, writes };
}

/** Rows in a stable order, whatever order the buffer hands them out in. */
const sorted = (rows: BucketViews[]) =>
  [...rows].sort((a, b) => a.bucketStart - b.bucketStart || a.articleId - b.articleId);

async function metric(name: string): Promise<number> {
  const values = (await registry.getSingleMetric(name)!.get()).values;
  return values.length === 0 ? 0 : values[0]!.value;
}

describe("bucketOf", () => {
  it.each<[string, number, number]>([
    ["the epoch", 0, 0],
    ["just before the first boundary", BUCKET_MS - 1, 0],
    ["a boundary itself", BUCKET_MS, BUCKET_MS],
    ["a moment inside a bucket", T0 + 4 * MINUTE + 59_999, T0],
    ["the next bucket", T0 + 5 * MINUTE, T0 + 5 * MINUTE],
    ["before the epoch", -1, -BUCKET_MS],
  ])("%s", (_name, at, bucket) => {
    expect(bucketOf(new Date(at))).toBe(bucket);
  });

  it("buckets are five minutes long", () => {
    expect(BUCKET_MS).toBe(5 * MINUTE);
  });
});

describe("ViewBuffer", () => {
  it("adds views up per (bucket, article) and writes them in one batch", async () => {
    const { buffer, clock, writes } = setup();
    const at = (ms: number) => (clock.now = new Date(T0 + ms));
    at(0);
    expect(buffer.add(1, clock.now)).toBe(true);
    at(MINUTE);
    buffer.add(1, clock.now);
    buffer.add(2, clock.now);
    at(5 * MINUTE);
    buffer.add(1, clock.now);
    expect(buffer.pendingViews).toBe(4);
    await buffer.flush();
    expect(writes).toHaveLength(1);
    expect(sorted(writes[0]!)).toEqual([
      { bucketStart: T0, articleId: 1, views: 2 },
      { bucketStart: T0, articleId: 2, views: 1 },
      { bucketStart: T0 + 5 * MINUTE, articleId: 1, views: 1 },
    ]);
    expect(buffer.pendingViews).toBe(0);
  });

  it("does not write when nothing is buffered", async () => {
    const { buffer, writes } = setup();
    await buffer.flush();
    await buffer.flush();
    expect(writes).toEqual([]);
  });

  it("empties on a flush: the next one writes only what came after", async () => {
    const { buffer, clock, writes } = setup();
    buffer.add(7, clock.now);
    await buffer.flush();
    buffer.add(7, clock.now);
    buffer.add(7, clock.now);
    await buffer.flush();
    expect(writes).toEqual([
      [{ bucketStart: T0, articleId: 7, views: 1 }],
      [{ bucketStart: T0, articleId: 7, views: 2 }],
    ]);
  });

  it("keeps the views of a failed write, merged with those added meanwhile, for the next flush", async () => {
    const attempts: BucketViews[][] = [];
    let fail = true;
    let addDuringWrite: (() => void) | undefined;
    const { buffer, clock } = setup({
      write: async (rows) => {
        attempts.push(rows);
        addDuringWrite?.();
        addDuringWrite = undefined;
        if (fail) throw new Error("database down");
      },
    });
    const failuresBefore = await metric("courant_view_flush_failures_total");
    const flushedBefore = await metric("courant_views_flushed_total");
    buffer.add(1, clock.now);
    buffer.add(1, clock.now);
    buffer.add(2, clock.now);
    addDuringWrite = () => {
      buffer.add(1, clock.now);
      buffer.add(3, clock.now);
    };
    await expect(buffer.flush()).resolves.toBeUndefined();
    expect(await metric("courant_view_flush_failures_total")).toBe(failuresBefore + 1);
    expect(buffer.pendingViews).toBe(5);

    fail = false;
    await buffer.flush();
    expect(attempts).toHaveLength(2);
    expect(sorted(attempts[1]!)).toEqual([
      { bucketStart: T0, articleId: 1, views: 3 },
      { bucketStart: T0, articleId: 2, views: 1 },
      { bucketStart: T0, articleId: 3, views: 1 },
    ]);
    expect(buffer.pendingViews).toBe(0);
    // Only what was written counts as flushed.
    expect(await metric("courant_views_flushed_total")).toBe(flushedBefore + 5);
  });

  it("refuses views for new rows past maxRows, but still counts views of rows it holds", async () => {
    const { buffer, clock, writes } = setup({ maxRows: 2 });
    expect([buffer.add(1, clock.now), buffer.add(2, clock.now), buffer.add(3, clock.now)]).toEqual([true, true, false]);
    expect(buffer.add(1, clock.now)).toBe(true);
    // Another bucket is another row.
    expect(buffer.add(1, new Date(T0 + BUCKET_MS))).toBe(false);
    expect(buffer.pendingViews).toBe(3);
    await buffer.flush();
    expect(sorted(writes[0]!)).toEqual([
      { bucketStart: T0, articleId: 1, views: 2 },
      { bucketStart: T0, articleId: 2, views: 1 },
    ]);
    // A flush frees the rows again.
    expect(buffer.add(3, clock.now)).toBe(true);
  });

  it("counts rows kept after a failed write against maxRows", async () => {
    let fail = true;
    const { buffer, clock } = setup({
      maxRows: 2,
      write: async () => {
        if (fail) throw new Error("down");
      },
    });
    buffer.add(1, clock.now);
    buffer.add(2, clock.now);
    await buffer.flush();
    expect(buffer.add(3, clock.now)).toBe(false);
    expect(buffer.add(2, clock.now)).toBe(true);
    fail = false;
    await buffer.flush();
    expect(buffer.add(3, clock.now)).toBe(true);
  });

  it("runs flushes one after another, never two writes at once", async () => {
    let running = 0;
    let most = 0;
    const written: number[] = [];
    const started: Array<() => void> = [];
    const { buffer, clock } = setup({
      write: async (rows) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => started.push(resolve));
        written.push(rows.reduce((n, r) => n + r.views, 0));
        running -= 1;
      },
    });
    buffer.add(1, clock.now);
    const first = buffer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(1);
    // Views arriving while the first write runs wait for a flush of their own.
    buffer.add(1, clock.now);
    buffer.add(2, clock.now);
    const second = buffer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(1);
    started[0]!();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toHaveLength(2);
    started[1]!();
    await second;
    expect(most).toBe(1);
    expect(written).toEqual([1, 2]);
  });

  it("writes what is left on close", async () => {
    const { buffer, clock, writes } = setup();
    buffer.start();
    buffer.add(9, clock.now);
    await buffer.close();
    expect(writes).toEqual([[{ bucketStart: T0, articleId: 9, views: 1 }]]);
  });

  describe("on its timer", () => {
    beforeEach(() => jest.useFakeTimers({ now: T0 }));
    afterEach(() => jest.useRealTimers());

    it("writes every interval while it holds views, and skips ticks while a write runs", async () => {
      let release: (() => void) | undefined;
      const writes: BucketViews[][] = [];
      const { buffer, clock } = setup({
        intervalMs: 1000,
        write: (rows) => {
          writes.push(rows);
          return new Promise<void>((resolve) => (release = resolve));
        },
      });
      buffer.start();
      await jest.advanceTimersByTimeAsync(3000);
      expect(writes).toHaveLength(0);
      buffer.add(1, clock.now);
      await jest.advanceTimersByTimeAsync(1000);
      expect(writes).toHaveLength(1);
      // The write hangs: more views and more ticks start no second one.
      buffer.add(2, clock.now);
      await jest.advanceTimersByTimeAsync(5000);
      expect(writes).toHaveLength(1);
      release!();
      await jest.advanceTimersByTimeAsync(1000);
      expect(writes.map((rows) => rows.map((r) => r.articleId))).toEqual([[1], [2]]);
      release!();
      await buffer.close();
    });
  });

  it("reports rows, views and the age of the oldest waiting view to /metrics until closed", async () => {
    const { buffer, clock } = setup();
    buffer.start();
    const gauges = async () =>
      Promise.all(
        ["courant_view_buffer_rows", "courant_view_buffer_views", "courant_view_buffer_lag_seconds"].map(metric),
      );
    expect(await gauges()).toEqual([0, 0, 0]);
    buffer.add(1, clock.now);
    clock.now = new Date(T0 + 30_000);
    buffer.add(1, clock.now);
    buffer.add(2, clock.now);
    clock.now = new Date(T0 + 90_000);
    expect(await gauges()).toEqual([2, 3, 90]);
    await buffer.flush();
    expect(await gauges()).toEqual([0, 0, 0]);
    buffer.add(3, clock.now);
    await buffer.close();
    expect(await gauges()).toEqual([0, 0, 0]);
  });
});
