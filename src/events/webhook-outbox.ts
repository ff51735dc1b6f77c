import type { EntityManager } from "typeorm";
import { readDate } from "../db/sql";
import { toGlobalId } from "../graphql/global-id";
import type { ContentChange, ContentEventType } from "./index";
import { WebhookDeliveryEntity } from "./webhook.entity";

/** The event types a webhook can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "article.published",
  "article.updated",
  "article.unpublished",
  "article.scheduled",
  "article.deleted",
  "section.changed",
  "author.changed",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const placeholders = (n: number) => Array.from({ length: n }, () => "?").join(", ");

/**
 * What a content event is to the publisher's other systems, or nothing: drafts never reach a
 * webhook; an update only when the article is public and a public field changed; a take-down
 * (unpublish, archive, delete) only when the article was public before.
 */
function webhookType(type: ContentEventType, c: ContentChange): WebhookEventType | undefined {
  switch (type) {
    case "article.published":
    case "article.scheduled":
      return type;
    case "article.updated":
      return c.public?.after && c.public.fieldsChanged ? "article.updated" : undefined;
    case "article.unpublished":
    case "article.archived":
      return c.public?.before ? "article.unpublished" : undefined;
    case "article.deleted":
      return c.public?.before ? "article.deleted" : undefined;
    case "section.changed":
    case "author.changed":
      return type;
    default:
      return undefined;
  }
}

interface HookRow {
  id: unknown;
  events: string;
  sections: string;
  languages: string;
}

/**
 * Fans a content event out to the webhooks that want it, as delivery rows written in the same
 * transaction as the event (and the change): a delivery exists exactly for what committed. The
 * body is made now, from the article as this transaction sees it, and is what gets signed and
 * sent; the worker (src/webhooks) adds the public URL.
 */
export async function fanOutToWebhooks(
  m: EntityManager,
  eventId: number,
  type: ContentEventType,
  change: ContentChange,
  now: Date,
): Promise<void> {
  const wanted = webhookType(type, change);
  if (!wanted) return;
  const hooks: HookRow[] = await m.query("SELECT id, events, sections, languages FROM webhooks WHERE enabled = 1");
  const candidates = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(wanted));
  if (!candidates.length) return;
  const data = await eventData(m, change);
  if (!data) return;
  // Section filters include child sections: the tree is small, read whole.
  const tree: Array<{ id: unknown; parent_id: unknown }> = await m.query("SELECT id, parent_id FROM sections");
  const parent = new Map(tree.map((r) => [Number(r.id), r.parent_id == null ? null : Number(r.parent_id)]));
  const within = (sectionId: number, roots: Set<number>) => {
    for (
      let s: number | null = sectionId, hops = 0;
      s != null && hops <= parent.size;
      hops++, s = parent.get(s) ?? null
    )
      if (roots.has(s)) return true;
    return false;
  };
  const rows = candidates
    .filter((h) => {
      const sections = new Set(JSON.parse(h.sections) as number[]);
      const languages = JSON.parse(h.languages) as string[];
      if (sections.size && !data.sectionIds.some((s) => within(s, sections))) return false;
      if (languages.length && data.languages.length && !data.languages.some((l) => languages.includes(l))) return false;
      return true;
    })
    .map((h) => ({
      webhookId: Number(h.id),
      eventId,
      eventType: wanted,
      payload: JSON.stringify({
        type: wanted,
        timestamp: now.toISOString(),
        data: { eventId: String(eventId), ...data.body },
      }),
      status: "pending" as const,
      attempts: 0,
      // Delivery runs on the wall clock, whatever clock the content runs on.
      nextAttemptAt: new Date(),
      createdAt: new Date(),
      deliveredAt: null,
    }));
  if (rows.length) await m.getRepository(WebhookDeliveryEntity).insert(rows);
}

/** The public fields of what the event touches, and what filters judge it by. */
async function eventData(
  m: EntityManager,
  c: ContentChange,
): Promise<{ body: Record<string, unknown>; sectionIds: number[]; languages: string[] } | undefined> {
  if (c.kind === "section") {
    if (!c.sectionIds.length) return undefined;
    const rows: Array<{ id: unknown; slug: string; name: string }> = await m.query(
      `SELECT id, slug, name FROM sections WHERE id IN (${placeholders(c.sectionIds.length)})`,
      c.sectionIds,
    );
    return {
      body: { sections: rows.map((r) => ({ id: toGlobalId("Section", Number(r.id)), slug: r.slug, name: r.name })) },
      sectionIds: rows.map((r) => Number(r.id)),
      languages: [],
    };
  }
  if (c.kind === "author") {
    if (!c.authorIds.length) return undefined;
    const rows: Array<{ id: unknown; slug: string; name: string }> = await m.query(
      `SELECT id, slug, name FROM authors WHERE id IN (${placeholders(c.authorIds.length)})`,
      c.authorIds,
    );
    return {
      body: { authors: rows.map((r) => ({ id: toGlobalId("Author", Number(r.id)), slug: r.slug, name: r.name })) },
      sectionIds: [],
      languages: [],
    };
  }
  const id = c.articleIds[0];
  if (id === undefined) return undefined;
  const [a]: Array<Record<string, unknown>> = await m.query(
    `SELECT a.id, a.slug, a.language, a.title, a.published_at, a.section_id, s.slug AS section_slug, s.name AS section_name
     FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.id = ?`,
    [id],
  );
  if (!a) return undefined;
  const authors: Array<{ id: unknown; slug: string; name: string }> = await m.query(
    `SELECT au.id, au.slug, au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = ? ORDER BY aa.position`,
    [id],
  );
  const publishedAt = readDate(a.published_at)?.toISOString() ?? null;
  return {
    body: {
      article: {
        id: toGlobalId("Article", Number(a.id)),
        slug: a.slug,
        language: a.language,
        title: a.title,
        section: { id: toGlobalId("Section", Number(a.section_id)), slug: a.section_slug, name: a.section_name },
        authors: authors.map((r) => ({ id: toGlobalId("Author", Number(r.id)), slug: r.slug, name: r.name })),
        publishedAt,
      },
    },
    // The section it was in before counts too: a move out of a filtered section is news there.
    sectionIds: [...new Set([Number(a.section_id), ...c.sectionIds])],
    languages: [String(a.language)],
  };
}
