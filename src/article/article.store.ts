import { GraphQLError } from "graphql";
import { In, IsNull, type DataSource, type EntityManager } from "typeorm";
import { dialectOf } from "../db/data-source";
import { inTransaction } from "../db/transaction";
import { AuthorEntity } from "../author/author.entity";
import { ContentMomentEntity } from "../events/content-event.entity";
import { recordEvent } from "../events/event-log";
import type { ContentChange, ContentEventType } from "../events";
import { SLUG_PATTERN } from "../db/slug";
import { badUserInput } from "../graphql/errors";
import { webUrl } from "../graphql/image.input";
import { TagEntity } from "../tag/tag.entity";
import { ArticleAuthorEntity, ArticleEntity, ArticleTagEntity } from "./article.entity";
import { sanitizeBody } from "./article.sanitize";
import { listedArticles } from "./article.visibility";

export const MAX_BODY_BYTES = 1024 * 1024;

export const conflict = (message: string) =>
  new GraphQLError(message, { extensions: { code: "CONFLICT", http: { status: 409 } } });

/** Which input field to name when a value is refused (the editorial API's names by default). */
export interface ArticleFields {
  body: string;
  slug: string;
  heroImageUrl: string;
  sourceUrl: string;
}

const API_FIELDS: ArticleFields = {
  body: "input.body",
  slug: "input.slug",
  heroImageUrl: "input.heroImage.url",
  sourceUrl: "input.source.url",
};

/**
 * What every stored article holds to, whoever writes it: a body of at most 1 MB, sanitised (the
 * same allow-list for the API, imports and seeds), a slug of the URL-safe pattern, and http(s)
 * URLs for its image and source. Idempotent: a stored article passes through unchanged.
 */
export function prepareArticle<T extends Partial<ArticleEntity>>(values: T, fields: ArticleFields = API_FIELDS): T {
  const out = { ...values };
  if (values.body != null) {
    if (Buffer.byteLength(values.body, "utf8") > MAX_BODY_BYTES)
      throw badUserInput("must be at most 1 MB", fields.body);
    out.body = sanitizeBody(values.body);
  }
  if (values.slug != null && !SLUG_PATTERN.test(values.slug))
    throw badUserInput("must be lowercase letters, digits and single hyphens", fields.slug);
  if (values.heroImageUrl != null) out.heroImageUrl = webUrl(values.heroImageUrl, fields.heroImageUrl);
  if (values.sourceUrl != null) out.sourceUrl = webUrl(values.sourceUrl, fields.sourceUrl);
  return out;
}

/** The columns a reader sees: a change to one of them is news for a public article's subscribers. */
const PUBLIC_FIELDS = [
  "title",
  "slug",
  "standfirst",
  "body",
  "sectionId",
  "heroImageUrl",
  "heroImageAlt",
  "heroImageCaption",
  "heroImageCredit",
  "sourceName",
  "sourceUrl",
  "disclaimer",
  "publishedAt",
] as const;

/** Public by the one visibility rule (see article.visibility.ts), judged on a row in hand. */
export function isPublicRow(a: Pick<ArticleEntity, "status" | "publishedAt" | "deletedAt">, now: Date): boolean {
  return listed(a) && a.publishedAt! <= now;
}

/** Published or scheduled, with a publish time, not deleted: public once that time has passed. */
function listed(a: Pick<ArticleEntity, "status" | "publishedAt" | "deletedAt">): boolean {
  return (a.status === "published" || a.status === "scheduled") && !!a.publishedAt && !a.deletedAt;
}

/** What a link row keeps of its article (see LinkFeedColumns): where it sits in a feed, and whether it may be listed. */
export type LinkFeed = { publishedAt: Date | null; listed: boolean };

export function linkFeed(a: Pick<ArticleEntity, "status" | "publishedAt" | "deletedAt">): LinkFeed {
  return { publishedAt: a.publishedAt ?? null, listed: listed(a) };
}

/** A tag's link row keeps its article's language as well (ArticleTagEntity.language). */
export type TagLinkFeed = LinkFeed & { language: string };

export function tagLinkFeed(a: Pick<ArticleEntity, "status" | "publishedAt" | "deletedAt" | "language">): TagLinkFeed {
  return { ...linkFeed(a), language: a.language };
}

/** The UTC month of a publish time, as ArticleMonthEntity keys it: "2026-11". */
export const monthOf = (d: Date): string => d.toISOString().slice(0, 7);

/**
 * Keeps ArticleMonthEntity as an article changes: the month it leaves loses one, the month it
 * joins gains one (an upsert by primary key per month that changes, after the article row's lock).
 */
export async function countInMonths(m: EntityManager, before: LinkFeed | undefined, after: LinkFeed): Promise<void> {
  const was = before?.listed ? monthOf(before.publishedAt!) : null;
  const is = after.listed ? monthOf(after.publishedAt!) : null;
  if (was === is) return;
  const upsert =
    dialectOf(m.connection) === "mysql"
      ? "INSERT INTO article_months (month, articles) VALUES (?, ?) ON DUPLICATE KEY UPDATE articles = articles + VALUES(articles)"
      : "INSERT INTO article_months (month, articles) VALUES (?, ?) ON CONFLICT (month) DO UPDATE SET articles = articles + excluded.articles";
  if (was) await m.query(upsert, [was, -1]);
  if (is) await m.query(upsert, [is, 1]);
}

/**
 * Makes ArticleMonthEntity again from the stored articles, in one transaction: for loads that
 * write rows beside the write core (the bench seeder's bulk SQL).
 */
export async function recountArticleMonths(ds: DataSource): Promise<void> {
  const month = dialectOf(ds) === "mysql" ? "DATE_FORMAT(a.published_at, '%Y-%m')" : "substr(a.published_at, 1, 7)";
  await inTransaction(ds, async (m) => {
    await m.query("DELETE FROM article_months");
    await m.query(
      `INSERT INTO article_months (month, articles) SELECT ${month}, COUNT(*) FROM articles a` +
        ` WHERE ${listedArticles("a")} GROUP BY ${month}`,
    );
  });
}

const sameFeed = (x: LinkFeed, y: LinkFeed) =>
  x.listed === y.listed && (x.publishedAt?.getTime() ?? null) === (y.publishedAt?.getTime() ?? null);

/** Whether a field the public sees differs between two versions of an article. */
export function publicFieldsDiffer(a: Partial<ArticleEntity>, b: Partial<ArticleEntity>): boolean {
  const same = (x: unknown, y: unknown) =>
    x instanceof Date || y instanceof Date
      ? (x as Date | null)?.getTime?.() === (y as Date | null)?.getTime?.()
      : (x ?? null) === (y ?? null);
  return PUBLIC_FIELDS.some((f) => !same(a[f], b[f]));
}

/** The columns of a new article; the store sets version, and createdAt and updatedAt when absent. */
export type NewArticle = Omit<Partial<ArticleEntity>, "id" | "version">;

/**
 * The one persistence core for articles: the editorial API, the WordPress importer and the demo
 * seeder all write articles through it, inside a transaction of `inTransaction`. It owns the
 * rules every stored article follows: the version goes up by one with each change, updatedAt
 * moves, links to authors and tags are written in one order, and the lock order that keeps
 * concurrent writers from deadlocking (the article row first, then only the link rows that
 * change, never a range).
 *
 * Why no range deletes: `DELETE FROM article_authors WHERE article_id = ?` for an article with no
 * links yet takes a next-key lock on the end of the index in InnoDB; two editors creating
 * articles at once then each wait for the other's gap to insert into it (a deadlock on every
 * few creates, measured in bench/writers.ts). Links are diffed and written by primary key instead.
 */
export class ArticleStore {
  constructor(
    private readonly m: EntityManager,
    private readonly clock: () => Date,
  ) {}

  /**
   * The stored row, locked until the transaction ends so that concurrent writers of one article
   * take turns (and a patch without a version check always applies to the newest version).
   */
  async lock(id: number): Promise<ArticleEntity | null> {
    // SQLite has no row locks: a write transaction there holds the whole database already.
    const sqlite = this.m.connection.options.type === "better-sqlite3";
    return this.m
      .getRepository(ArticleEntity)
      .findOne({ where: { id }, ...(sqlite ? {} : { lock: { mode: "pessimistic_write" as const } }) });
  }

  async insert(
    values: NewArticle,
    links: { authorIds: number[]; tagIds: number[] },
    fields?: ArticleFields,
  ): Promise<ArticleEntity> {
    const now = this.clock();
    const saved = await this.m.getRepository(ArticleEntity).save(
      Object.assign(new ArticleEntity(), {
        ...prepareArticle(values, fields),
        createdAt: values.createdAt ?? now,
        updatedAt: values.updatedAt ?? now,
        version: 1,
      }),
    );
    await this.linkAuthors(saved.id, links.authorIds, true, linkFeed(saved));
    await this.linkTags(saved.id, links.tagIds, true, tagLinkFeed(saved));
    await countInMonths(this.m, undefined, linkFeed(saved));
    return saved;
  }

  /**
   * Compare-and-set on version, so two editors never silently overwrite each other: `expected`
   * is the version the edit was based on (absent: whatever is stored, as locked by `lock`).
   */
  async patch(
    before: ArticleEntity,
    patch: Partial<ArticleEntity>,
    opts: { expected?: number | null; updatedAt?: Date; fields?: ArticleFields } = {},
  ): Promise<ArticleEntity> {
    if (opts.expected != null && opts.expected !== before.version) {
      throw conflict(
        `The article changed since version ${opts.expected} (now ${before.version}); reload and apply your edit again`,
      );
    }
    const values = {
      ...prepareArticle(patch, opts.fields),
      updatedAt: opts.updatedAt ?? this.clock(),
      version: before.version + 1,
    };
    const result = await this.m.getRepository(ArticleEntity).update({ id: before.id, version: before.version }, values);
    if ((result.affected ?? 0) !== 1)
      throw conflict("The article changed while saving; reload and apply your edit again");
    const after = Object.assign(new ArticleEntity(), before, values);
    const feed = linkFeed(after);
    const moved = !sameFeed(feed, linkFeed(before));
    if (moved || after.language !== before.language) await this.syncLinkFeed(before.id, tagLinkFeed(after), moved);
    if (moved) await countInMonths(this.m, linkFeed(before), feed);
    return after;
  }

  /**
   * The article's link rows follow its publish time and visibility, and its tag rows its
   * language (`authorsToo` false: only the language changed). By primary key, row by known row
   * (see the class comment): the article's row is locked already, so this adds no new lock order.
   */
  private async syncLinkFeed(articleId: number, feed: TagLinkFeed, authorsToo: boolean): Promise<void> {
    const { authorIds, tagIds } = await this.links(articleId);
    const { publishedAt, listed } = feed;
    if (authorsToo && authorIds.length)
      await this.m.update(ArticleAuthorEntity, { articleId, authorId: In(authorIds) }, { publishedAt, listed });
    if (tagIds.length) await this.m.update(ArticleTagEntity, { articleId, tagId: In(tagIds) }, feed);
  }

  /** The feed values of a stored article, for link rows made after it was saved. */
  private async feedOf(articleId: number): Promise<TagLinkFeed> {
    const row = await this.m.getRepository(ArticleEntity).findOne({
      where: { id: articleId },
      select: { id: true, status: true, publishedAt: true, deletedAt: true, language: true },
    });
    return row ? tagLinkFeed(row) : { publishedAt: null, listed: false, language: "" };
  }

  /**
   * Authors in byline order. `fresh`: the article was made in this transaction and has none yet.
   * `feed`: the article's feed values as saved (read from its row when absent).
   */
  async linkAuthors(articleId: number, authorIds: number[], fresh = false, feed?: LinkFeed): Promise<void> {
    const current = fresh ? [] : await this.m.find(ArticleAuthorEntity, { where: { articleId } });
    const wanted = new Map(authorIds.map((authorId, position) => [authorId, position]));
    for (const link of current) {
      const position = wanted.get(link.authorId);
      if (position === undefined) await this.m.delete(ArticleAuthorEntity, { articleId, authorId: link.authorId });
      else if (position !== link.position)
        await this.m.update(ArticleAuthorEntity, { articleId, authorId: link.authorId }, { position });
    }
    const have = new Set(current.map((l) => l.authorId));
    const added = authorIds.filter((id) => !have.has(id));
    if (added.length) {
      const { publishedAt, listed } = feed ?? (await this.feedOf(articleId));
      const values = { publishedAt, listed };
      await this.m.insert(
        ArticleAuthorEntity,
        added.map((authorId) => ({ articleId, authorId, position: wanted.get(authorId)!, ...values })),
      );
    }
  }

  async linkTags(articleId: number, tagIds: number[], fresh = false, feed?: TagLinkFeed): Promise<void> {
    const current = fresh ? [] : await this.m.find(ArticleTagEntity, { where: { articleId } });
    const wanted = new Set(tagIds);
    for (const link of current) {
      if (!wanted.has(link.tagId)) await this.m.delete(ArticleTagEntity, { articleId, tagId: link.tagId });
    }
    const have = new Set(current.map((l) => l.tagId));
    const added = [...wanted].filter((id) => !have.has(id));
    if (added.length) {
      const values = feed ?? (await this.feedOf(articleId));
      await this.m.insert(
        ArticleTagEntity,
        added.map((tagId) => ({ articleId, tagId, ...values })),
      );
    }
  }

  /**
   * Tags by slug, made on first use. Two editors naming the same new tag at once both succeed:
   * the insert ignores a slug that another transaction stored first, then both read its id.
   */
  async tagsBySlug(tags: Array<{ slug: string; name: string }>): Promise<number[]> {
    if (!tags.length) return [];
    const repo = this.m.getRepository(TagEntity);
    const slugs = tags.map((t) => t.slug);
    const existing = await repo.find({ where: { slug: In(slugs) } });
    const missing = tags.filter((t) => !existing.some((e) => e.slug === t.slug));
    if (missing.length) await repo.createQueryBuilder().insert().into(TagEntity).values(missing).orIgnore().execute();
    const rows = missing.length ? await repo.find({ where: { slug: In(slugs) } }) : existing;
    const bySlug = new Map(rows.map((r) => [r.slug, r.id]));
    return [...new Set(slugs.map((s) => bySlug.get(s)!))];
  }

  /** The article's current author and tag ids: the lists a change to it leaves or joins. */
  async links(articleId: number): Promise<{ authorIds: number[]; tagIds: number[] }> {
    return {
      authorIds: (await this.m.find(ArticleAuthorEntity, { where: { articleId } })).map((l) => l.authorId),
      tagIds: (await this.m.find(ArticleTagEntity, { where: { articleId } })).map((l) => l.tagId),
    };
  }

  /** Adds what `a` touches to `change`: the article itself and its links (current ones unless given). */
  async note(
    change: ContentChange,
    a: Pick<ArticleEntity, "id" | "storyKey" | "sectionId" | "language" | "slug">,
    links?: { authorIds: number[]; tagIds: number[] },
  ): Promise<void> {
    change.articleIds.push(a.id);
    change.storyKeys.push(a.storyKey);
    change.sectionIds.push(a.sectionId);
    change.languages.push(a.language);
    (change.articleSlugs ??= []).push(`${a.language}:${a.slug}`);
    const { authorIds, tagIds } = links ?? (await this.links(a.id));
    change.authorIds.push(...authorIds);
    change.tagIds.push(...tagIds);
  }

  /**
   * Records `change` as a content event of this transaction (see recordEvent), with the slugs of
   * its authors and tags, which lists filtered by slug need to know they are touched.
   */
  async record(type: ContentEventType, change: ContentChange, effectiveAt?: Date): Promise<void> {
    const authorIds = [...new Set(change.authorIds)];
    const tagIds = [...new Set(change.tagIds)];
    change.authorSlugs = authorIds.length
      ? (await this.m.getRepository(AuthorEntity).find({ where: { id: In(authorIds) } })).map((a) => a.slug)
      : [];
    change.tagSlugs = tagIds.length
      ? (await this.m.getRepository(TagEntity).find({ where: { id: In(tagIds) } })).map((t) => t.slug)
      : [];
    change.type = type;
    await recordEvent(this.m, type, change, this.clock(), effectiveAt);
  }

  /** The article's pending moments become exactly `moments` (none: nothing is due for it any more). */
  async schedule(articleId: number, moments: Array<{ kind: "publish" | "unpublish"; dueAt: Date }>): Promise<void> {
    const repo = this.m.getRepository(ContentMomentEntity);
    await repo.delete({ articleId, doneAt: IsNull() });
    if (moments.length) await repo.insert(moments.map((mo) => ({ articleId, ...mo, doneAt: null })));
  }
}
