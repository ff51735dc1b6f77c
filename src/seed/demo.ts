import { randomUUID } from "node:crypto";
import { inTransaction } from "../db/transaction";
import { KEEP_ALL, writeRevision } from "../article/article.revisions";
import { ArticleStore } from "../article/article.store";
import { emptyChange } from "../events";
import { recordEvent } from "../events/event-log";
import type { DataSource, EntityManager } from "typeorm";
import { ArticleEntity } from "../article/article.entity";
import { AuthorEntity } from "../author/author.entity";
import { SectionEntity } from "../section/section.entity";
import { TagEntity } from "../tag/tag.entity";
import { sanitizeBody } from "../article/article.sanitize";
import { demoArticles, demoAuthors, demoSections, demoTags, type DemoImage } from "./demo-content";

export interface DemoSeedResult {
  articlesCreated: number;
  articlesUpdated: number;
}

const image = (prefix: "heroImage" | "avatar", img: DemoImage | undefined) => ({
  [`${prefix}Url`]: img?.url ?? null,
  [`${prefix}Alt`]: img?.alt ?? null,
  [`${prefix}Width`]: img?.width ?? null,
  [`${prefix}Height`]: img?.height ?? null,
  ...(prefix === "heroImage" ? { heroImageCaption: img?.caption ?? null, heroImageCredit: img?.credit ?? null } : {}),
});

async function upsertBySlug<T extends { id: number; slug: string }>(
  m: EntityManager,
  entity: new () => T,
  slug: string,
  values: Partial<T>,
): Promise<T> {
  const repo = m.getRepository(entity);
  const existing = await repo.findOne({ where: { slug } as never });
  return repo.save(Object.assign(existing ?? new entity(), values, { slug }) as T);
}

/**
 * Loads the demo publication. Idempotent: rows are matched by slug (articles by language
 * and slug) and updated in place, so ids stay stable and nothing is duplicated.
 */
export async function seedDemo(ds: DataSource, now: Date = new Date()): Promise<DemoSeedResult> {
  return inTransaction(ds, async (m) => {
    const sections = new Map<string, SectionEntity>();
    for (const [position, s] of demoSections.entries()) {
      const parentId = s.parent ? sections.get(s.parent)!.id : null;
      sections.set(
        s.slug,
        await upsertBySlug(m, SectionEntity, s.slug, {
          name: s.name,
          description: s.description ?? null,
          parentId,
          position,
        }),
      );
    }
    const authors = new Map<string, AuthorEntity>();
    for (const a of demoAuthors) {
      authors.set(
        a.slug,
        await upsertBySlug(m, AuthorEntity, a.slug, {
          name: a.name,
          role: a.role ?? null,
          bio: a.bio ?? null,
          email: a.email,
          ...image("avatar", a.avatar),
        }),
      );
    }
    const tags = new Map<string, TagEntity>();
    for (const t of demoTags) tags.set(t.slug, await upsertBySlug(m, TagEntity, t.slug, { name: t.name }));

    const articles = m.getRepository(ArticleEntity);
    const change = emptyChange("article");
    const storyKeys = new Map<string, string>();
    let created = 0;
    let updated = 0;
    for (const a of demoArticles) {
      const existing = await articles.findOne({ where: { language: a.language, slug: a.slug } });
      // Story keys are UUIDs; reuse the one already stored for any version of this story.
      const storyKey = storyKeys.get(a.story) ?? existing?.storyKey ?? randomUUID();
      storyKeys.set(a.story, storyKey);
      const publishedAt =
        a.status === "scheduled"
          ? new Date(now.getTime() + (a.publishInDays ?? 7) * 86_400_000)
          : a.publishedAt
            ? new Date(a.publishedAt)
            : null;
      const values = {
        storyKey,
        slug: a.slug,
        language: a.language,
        title: a.title,
        standfirst: a.standfirst ?? null,
        body: sanitizeBody(a.body),
        status: a.status,
        publishedAt,
        deletedAt: a.deleted ? (publishedAt ?? now) : null,
        sectionId: sections.get(a.section)!.id,
        ...image("heroImage", a.heroImage),
        sourceName: a.source?.name ?? null,
        sourceUrl: a.source?.url ?? null,
        disclaimer: a.disclaimer ?? null,
      };
      const updatedAt = publishedAt && publishedAt < now ? publishedAt : now;
      const links = {
        authorIds: a.authors.map((slug) => authors.get(slug)!.id),
        tagIds: a.tags.map((slug) => tags.get(slug)!.id),
      };
      const store = new ArticleStore(m, () => now);
      if (existing) {
        const locked = (await store.lock(existing.id))!;
        await store.note(change, locked);
        await store.patch(locked, values, { updatedAt });
        await store.linkAuthors(existing.id, links.authorIds);
        await store.linkTags(existing.id, links.tagIds);
        await store.note(change, { ...locked, ...values }, links);
        await writeRevision(m, existing.id, "seed", now, KEEP_ALL);
        updated++;
      } else {
        const saved = await store.insert({ ...values, createdAt: publishedAt ?? now, updatedAt }, links);
        await store.note(change, saved, links);
        await writeRevision(m, saved.id, "seed", now, KEEP_ALL);
        created++;
      }
    }
    // What the seed touched, as events in the same transaction: caches that hold any of it hear of it.
    const sectionIds = [...sections.values()].map((x) => x.id);
    await recordEvent(m, "section.changed", { ...emptyChange("section"), sectionIds }, now);
    const authorIds = [...authors.values()].map((x) => x.id);
    await recordEvent(m, "author.changed", { ...emptyChange("author"), authorIds }, now);
    if (change.articleIds.length) await new ArticleStore(m, () => now).record("article.updated", change);
    return { articlesCreated: created, articlesUpdated: updated };
  });
}

export async function isEmpty(ds: DataSource): Promise<boolean> {
  return (await ds.getRepository(ArticleEntity).count()) === 0;
}
