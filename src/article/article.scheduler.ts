import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { dialectOf } from "../db/data-source";
import { readDate, sqlDate } from "../db/sql";
import { inTransaction } from "../db/transaction";
import { emptyChange, type ContentEvents } from "../events";
import { momentsEmitted } from "../metrics/metrics";
import { KEEP_ALL, writeRevision } from "./article.revisions";
import { ArticleStore } from "./article.store";
import { inSpan } from "../tracing";

const CLAIM = 50;

/**
 * Scheduled moments become events when they arrive, with no cron job: each gateway looks every
 * `tickMs` for moments that are due (one indexed MIN query), claims them in the database
 * (`FOR UPDATE SKIP LOCKED` on MySQL/MariaDB, so two gateways never take the same one; SQLite
 * serialises writers) and, in the transaction that marks each one done, emits its event: an
 * article.published when a scheduled article's time comes (it is already public by the
 * visibility rule; the event tells the caches), or an article.unpublished when its take-down
 * time comes (the article goes back to draft). Each moment is emitted exactly once.
 *
 * `nextMomentAt` is the soonest pending moment, which caches cap their ages to, so an answer
 * that a moment could change never outlives it even if its event were late.
 */
export class ArticleScheduler {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date,
    private readonly events: ContentEvents,
    private readonly log: Logger,
    private readonly tickMs: number,
  ) {}

  start(): void {
    // A moment scheduled through another instance moves the soonest one at once.
    this.events.onChange((c) => {
      if (c.type === "article.scheduled" || c.type === "article.published") void this.tick();
    });
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.tick().finally(loop), this.tickMs);
      this.timer.unref();
    };
    void this.tick().finally(loop);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  tick(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      let next = await this.soonest();
      while (next && next <= this.clock() && !this.stopped) {
        if ((await this.emitDue()) === 0) break;
        next = await this.soonest();
      }
    } catch (err) {
      this.log.warn({ err }, "scheduled moments could not be read or emitted; the next tick tries again");
    }
  }

  private async soonest(): Promise<Date | null> {
    const [row] = await this.ds.query("SELECT MIN(due_at) AS due FROM content_moments WHERE done_at IS NULL");
    const next = readDate(row?.due);
    this.events.nextMomentAt = next;
    return next;
  }

  /** Only ticks with something due make a trace: the claim, the article writes and the events. */
  private emitDue(): Promise<number> {
    return inSpan("scheduled moments", {}, async (span) => {
      const claimed = await this.emitDueNow();
      span?.setAttribute("courant.moments.claimed", claimed);
      return claimed;
    });
  }

  /** Claims what is due, emits each moment's event and marks it done, in one transaction. */
  private async emitDueNow(): Promise<number> {
    const skipLocked = dialectOf(this.ds) === "mysql" ? " FOR UPDATE SKIP LOCKED" : "";
    const emitted = await inTransaction(this.ds, async (m) => {
      const now = this.clock();
      const due: Array<{ id: unknown; article_id: unknown; kind: string; due_at: unknown }> = await m.query(
        `SELECT id, article_id, kind, due_at FROM content_moments WHERE done_at IS NULL AND due_at <= ? ORDER BY due_at, id LIMIT ${CLAIM}${skipLocked}`,
        [sqlDate(now)],
      );
      const kinds: string[] = [];
      const store = new ArticleStore(m, this.clock);
      for (const moment of due) {
        const dueAt = readDate(moment.due_at)!;
        const article = await store.lock(Number(moment.article_id));
        const change = emptyChange("article");
        if (article && !article.deletedAt) {
          if (
            moment.kind === "publish" &&
            article.status === "scheduled" &&
            article.publishedAt &&
            article.publishedAt <= now
          ) {
            await store.note(change, article);
            change.public = { before: false, after: true, fieldsChanged: true };
            await store.record("article.published", change, dueAt);
            kinds.push("publish");
          } else if (
            moment.kind === "unpublish" &&
            (article.status === "published" || article.status === "scheduled") &&
            article.unpublishAt &&
            article.unpublishAt <= now
          ) {
            await store.patch(article, { status: "draft", unpublishAt: null });
            await store.note(change, article);
            change.public = { before: true, after: false, fieldsChanged: true };
            await store.record("article.unpublished", change, dueAt);
            await writeRevision(m, article.id, "scheduler", now, KEEP_ALL);
            kinds.push("unpublish");
          }
        }
        await m.query("UPDATE content_moments SET done_at = ? WHERE id = ?", [sqlDate(now), Number(moment.id)]);
      }
      return { claimed: due.length, kinds };
    });
    for (const kind of emitted.kinds) momentsEmitted.inc({ kind });
    if (emitted.kinds.length) await this.events.committed();
    return emitted.claimed;
  }
}
