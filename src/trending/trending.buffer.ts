import type { Logger } from "pino";
import { trackViewBuffer, viewFlushFailures, viewsFlushed } from "../metrics/metrics";

/** Views are counted per article in buckets of this length. */
export const BUCKET_MS = 5 * 60_000;

/** One row of buffered views: an article's views in one bucket. */
export interface BucketViews {
  /** Start of the bucket, epoch milliseconds (a multiple of BUCKET_MS). */
  bucketStart: number;
  articleId: number;
  views: number;
}

export const bucketOf = (at: Date): number => Math.floor(at.getTime() / BUCKET_MS) * BUCKET_MS;

/**
 * Counts views in memory and hands them to `write` in batches: on a timer, when asked, and on
 * close. A failed write keeps its views buffered for the next attempt, so a database outage
 * delays views instead of losing them (up to `maxRows`, past which new views are refused).
 * A crash loses what is buffered: at most one flush interval's worth while the database answers.
 */
export class ViewBuffer {
  /** bucket start → article id → views */
  private pending = new Map<number, Map<number, number>>();
  private rows = 0;
  private views = 0;
  private oldestAt: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private flushing = false;
  private timer?: NodeJS.Timeout;
  private untrack?: () => void;

  constructor(
    private readonly write: (rows: BucketViews[]) => Promise<void>,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly maxRows = 1_000_000,
  ) {}

  start(): void {
    this.untrack = trackViewBuffer(() => ({
      rows: this.rows,
      views: this.views,
      lagSeconds: this.oldestAt === null ? 0 : Math.max(0, (this.clock().getTime() - this.oldestAt) / 1000),
    }));
    this.timer = setInterval(() => {
      // A slow database must not pile flushes up: skip the tick while one runs.
      if (!this.flushing && this.rows > 0) void this.flush();
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Adds one view; false when the buffer is full (the database has been failing for long). */
  add(articleId: number, at: Date): boolean {
    const bucket = bucketOf(at);
    let articles = this.pending.get(bucket);
    if (!articles) {
      articles = new Map();
      this.pending.set(bucket, articles);
    }
    const before = articles.get(articleId);
    if (before === undefined) {
      if (this.rows >= this.maxRows) return false;
      this.rows += 1;
    }
    articles.set(articleId, (before ?? 0) + 1);
    this.views += 1;
    this.oldestAt ??= at.getTime();
    return true;
  }

  get pendingViews(): number {
    return this.views;
  }

  /** Writes everything buffered so far; resolves when it is written or, on failure, put back. */
  flush(): Promise<void> {
    const run = this.chain.then(() => this.flushOnce());
    this.chain = run;
    return run;
  }

  private async flushOnce(): Promise<void> {
    if (this.rows === 0) return;
    const taken = this.pending;
    const views = this.views;
    const oldestAt = this.oldestAt;
    this.pending = new Map();
    this.rows = 0;
    this.views = 0;
    this.oldestAt = null;
    const rows: BucketViews[] = [];
    for (const [bucketStart, articles] of taken) {
      for (const [articleId, n] of articles) rows.push({ bucketStart, articleId, views: n });
    }
    this.flushing = true;
    try {
      await this.write(rows);
      viewsFlushed.inc(views);
    } catch (err) {
      viewFlushFailures.inc();
      this.log.warn(
        { err, rows: rows.length, views },
        "writing buffered views failed; keeping them for the next flush",
      );
      for (const row of rows) {
        const articles = this.pending.get(row.bucketStart) ?? new Map<number, number>();
        if (!articles.has(row.articleId)) this.rows += 1;
        articles.set(row.articleId, (articles.get(row.articleId) ?? 0) + row.views);
        this.pending.set(row.bucketStart, articles);
      }
      this.views += views;
      if (oldestAt !== null) this.oldestAt = Math.min(this.oldestAt ?? oldestAt, oldestAt);
    } finally {
      this.flushing = false;
    }
  }

  /** Stops the timer and writes what is left. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.untrack?.();
  }
}
