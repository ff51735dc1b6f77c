import type { Redis } from "ioredis";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { eventsDelivered, eventTailFailures } from "../metrics/metrics";
import { readChanges } from "./event-log";
import type { ContentChange, ContentEvents, EventSource } from "./index";

const CHANNEL = "courant:content-events";
/** A gap in the ids (an insert not yet committed, or rolled back) is looked for again this long. */
const GAP_WAIT_MS = 30_000;
const BATCH = 500;
const MAX_GAP = 200;

/**
 * Delivers the content_events table to this process's bus, in id order, each event once: every
 * instance tails the one table, so writes made by any gateway, an import run, the CLI or the
 * scheduler reach every cache. Redis (when configured) only wakes the tails at once after a
 * commit; without it, or while it is down, each tail still polls every `pollMs`, so nothing is
 * missed, only delayed.
 *
 * Ids are taken at insert, so a transaction that commits later than a younger one leaves a gap
 * below the cursor for a moment: gaps are read again until they fill or are old enough to be
 * rollbacks (inTransaction retries leave some).
 */
export class EventTail implements EventSource {
  private cursor = 0;
  private readonly gaps = new Map<number, number>();
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private subscriber: Redis | undefined;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly bus: ContentEvents,
    private readonly log: Logger,
    private readonly opts: {
      pollMs: number;
      redis?: Redis;
      /** Runs on each batch before this instance's caches hear of it (the search feeder indexes it). */
      beforeDelivery?: (changes: ContentChange[]) => Promise<void>;
    },
  ) {}

  /** Starts at the newest event: a process that just started has nothing cached to evict. */
  async start(): Promise<void> {
    const [row] = await this.ds.query("SELECT MAX(id) AS id FROM content_events");
    this.cursor = Number(row?.id ?? 0);
    this.bus.feedFrom(this);
    if (this.opts.redis) {
      const subscriber = this.opts.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
      subscriber.on("error", () => undefined);
      subscriber.subscribe(CHANNEL).catch(() => undefined);
      subscriber.on("message", () => void this.catchUp());
      this.subscriber = subscriber;
    }
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.catchUp().finally(tick), this.opts.pollMs);
      this.timer.unref();
    };
    tick();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.subscriber?.disconnect();
  }

  announce(): void {
    this.opts.redis?.publish(CHANNEL, String(Date.now())).catch(() => undefined);
  }

  /** One read at a time; a call during a read makes one more read after it, so nothing waits a full poll. */
  catchUp(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.read();
        } while (this.again && !this.stopped);
      } catch (err) {
        eventTailFailures.inc();
        this.log.warn({ err }, "reading content events failed; the next poll tries again");
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async read(): Promise<void> {
    const now = Date.now();
    for (const [id, seen] of this.gaps) if (now - seen > GAP_WAIT_MS) this.gaps.delete(id);
    const gapIds = [...this.gaps.keys()];
    const rows: Array<{ id: unknown; type: string; touches: string }> = await this.ds.query(
      `SELECT id, type, touches FROM content_events WHERE id > ?${
        gapIds.length ? ` OR id IN (${gapIds.map(() => "?").join(", ")})` : ""
      } ORDER BY id LIMIT ${BATCH}`,
      [this.cursor, ...gapIds],
    );
    const changes = readChanges(rows, this.log);
    if (this.opts.beforeDelivery && changes.length > 0) await this.opts.beforeDelivery(changes);
    for (const row of rows) {
      const id = Number(row.id);
      if (id > this.cursor) {
        // A wide jump is the database skipping ids (bulk reservations), not transactions in flight.
        if (id - this.cursor <= MAX_GAP)
          for (let missing = this.cursor + 1; missing < id; missing++) this.gaps.set(missing, now);
        this.cursor = id;
      } else this.gaps.delete(id);
    }
    for (const change of changes) {
      try {
        this.bus.changed(change);
        eventsDelivered.inc();
      } catch (err) {
        this.log.error({ err, eventId: change.eventId }, "a content event listener failed");
      }
    }
    if (rows.length === BATCH) this.again = true;
  }
}
