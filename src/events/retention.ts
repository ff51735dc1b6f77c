import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { sqlDate } from "../db/sql";

const BATCH = 1000;

/**
 * Keeps the event stream and what hangs off it from growing forever: content events, finished
 * webhook deliveries (their attempts go with them) and done scheduled moments older than
 * `keepDays` are deleted in batches, hourly, by every instance (deleting the same rows twice is
 * harmless). Pending deliveries and moments are never touched, however old.
 */
export class EventRetention {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly keepDays: number,
    /** The clock content events and moments are stamped with (tests move it); deliveries use the wall clock. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  start(): void {
    if (this.keepDays <= 0) return;
    const run = () => void this.prune().catch((err) => this.log.warn({ err }, "pruning old content events failed"));
    this.timer = setInterval(run, 3600_000);
    this.timer.unref();
    setTimeout(run, 10_000).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes what is older than the retention time; returns how many rows of each table went. */
  async prune(
    now = this.clock(),
    wallNow = new Date(),
  ): Promise<{ events: number; deliveries: number; moments: number }> {
    const cutoff = (t: Date) => sqlDate(new Date(t.getTime() - this.keepDays * 86_400_000));
    const out = {
      events: await this.batches("content_events", "created_at < ?", [cutoff(now)]),
      deliveries: await this.batches("webhook_deliveries", "status <> 'pending' AND created_at < ?", [cutoff(wallNow)]),
      moments: await this.batches("content_moments", "done_at IS NOT NULL AND done_at < ?", [cutoff(now)]),
    };
    if (out.events || out.deliveries || out.moments) this.log.info(out, "pruned old content events");
    return out;
  }

  private async batches(table: string, where: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const rows: Array<{ id: unknown }> = await this.ds.query(
        `SELECT id FROM ${table} WHERE ${where} ORDER BY id LIMIT ${BATCH}`,
        params,
      );
      if (!rows.length) return total;
      const ids = rows.map((r) => Number(r.id));
      await this.ds.query(`DELETE FROM ${table} WHERE id IN (${ids.map(() => "?").join(", ")})`, ids);
      total += ids.length;
      if (rows.length < BATCH) return total;
    }
  }
}
