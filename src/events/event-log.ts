import type { Logger } from "pino";
import type { EntityManager } from "typeorm";
import { ContentEventEntity } from "./content-event.entity";
import { fanOutToWebhooks } from "./webhook-outbox";
import { dedupeChange, emptyChange, type ContentChange, type ContentEventType } from "./index";

/**
 * Records `change` as a content event inside the caller's transaction (inTransaction), with its
 * webhook deliveries: they commit with the change or not at all, even if the process dies right
 * after the commit.
 */
export async function recordEvent(
  m: EntityManager,
  type: ContentEventType,
  change: ContentChange,
  now: Date,
  effectiveAt: Date = now,
): Promise<void> {
  const { kind: _kind, type: _type, eventId: _id, ...touches } = dedupeChange(change);
  const inserted = await m.getRepository(ContentEventEntity).insert({
    type,
    touches: JSON.stringify(touches),
    effectiveAt,
    createdAt: now,
  });
  await fanOutToWebhooks(m, Number(inserted.identifiers[0]!.id), type, change, now);
}

const KIND_OF: Record<string, ContentChange["kind"]> = {
  article: "article",
  section: "section",
  author: "author",
  live: "live",
};

/** Stored events as the bus carries them, each read on its own: one that cannot be read is logged and left out. */
export function readChanges(rows: Array<{ id: unknown; type: string; touches: string }>, log: Logger): ContentChange[] {
  return rows.flatMap((row) => {
    try {
      return [changeOf(row)];
    } catch (err) {
      log.error({ err, eventId: Number(row.id) }, "a content event could not be read");
      return [];
    }
  });
}

/** A stored event as the bus carries it. */
export function changeOf(row: { id: unknown; type: string; touches: string }): ContentChange {
  const touches = JSON.parse(row.touches) as Partial<ContentChange>;
  return {
    ...emptyChange("article"),
    ...touches,
    kind: KIND_OF[row.type.split(".")[0]!] ?? "article",
    type: row.type as ContentEventType,
    eventId: String(row.id),
  };
}
