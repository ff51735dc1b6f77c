import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { dialectOf } from "../db/data-source";
import { readDate, sqlDate } from "../db/sql";
import { inTransaction } from "../db/transaction";
import type { ContentEvents } from "../events";
import { webhookDeliveries, webhookProbe } from "../metrics/metrics";
import { articleUrl } from "../site/site.urls";
import { sendSigned } from "./webhook.sender";
import { inSpan, SpanKind } from "../tracing";

/** Claimed deliveries are the claimant's for this long; a crashed instance's claims lapse after it. */
const LEASE_MS = 60_000;
const CLAIM = 20;

interface Claimed {
  id: number;
  webhookId: number;
  eventId: number;
  attempts: number;
  payload: string;
  url: string;
  secret: string;
}

/**
 * Delivers webhook deliveries at least once, from any instance: due deliveries are claimed in the
 * database (`FOR UPDATE SKIP LOCKED` on MySQL, then a lease), so two instances never send the same
 * attempt at the same moment; they are sent outside any transaction (never in an editor's
 * request), oldest event first; each attempt is recorded. A failure is retried after the next
 * wait of `retrySchedule`, with ±20 % jitter; after the last one the delivery has failed for good,
 * and a webhook whose `disableAfter` events in a row failed for good is disabled, saying why.
 * Deliveries run on the wall clock (not the content clock tests move): receivers check timestamps.
 */
export class WebhookWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly ds: DataSource,
    private readonly config: Config,
    events: ContentEvents,
    private readonly log: Logger,
    private readonly pollMs: number,
  ) {
    // A new event may have made deliveries: look at once rather than at the next poll.
    this.unsubscribe = events.onChange(() => void this.tick());
    webhookProbe.oldestPendingSeconds = async () => {
      const [row] = await this.ds.query("SELECT MIN(created_at) AS t FROM webhook_deliveries WHERE status = 'pending'");
      const t = readDate(row?.t);
      return t ? Math.max(0, (Date.now() - t.getTime()) / 1000) : 0;
    };
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.tick().finally(loop), this.pollMs);
      this.timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  tick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          const claimed = await this.claim();
          await Promise.all(claimed.map((d) => this.deliver(d)));
          if (claimed.length === CLAIM) this.again = true;
        } while (this.again && !this.stopped);
      } catch (err) {
        this.log.warn({ err }, "webhook deliveries could not be claimed or recorded; the next poll tries again");
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async claim(): Promise<Claimed[]> {
    // A plain read first: most polls find nothing due, and need no write transaction (and lock).
    const due = await this.ds.query(
      "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1",
      [sqlDate(new Date())],
    );
    if (!due.length) return [];
    const skipLocked = dialectOf(this.ds) === "mysql" ? " FOR UPDATE SKIP LOCKED" : "";
    return inTransaction(this.ds, async (m) => {
      const now = new Date();
      const rows: Array<Record<string, unknown>> = await m.query(
        `SELECT d.id, d.webhook_id, d.event_id, d.attempts, d.payload FROM webhook_deliveries d
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.event_id, d.id LIMIT ${CLAIM}${skipLocked}`,
        [sqlDate(now)],
      );
      if (!rows.length) return [];
      const ids = rows.map((r) => Number(r.id));
      await m.query(
        `UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id IN (${ids.map(() => "?").join(", ")})`,
        [sqlDate(new Date(now.getTime() + LEASE_MS)), ...ids],
      );
      const hookIds = [...new Set(rows.map((r) => Number(r.webhook_id)))];
      const hooks: Array<{ id: unknown; url: string; secret: string; enabled: unknown }> = await m.query(
        `SELECT id, url, secret, enabled FROM webhooks WHERE id IN (${hookIds.map(() => "?").join(", ")})`,
        hookIds,
      );
      const byId = new Map(hooks.map((h) => [Number(h.id), h]));
      return rows.flatMap((r) => {
        const hook = byId.get(Number(r.webhook_id));
        // A disabled webhook keeps its pending deliveries for when it is enabled again.
        if (!hook || !Number(hook.enabled)) return [];
        return [
          {
            id: Number(r.id),
            webhookId: Number(r.webhook_id),
            eventId: Number(r.event_id),
            attempts: Number(r.attempts),
            payload: String(r.payload),
            url: hook.url,
            secret: hook.secret,
          },
        ];
      });
    });
  }

  /** The stored body, with the article's public URL (the site's address is this instance's setting). */
  private body(payload: string): string {
    const parsed = JSON.parse(payload) as { data?: { article?: { language: string; slug: string; url?: string } } };
    const article = parsed.data?.article;
    if (article) article.url = articleUrl(this.config.publicSiteUrl, article);
    return JSON.stringify(parsed);
  }

  /** Each attempt is a trace of its own: the POST (its traceparent sent along) and the SQL recording it. */
  private deliver(d: Claimed): Promise<void> {
    return inSpan(
      "webhook delivery",
      {
        "courant.webhook.id": d.webhookId,
        "courant.webhook.delivery_id": d.id,
        "courant.event.id": d.eventId,
        "courant.webhook.attempt": d.attempts + 1,
        "http.request.method": "POST",
      },
      () => this.attempt(d),
      SpanKind.CLIENT,
    );
  }

  private async attempt(d: Claimed): Promise<void> {
    const now = new Date();
    const result = await sendSigned({ url: d.url, secret: d.secret }, `evt_${d.eventId}`, this.body(d.payload), {
      timeoutMs: this.config.webhooks.timeoutMs,
      allowPrivate: this.config.webhooks.allowPrivate,
      now,
    });
    const schedule = this.config.webhooks.retrySchedule;
    const attempts = d.attempts + 1;
    const outcome = result.ok
      ? "delivered"
      : result.error?.startsWith("refused:")
        ? "refused"
        : attempts > schedule.length
          ? "failed"
          : "retrying";
    webhookDeliveries.inc({ outcome });
    if (!result.ok)
      this.log.warn(
        {
          webhookId: d.webhookId,
          eventId: d.eventId,
          deliveryId: d.id,
          attempts,
          status: result.status,
          error: result.error,
        },
        outcome === "retrying" ? "webhook delivery failed; retrying" : "webhook delivery failed for good",
      );
    await inTransaction(this.ds, async (m) => {
      await m.query(
        "INSERT INTO webhook_attempts (delivery_id, at, http_status, duration_ms, error) VALUES (?, ?, ?, ?, ?)",
        [d.id, sqlDate(now), result.status, result.durationMs, result.error],
      );
      if (result.ok) {
        await m.query(
          "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, delivered_at = ? WHERE id = ?",
          [attempts, sqlDate(now), d.id],
        );
        await m.query("UPDATE webhooks SET consecutive_failures = 0 WHERE id = ?", [d.webhookId]);
        return;
      }
      if (outcome === "retrying") {
        const wait = schedule[attempts - 1]! * 1000 * (0.8 + Math.random() * 0.4);
        await m.query("UPDATE webhook_deliveries SET attempts = ?, next_attempt_at = ? WHERE id = ?", [
          attempts,
          sqlDate(new Date(now.getTime() + wait)),
          d.id,
        ]);
        return;
      }
      await m.query("UPDATE webhook_deliveries SET status = 'failed', attempts = ? WHERE id = ?", [attempts, d.id]);
      await m.query(
        "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, updated_at = ? WHERE id = ?",
        [sqlDate(now), d.webhookId],
      );
      const reason = `${this.config.webhooks.disableAfter} events in a row could not be delivered; the last: ${result.error ?? "failed"}`;
      await m.query(
        "UPDATE webhooks SET enabled = 0, disabled_reason = ? WHERE id = ? AND consecutive_failures >= ? AND enabled = 1",
        [reason.slice(0, 500), d.webhookId, this.config.webhooks.disableAfter],
      );
    });
  }
}
