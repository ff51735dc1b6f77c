import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { readDate, sqlDate } from "../db/sql";
import { inTransaction } from "../db/transaction";
import { WebhookEntity } from "../events/webhook.entity";
import { decodeCursor, encodeCursor } from "../graphql/cursor";
import { badUserInput, notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import type { SiteSettings } from "../site/site.settings";
import type { CreateWebhookInput, UpdateWebhookInput, WebhookEvent } from "./webhook.args";
import { unsafeTarget } from "./webhook.sender";
import { WebhookDeliveryStatus, type DeliveryRow, type WebhookRow } from "./webhook.type";

const newSecret = () => `whsec_${randomBytes(32).toString("base64")}`;

export const idCursor = (row: { id: number }) => encodeCursor("id", [row.id]);
export function decodeIdCursor(cursor: string, field: string): number {
  const [id] = decodeCursor("id", cursor, field);
  if (typeof id !== "number") throw badUserInput("is not a valid cursor for this list", field);
  return id;
}

function toRow(e: WebhookEntity): WebhookRow {
  return {
    id: e.id,
    url: e.url,
    events: JSON.parse(e.events) as WebhookEvent[],
    sectionIds: JSON.parse(e.sections) as number[],
    languages: JSON.parse(e.languages) as string[],
    description: e.description,
    enabled: !!e.enabled,
    disabledReason: e.disabledReason,
    consecutiveFailures: e.consecutiveFailures,
    createdAt: e.createdAt,
  };
}

/** Admin management of webhooks; deliveries are made by the event stream and sent by WebhookWorker. */
export class WebhookService {
  constructor(
    private readonly ds: DataSource,
    private readonly config: Config,
    private readonly site: SiteSettings,
    private readonly clock: () => Date,
  ) {}

  /** The URL as text (the URL scalar parses into a URL object), if it may be called. */
  private async target(value: string | URL, field: string): Promise<string> {
    const url = String(value);
    const problem = await unsafeTarget(url, this.config.webhooks.allowPrivate);
    if (problem) throw badUserInput(`cannot be called: ${problem}`, field);
    return url;
  }

  private filters(input: { sections?: string[] | null; languages?: string[] | null }, field: string) {
    const sections = (input.sections ?? []).map((g, i) => fromGlobalIdOf("Section", g, `${field}.sections[${i}]`));
    const languages = input.languages ?? [];
    languages.forEach((l, i) => {
      if (!this.site.languages.includes(l))
        throw badUserInput(`"${l}" is not one of the site's languages`, `${field}.languages[${i}]`);
    });
    return { sections, languages };
  }

  async create(input: CreateWebhookInput): Promise<{ webhook: WebhookRow; secret: string }> {
    const url = await this.target(input.url, "input.url");
    const { sections, languages } = this.filters(input, "input");
    const secret = newSecret();
    const now = this.clock();
    const saved = await inTransaction(this.ds, (m) =>
      m.getRepository(WebhookEntity).save(
        Object.assign(new WebhookEntity(), {
          url,
          events: JSON.stringify([...new Set(input.events)]),
          sections: JSON.stringify(sections),
          languages: JSON.stringify(languages),
          description: input.description ?? null,
          secret,
          enabled: true,
          disabledReason: null,
          consecutiveFailures: 0,
          createdAt: now,
          updatedAt: now,
        }),
      ),
    );
    return { webhook: toRow(saved), secret };
  }

  async update(globalId: string, input: UpdateWebhookInput): Promise<WebhookRow> {
    const id = fromGlobalIdOf("Webhook", globalId, "id");
    if (input.url === null) throw badUserInput("cannot be cleared", "input.url");
    if (input.events === null) throw badUserInput("cannot be cleared", "input.events");
    const url = input.url != null ? await this.target(input.url, "input.url") : undefined;
    const filters = this.filters(input, "input");
    const saved = await inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(WebhookEntity);
      const row = await repo.findOne({ where: { id } });
      if (!row) throw notFound("Webhook not found");
      if (url) row.url = url;
      if (input.events) row.events = JSON.stringify([...new Set(input.events)]);
      if (input.sections !== undefined) row.sections = JSON.stringify(filters.sections);
      if (input.languages !== undefined) row.languages = JSON.stringify(filters.languages);
      if (input.description !== undefined) row.description = input.description;
      if (input.enabled === true && !row.enabled) {
        row.enabled = true;
        row.disabledReason = null;
        row.consecutiveFailures = 0;
      } else if (input.enabled === false) {
        row.enabled = false;
        row.disabledReason = "disabled by an admin";
      }
      row.updatedAt = this.clock();
      return repo.save(row);
    });
    return toRow(saved);
  }

  async delete(globalId: string): Promise<boolean> {
    const id = fromGlobalIdOf("Webhook", globalId, "id");
    const r = await inTransaction(this.ds, (m) => m.getRepository(WebhookEntity).delete({ id }));
    return (r.affected ?? 0) > 0;
  }

  async rotateSecret(globalId: string): Promise<{ webhook: WebhookRow; secret: string }> {
    const id = fromGlobalIdOf("Webhook", globalId, "id");
    const secret = newSecret();
    const saved = await inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(WebhookEntity);
      const row = await repo.findOne({ where: { id } });
      if (!row) throw notFound("Webhook not found");
      return repo.save(Object.assign(row, { secret, updatedAt: this.clock() }));
    });
    return { webhook: toRow(saved), secret };
  }

  async page(req: PageRequest<number>): Promise<Page<WebhookRow>> {
    const qb = this.ds
      .getRepository(WebhookEntity)
      .createQueryBuilder("w")
      .orderBy("w.id", "ASC")
      .take(req.size + 1);
    if (req.after !== undefined) qb.where("w.id > :after", { after: req.after });
    return toPage((await qb.getMany()).map(toRow), { ...req, direction: "forward" });
  }

  async count(): Promise<number> {
    return this.ds.getRepository(WebhookEntity).count();
  }

  async deliveries(webhookId: number, req: PageRequest<number>): Promise<Page<DeliveryRow>> {
    // Newest first: the delivery log reads like an inbox.
    const rows: Array<Record<string, unknown>> = await this.ds.query(
      `SELECT id, webhook_id, event_id, event_type, status, attempts, next_attempt_at, created_at, delivered_at
       FROM webhook_deliveries WHERE webhook_id = ?${req.after !== undefined ? " AND id < ?" : ""} ORDER BY id DESC LIMIT ${req.size + 1}`,
      req.after !== undefined ? [webhookId, req.after] : [webhookId],
    );
    const ids = rows.map((r) => Number(r.id));
    const log: Array<Record<string, unknown>> = ids.length
      ? await this.ds.query(
          `SELECT delivery_id, at, http_status, duration_ms, error FROM webhook_attempts WHERE delivery_id IN (${ids
            .map(() => "?")
            .join(", ")}) ORDER BY id`,
          ids,
        )
      : [];
    return toPage(
      rows.map((r) => ({
        id: Number(r.id),
        webhookId: Number(r.webhook_id),
        eventId: Number(r.event_id),
        eventType: String(r.event_type),
        status: String(r.status) as WebhookDeliveryStatus,
        attempts: Number(r.attempts),
        nextAttemptAt: readDate(r.next_attempt_at)!,
        createdAt: readDate(r.created_at)!,
        deliveredAt: readDate(r.delivered_at),
        log: log
          .filter((a) => Number(a.delivery_id) === Number(r.id))
          .map((a) => ({
            at: readDate(a.at)!,
            httpStatus: a.http_status == null ? null : Number(a.http_status),
            durationMs: Number(a.duration_ms),
            error: a.error == null ? null : String(a.error),
          })),
      })),
      { ...req, direction: "forward" },
    );
  }

  async deliveryCount(webhookId: number): Promise<number> {
    const [row] = await this.ds.query("SELECT COUNT(*) AS n FROM webhook_deliveries WHERE webhook_id = ?", [webhookId]);
    return Number(row?.n ?? 0);
  }

  /** Sends one delivery again, whatever became of it: due now (the next poll), with a fresh set of retries. */
  async redeliver(globalId: string): Promise<boolean> {
    const id = fromGlobalIdOf("WebhookDelivery", globalId, "deliveryId");
    const affected = await inTransaction(this.ds, async (m) => {
      const r = await m.query("SELECT id FROM webhook_deliveries WHERE id = ?", [id]);
      if (!r.length) throw notFound("Webhook delivery not found");
      await m.query(
        "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, delivered_at = NULL WHERE id = ?",
        [sqlDate(this.clock()), id],
      );
      return true;
    });
    return affected;
  }

  webhookId(globalId: string): number {
    return fromGlobalIdOf("Webhook", globalId, "id");
  }
}
