import { randomUUID } from "node:crypto";
import { textContent } from "domutils";
import { parseDocument } from "htmlparser2";
import { In, IsNull, Not, type DataSource, type EntityManager } from "typeorm";
import { ArticleEntity, type ArticleStatusValue } from "../../article/article.entity";
import { ArticleRevisionEntity } from "../../article/article-revision.entity";
import {
  changedFields,
  contentOf,
  encodeContent,
  KEEP_ALL,
  writeRevision,
  type RevisionContent,
} from "../../article/article.revisions";
import { ArticleStore, isPublicRow, MAX_BODY_BYTES, prepareArticle } from "../../article/article.store";
import { AuthorEntity } from "../../author/author.entity";
import { freeSlug, SLUG_PATTERN, slugFrom } from "../../db/slug";
import { inTransaction } from "../../db/transaction";
import { emptyChange, type ContentChange, type ContentEvents } from "../../events";
import { recordEvent } from "../../events/event-log";
import { SectionEntity } from "../../section/section.entity";
import { TagEntity } from "../../tag/tag.entity";
import { ImportSourceEntity, type ImportSourceKind } from "../import-source.entity";
import { cleanContent } from "./wordpress.content";
import type { WordpressReader, WpImage, WpPost, WpPostStub, WpTerm, WpUser } from "./wordpress.model";

export interface WordpressImportOptions {
  /** The site's languages (SITE_LANGUAGES) and the language of posts on a site without a language plugin. */
  languages: string[];
  defaultLanguage: string;
  /** Only posts modified at or after this moment. */
  since?: Date;
  clock?: () => Date;
  /** Inside the server: announce each change so caches evict what it touched. */
  events?: ContentEvents;
  /** Stops between two posts; what is done stays done. */
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface Counts {
  imported: number;
  updated: number;
}

export interface WordpressImportSummary {
  source: string;
  posts: Counts & { unchanged: number; deleted: number; skipped: number };
  sections: Counts;
  tags: Counts;
  authors: Counts;
  /** Posts not imported, and why. */
  skipped: Array<{ id: string; title: string; reason: string }>;
  /** Stopped by the signal before every post was read. */
  stopped: boolean;
}

/** A post that cannot be imported as it is: reported and skipped, never the whole run. */
class SkipPost extends Error {}

const BATCH = 100;

const plain = (html: string) =>
  textContent(parseDocument(html, { decodeEntities: true }))
    .replace(/\s+/g, " ")
    .trim();

const cut = (s: string | null, max: number) => (s == null ? null : s.length > max ? s.slice(0, max) : s);

/** A WordPress slug we can keep as it is; percent-encoded (non-ASCII) ones are derived again. */
function keptSlug(wpSlug: string, max: number): string | null {
  return SLUG_PATTERN.test(wpSlug) && wpSlug.length <= max ? wpSlug : null;
}

function decoded(wpSlug: string): string {
  try {
    return decodeURIComponent(wpSlug);
  } catch {
    return wpSlug;
  }
}

const STATUS: Record<string, ArticleStatusValue> = {
  publish: "published",
  future: "scheduled",
  draft: "draft",
  pending: "draft",
  private: "draft",
};

/**
 * Loads a WordPress site into Courant through the same entities the API writes with. Every
 * imported row is remembered in import_sources, so a re-run updates what changed, adds what is
 * new and keeps Courant's ids. One transaction per post: a broken post rolls back alone.
 */
export class WordpressImporter {
  private readonly clock: () => Date;
  private readonly summary: WordpressImportSummary;
  private sections = new Map<string, number>();
  /** Section id -> parent section id, for picking the most specific category. */
  private parents = new Map<number, number | null>();
  private authors = new Map<string, number>();
  private fallbackSection: number | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly reader: WordpressReader,
    private readonly options: WordpressImportOptions,
  ) {
    this.clock = options.clock ?? (() => new Date());
    this.summary = {
      source: reader.source,
      posts: { imported: 0, updated: 0, unchanged: 0, deleted: 0, skipped: 0 },
      sections: { imported: 0, updated: 0 },
      tags: { imported: 0, updated: 0 },
      authors: { imported: 0, updated: 0 },
      skipped: [],
      stopped: false,
    };
  }

  async run(): Promise<WordpressImportSummary> {
    const stubs = await this.reader.listPosts(this.options.since);
    const known = await this.mappings(this.ds.manager, "post");
    const changed = stubs.filter((s) => {
      const m = known.get(s.id);
      return !m || m.sourceStatus !== s.status || !sameTime(m.sourceModifiedAt, s.modifiedGmt);
    });
    this.summary.posts.unchanged = stubs.length - changed.length;

    await this.syncSections();
    this.authors = new Map([...(await this.mappings(this.ds.manager, "user"))].map(([k, v]) => [k, v.localId]));

    if (!this.options.since && this.reader.listsEverything) await this.deleteVanished(stubs, known);

    let done = 0;
    this.options.onProgress?.(0, changed.length);
    for (let i = 0; i < changed.length; i += BATCH) {
      if (this.options.signal?.aborted) {
        this.summary.stopped = true;
        break;
      }
      const stubsOfBatch = changed.slice(i, i + BATCH);
      const posts = await this.reader.loadPosts(stubsOfBatch.map((s) => s.id));
      await this.syncAuthors(posts);
      for (const post of posts) {
        if (this.options.signal?.aborted) {
          this.summary.stopped = true;
          break;
        }
        await this.importPost(post);
        this.options.onProgress?.(++done, changed.length);
      }
      if (this.summary.stopped) break;
      done += stubsOfBatch.length - posts.length;
    }
    return this.summary;
  }

  // ---- mapping table ----------------------------------------------------------------------

  private async mappings(
    m: EntityManager,
    kind: ImportSourceKind,
    externalIds?: string[],
  ): Promise<Map<string, ImportSourceEntity>> {
    if (externalIds && !externalIds.length) return new Map();
    const rows = await m.getRepository(ImportSourceEntity).find({
      where: { source: this.reader.source, kind, ...(externalIds ? { externalId: In(externalIds) } : {}) },
    });
    return new Map(rows.map((r) => [r.externalId, r]));
  }

  private async remember(
    m: EntityManager,
    kind: ImportSourceKind,
    externalId: string,
    localId: number,
    source?: { modifiedAt: Date | null; status: string },
  ): Promise<void> {
    const repo = m.getRepository(ImportSourceEntity);
    const key = { source: this.reader.source, kind, externalId };
    const row = (await repo.findOne({ where: key })) ?? Object.assign(new ImportSourceEntity(), key);
    Object.assign(row, {
      localId,
      sourceModifiedAt: source?.modifiedAt ?? null,
      sourceStatus: source?.status ?? null,
      importedAt: this.clock(),
    });
    await repo.save(row);
  }

  /** A row with this slug that no other item of this source already became: the same thing, adopt it. */
  private async adoptable<T extends { id: number }>(
    m: EntityManager,
    entity: new () => T,
    kind: ImportSourceKind,
    slug: string,
  ): Promise<T | null> {
    const row = await m.getRepository(entity).findOne({ where: { slug } as never });
    if (!row) return null;
    const taken = await m
      .getRepository(ImportSourceEntity)
      .findOne({ where: { source: this.reader.source, kind, localId: row.id } });
    return taken ? null : row;
  }

  // ---- sections, authors, tags -----------------------------------------------------------

  /** Categories become sections, with their hierarchy. Runs whole each time: there are few. */
  private async syncSections(): Promise<void> {
    const cats = await this.reader.categories();
    const defaultCategory = await this.reader.defaultCategoryId();
    const { ids, imported, updated } = await inTransaction(this.ds, async (m) => {
      // Per attempt: a retried transaction starts its tallies afresh.
      const imported = new Set<string>();
      const updated = new Set<string>();
      const repo = m.getRepository(SectionEntity);
      const known = await this.mappings(m, "category");
      const rows = new Map<string, SectionEntity>();
      for (const c of cats) {
        const name = cut(plain(c.name), 200) || c.slug;
        const description = c.description ? plain(c.description) || null : null;
        const mapped = known.get(c.id);
        let row = mapped ? await repo.findOne({ where: { id: mapped.localId } }) : null;
        if (!row) {
          const slug = keptSlug(c.slug, 120) ?? slugFrom(decoded(c.slug) || name, "section", 120);
          row = (await this.adoptable(m, SectionEntity, "category", slug)) ?? null;
          row ??= Object.assign(new SectionEntity(), {
            slug: await freeSlug(m, "sections", slug),
            parentId: null,
            position: Number((await m.query("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM sections"))[0].p),
          });
          imported.add(c.id);
        } else if (row.name !== name || row.description !== description) updated.add(c.id);
        row = await repo.save(Object.assign(row, { name, description }));
        rows.set(c.id, row);
        if (mapped?.localId !== row.id) await this.remember(m, "category", c.id, row.id);
      }
      // Parents once every category has its section, whatever order WordPress listed them in.
      for (const c of cats) {
        const row = rows.get(c.id)!;
        const parentId = (c.parentId && rows.get(c.parentId)?.id) || null;
        if (row.parentId !== parentId && parentId !== row.id) {
          await repo.update({ id: row.id }, { parentId });
          if (!imported.has(c.id)) updated.add(c.id);
        }
      }
      const ids = new Map([...rows].map(([k, r]) => [k, r.id]));
      if (imported.size || updated.size)
        await recordEvent(
          m,
          "section.changed",
          { ...emptyChange("section"), sectionIds: [...ids.values()] },
          this.clock(),
        );
      return { ids, imported, updated };
    });
    this.sections = ids;
    this.fallbackSection = (defaultCategory && ids.get(defaultCategory)) || null;
    const parents = await this.ds.getRepository(SectionEntity).find({ select: { id: true, parentId: true } });
    this.parents = new Map(parents.map((r) => [r.id, r.parentId]));
    this.summary.sections.imported += imported.size;
    this.summary.sections.updated += updated.size;
    await this.options.events?.committed();
  }

  /** The writers of these posts, as authors; only people who wrote something, never subscribers. */
  private async syncAuthors(posts: WpPost[]): Promise<void> {
    const wanted = [...new Set(posts.flatMap((p) => (p.authorId ? [p.authorId] : [])))];
    if (!wanted.length) return;
    const users = await this.reader.users(wanted);
    const { ids, counts } = await inTransaction(this.ds, async (m) => {
      const counts = { imported: 0, updated: 0 };
      const repo = m.getRepository(AuthorEntity);
      const known = await this.mappings(m, "user", wanted);
      const ids = new Map<string, number>();
      for (const u of users) {
        const values = authorValues(u);
        const mapped = known.get(u.id);
        let row = mapped ? await repo.findOne({ where: { id: mapped.localId } }) : null;
        if (row) {
          if (row.name !== values.name || row.bio !== values.bio || row.email !== values.email) counts.updated++;
          else {
            ids.set(u.id, row.id);
            continue;
          }
          Object.assign(row, values);
        } else {
          const slug = keptSlug(u.nicename, 120) ?? slugFrom(decoded(u.nicename) || values.name, "author", 120);
          row =
            (await this.adoptable(m, AuthorEntity, "user", slug)) ??
            Object.assign(new AuthorEntity(), {
              slug: await freeSlug(m, "authors", slug),
              role: null,
              avatarUrl: null,
              avatarAlt: null,
              avatarWidth: null,
              avatarHeight: null,
            });
          Object.assign(row, values);
          counts.imported++;
        }
        row = await repo.save(row);
        ids.set(u.id, row.id);
        await this.remember(m, "user", u.id, row.id);
      }
      if (counts.imported || counts.updated)
        await recordEvent(
          m,
          "author.changed",
          { ...emptyChange("author"), authorIds: [...ids.values()] },
          this.clock(),
        );
      return { ids, counts };
    });
    for (const [k, v] of ids) this.authors.set(k, v);
    this.summary.authors.imported += counts.imported;
    this.summary.authors.updated += counts.updated;
    await this.options.events?.committed();
  }

  private async syncTags(m: EntityManager, tags: WpTerm[], counts: Counts): Promise<number[]> {
    const repo = m.getRepository(TagEntity);
    const known = await this.mappings(
      m,
      "tag",
      tags.map((t) => t.id),
    );
    const ids: number[] = [];
    for (const t of tags) {
      const name = cut(plain(t.name), 200) || t.slug;
      const mapped = known.get(t.id);
      let row = mapped ? await repo.findOne({ where: { id: mapped.localId } }) : null;
      if (row) {
        if (row.name !== name) {
          counts.updated++;
          row = await repo.save(Object.assign(row, { name }));
        }
      } else {
        const slug = keptSlug(t.slug, 120) ?? slugFrom(decoded(t.slug) || name, "tag", 120);
        row = await this.adoptable(m, TagEntity, "tag", slug);
        if (!row)
          row = await repo.save(Object.assign(new TagEntity(), { slug: await freeSlug(m, "tags", slug), name }));
        counts.imported++;
        await this.remember(m, "tag", t.id, row.id);
      }
      if (!ids.includes(row.id)) ids.push(row.id);
    }
    return ids;
  }

  // ---- posts ------------------------------------------------------------------------------

  private skip(post: { id: string; title?: string }, reason: string): void {
    this.summary.posts.skipped++;
    this.summary.skipped.push({ id: post.id, title: plain(post.title ?? "") || "(no title)", reason });
  }

  /** Posts imported before and since removed from WordPress (not merely trashed): soft-deleted here. */
  private async deleteVanished(stubs: WpPostStub[], known: Map<string, ImportSourceEntity>): Promise<void> {
    const present = new Set(stubs.map((s) => s.id));
    const gone = [...known.values()].filter((m) => !present.has(m.externalId)).map((m) => m.localId);
    if (!gone.length) return;
    const now = this.clock();
    for (let i = 0; i < gone.length; i += BATCH) {
      const ids = gone.slice(i, i + BATCH);
      const rows = await this.ds.getRepository(ArticleEntity).find({ where: { id: In(ids), deletedAt: IsNull() } });
      for (const row of rows) {
        await inTransaction(this.ds, async (m) => {
          const change = emptyChange("article");
          const store = new ArticleStore(m, this.clock);
          const current = await store.lock(row.id);
          if (!current || current.deletedAt) return;
          await store.patch(current, { deletedAt: now }, { updatedAt: now });
          await store.note(change, current);
          change.public = { before: isPublicRow(current, this.clock()), after: false, fieldsChanged: true };
          await store.record("article.deleted", change);
        });
        this.summary.posts.deleted++;
        await this.options.events?.committed();
      }
    }
  }

  private async importPost(post: WpPost): Promise<void> {
    let change = emptyChange("article");
    let tagCounts = { imported: 0, updated: 0 };
    let outcome: "imported" | "updated" | "deleted" | "unchanged";
    try {
      outcome = await inTransaction(this.ds, (m) => {
        // Per attempt: what a rolled-back run noted must not reach the summary or the events.
        change = emptyChange("article");
        tagCounts = { imported: 0, updated: 0 };
        return this.writePost(m, post, change, tagCounts);
      });
    } catch (err) {
      if (err instanceof SkipPost) this.skip(post, err.message);
      else this.skip(post, `could not be saved: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`);
      return;
    }
    this.summary.posts[outcome]++;
    this.summary.tags.imported += tagCounts.imported;
    this.summary.tags.updated += tagCounts.updated;
    if (outcome !== "unchanged") await this.options.events?.committed();
  }

  private language(post: WpPost): string {
    const code = post.language ?? this.options.defaultLanguage;
    const match = this.options.languages.find((l) => l.toLowerCase() === code.toLowerCase());
    if (!match) throw new SkipPost(`language "${code}" is not one of the site's languages`);
    return match;
  }

  private async writePost(
    m: EntityManager,
    post: WpPost,
    change: ContentChange,
    tagCounts: Counts,
  ): Promise<"imported" | "updated" | "deleted" | "unchanged"> {
    const store = new ArticleStore(m, this.clock);
    const mapped = (await this.mappings(m, "post", [post.id])).get(post.id);
    const existing = mapped ? await store.lock(mapped.localId) : null;
    const source = { modifiedAt: post.modifiedGmt, status: post.status };

    if (post.status === "trash") {
      // Never-imported trash stays behind; an imported post that went to the trash is soft-deleted.
      if (!existing) throw new SkipPost("in the WordPress trash");
      if (existing.deletedAt) {
        await this.remember(m, "post", post.id, existing.id, source);
        return "unchanged";
      }
      const now = this.clock();
      await store.patch(existing, { deletedAt: post.modifiedGmt ?? now }, { updatedAt: post.modifiedGmt ?? now });
      await store.note(change, existing);
      change.public = { before: isPublicRow(existing, now), after: false, fieldsChanged: true };
      await store.record("article.deleted", change);
      await this.remember(m, "post", post.id, existing.id, source);
      return "deleted";
    }

    const language = this.language(post);
    const title = cut(plain(post.title), 300);
    if (!title) throw new SkipPost("has no title");
    const status = STATUS[post.status];
    if (!status) throw new SkipPost(`has status "${post.status}", which Courant has no equivalent for`);
    if (status !== "draft" && !post.dateGmt) throw new SkipPost(`is "${post.status}" but has no valid date`);
    const body = cleanContent(post.content, post);
    if (Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES) throw new SkipPost("body is larger than 1 MB");
    const sectionId = await this.sectionOf(m, post);
    const now = this.clock();

    const values: Partial<ArticleEntity> = {
      language,
      title,
      standfirst: cut(plain(post.excerpt), 5000) || null,
      body,
      status,
      publishedAt: status === "draft" ? null : post.dateGmt,
      updatedAt: post.modifiedGmt ?? now,
      deletedAt: null,
      sectionId,
      ...heroImage(post.thumbnail),
      slug: await this.slug(m, post, title, language, existing),
      storyKey: await this.storyKey(m, post, language, existing),
    };

    const authorId = post.authorId ? this.authors.get(post.authorId) : undefined;
    const links = { authorIds: authorId ? [authorId] : [], tagIds: await this.syncTags(m, post.tags, tagCounts) };
    let saved: ArticleEntity;
    if (existing) {
      await store.note(change, existing);
      saved = await store.patch(existing, values, { updatedAt: values.updatedAt! });
      await store.linkAuthors(saved.id, links.authorIds);
      await store.linkTags(saved.id, links.tagIds);
    } else {
      saved = await store.insert(
        {
          ...values,
          createdAt: post.dateGmt ?? post.modifiedGmt ?? now,
          sourceName: null,
          sourceUrl: null,
          disclaimer: null,
          heroImageCredit: null,
        },
        links,
      );
    }
    await store.note(change, saved);
    // What an import did, as subscribers see it: a story that turned public was published, one
    // that stopped being public was unpublished, a public one that changed was updated.
    const wasPublic = !!existing && isPublicRow(existing, now);
    const isPublic = isPublicRow(saved, now);
    change.public = { before: wasPublic, after: isPublic, fieldsChanged: true };
    await store.record(
      isPublic && !wasPublic
        ? "article.published"
        : wasPublic && !isPublic
          ? "article.unpublished"
          : existing
            ? "article.updated"
            : "article.created",
      change,
    );
    if (!existing && post.revisions?.length) await this.importHistory(m, saved, links, post);
    await writeRevision(m, saved.id, "import", now, KEEP_ALL);
    await this.remember(m, "post", post.id, saved.id, source);
    return existing ? "updated" : "imported";
  }

  /**
   * A newly imported post's WordPress revisions become its first revisions (savedBy "import"),
   * oldest first, so its history survives the move; the article's version then follows them.
   */
  private async importHistory(
    m: EntityManager,
    saved: ArticleEntity,
    links: { authorIds: number[]; tagIds: number[] },
    post: WpPost,
  ): Promise<void> {
    const base = contentOf(saved, links);
    let before: RevisionContent | null = null;
    const history = post.revisions!;
    for (const [i, rev] of history.entries()) {
      const body = cleanContent(rev.content, post);
      const content: RevisionContent = {
        ...base,
        title: cut(plain(rev.title), 300) || base.title,
        standfirst: cut(plain(rev.excerpt), 5000) || null,
        body: Buffer.byteLength(body, "utf8") > MAX_BODY_BYTES ? base.body : prepareArticle({ body }).body!,
        status: "draft",
        publishedAt: null,
        unpublishAt: null,
      };
      await m.getRepository(ArticleRevisionEntity).insert({
        articleId: saved.id,
        version: i + 1,
        savedAt: rev.modifiedGmt ?? this.clock(),
        savedBy: "import",
        content: encodeContent(content),
        changed: JSON.stringify(changedFields(before, content)),
        published: false,
      });
      before = content;
    }
    await m.query("UPDATE articles SET version = ? WHERE id = ?", [history.length + 1, saved.id]);
  }

  /** The primary category when a SEO plugin names one, else the most specific one, else the default. */
  private async sectionOf(m: EntityManager, post: WpPost): Promise<number> {
    const cats = post.categoryIds.filter((c) => this.sections.has(c));
    const pick =
      (post.primaryCategoryId && cats.includes(post.primaryCategoryId) && post.primaryCategoryId) ||
      cats.find((c) => !cats.some((other) => other !== c && this.isAncestor(c, other))) ||
      cats[0];
    if (pick) return this.sections.get(pick)!;
    if (this.fallbackSection) return this.fallbackSection;
    // A post in no category at all, on a site without a default one.
    const repo = m.getRepository(SectionEntity);
    const row =
      (await repo.findOne({ where: { slug: "uncategorized" } })) ??
      (await repo.save(
        Object.assign(new SectionEntity(), {
          slug: "uncategorized",
          name: "Uncategorized",
          description: null,
          parentId: null,
          position: Number((await m.query("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM sections"))[0].p),
        }),
      ));
    return row.id;
  }

  private isAncestor(categoryId: string, of: string): boolean {
    const target = this.sections.get(categoryId);
    for (let cur = this.sections.get(of), hops = 0; cur != null && hops < 50; hops++) {
      cur = this.parents.get(cur) ?? undefined;
      if (cur === target) return true;
    }
    return false;
  }

  /** WordPress's post_name when it is valid and free in this language; else one derived from it or the title. */
  private async slug(
    m: EntityManager,
    post: WpPost,
    title: string,
    language: string,
    existing: ArticleEntity | null,
  ): Promise<string> {
    const wanted = keptSlug(post.name, 180) ?? slugFrom(decoded(post.name) || title, "article", 180);
    if (existing && existing.language === language) {
      if (existing.slug === wanted || existing.slug.startsWith(`${wanted}-`)) return existing.slug;
    }
    const taken = await m.getRepository(ArticleEntity).findOne({ where: { language, slug: wanted } });
    if (!taken || taken.id === existing?.id) return wanted;
    return freeSlug(m, "articles", wanted, { column: "language", value: language });
  }

  /** Language versions linked by Polylang or WPML share one story key; the first one imported sets it. */
  private async storyKey(
    m: EntityManager,
    post: WpPost,
    language: string,
    existing: ArticleEntity | null,
  ): Promise<string> {
    const own = existing?.storyKey ?? null;
    const others = post.translations ? [...post.translations.keys()].filter((id) => id !== post.id) : [];
    if (others.length) {
      const localIds = [...(await this.mappings(m, "post", others)).values()].map((r) => r.localId);
      const siblings = localIds.length
        ? await m.getRepository(ArticleEntity).find({
            where: { id: In(localIds), deletedAt: IsNull(), language: Not(language) },
            order: { id: "ASC" },
          })
        : [];
      const key = siblings[0]?.storyKey;
      if (key && key !== own) {
        const clash = await m.getRepository(ArticleEntity).findOne({
          where: { storyKey: key, language, deletedAt: IsNull(), ...(existing ? { id: Not(existing.id) } : {}) },
        });
        if (!clash) return key;
      }
    }
    return own ?? randomUUID();
  }
}

function authorValues(u: WpUser): Pick<AuthorEntity, "name" | "bio" | "email"> {
  return {
    name: cut(plain(u.displayName), 200) || u.login,
    bio: u.bio ? plain(u.bio) || null : null,
    email: cut(u.email, 320),
  };
}

/** The featured image, when its URL is a web URL Courant can serve. */
function heroImage(img: WpImage | null): Partial<ArticleEntity> {
  let url: string | null = null;
  if (img) {
    try {
      const parsed = new URL(img.url);
      if ((parsed.protocol === "https:" || parsed.protocol === "http:") && img.url.length <= 2048)
        url = parsed.toString();
    } catch {
      url = null;
    }
  }
  return {
    heroImageUrl: url,
    heroImageAlt: url ? cut(img!.alt, 500) : null,
    heroImageCaption: url ? cut(img!.caption && plain(img!.caption), 1000) : null,
    heroImageWidth: url ? img!.width : null,
    heroImageHeight: url ? img!.height : null,
  };
}

/** Dates from the two databases differ in their milliseconds' presence; seconds decide. */
function sameTime(a: Date | null, b: Date | null): boolean {
  if (a == null || b == null) return a == null && b == null;
  return Math.floor(a.getTime() / 1000) === Math.floor(b.getTime() / 1000);
}

/** Runs one import of `reader` into `ds`. */
export async function importWordpress(
  ds: DataSource,
  reader: WordpressReader,
  options: WordpressImportOptions,
): Promise<WordpressImportSummary> {
  const importer = new WordpressImporter(ds, reader, options);
  return importer.run();
}
