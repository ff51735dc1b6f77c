import { randomUUID } from "node:crypto";
import { inTransaction } from "../db/transaction";
import { In, IsNull, type DataSource, type EntityManager } from "typeorm";
import { TagEntity } from "../tag/tag.entity";
import { ArticleRevisionEntity } from "./article-revision.entity";
import { revisionIdOf } from "./article-revision.service";
import { AuthorEntity } from "../author/author.entity";
import { chooseSlug, slugFrom } from "../db/slug";
import { idempotent } from "../idempotency/idempotency";
import { emptyChange, type ContentEvents, type ContentChange } from "../events";
import { badUserInput, notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { webUrl, type ImageInput } from "../graphql/image.input";
import { SectionEntity } from "../section/section.entity";
import type { SiteSettings } from "../site/site.settings";
import { ArticleEntity } from "./article.entity";
import type { CreateArticleInput, UpdateArticleInput, ArticleSourceInput } from "./article.inputs";
import type { ArticleRow, ArticleService } from "./article.service";
import { decodeContent, KEEP_ALL, writeRevision, type RevisionPolicy } from "./article.revisions";
import { ArticleStore, isPublicRow, publicFieldsDiffer } from "./article.store";

/**
 * Every editorial change to articles. Each method runs in one transaction (a failed mutation
 * leaves nothing half-written), bumps updatedAt and version, and announces what it changed
 * through ContentEvents after the commit.
 */
export class ArticleWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly reader: ArticleService,
    private readonly site: SiteSettings,
    private readonly clock: () => Date,
    private readonly events: ContentEvents,
    private readonly revisions: RevisionPolicy = KEEP_ALL,
  ) {}

  /** `principal`: who is asking (the API key's id), the scope of a client mutation id. */
  async create(input: CreateArticleInput, principal = "local", by = "api"): Promise<ArticleRow> {
    const language = this.siteLanguage(input.language, "input.language");
    const body = input.body;
    const { clientMutationId, ...request } = input;
    const id = await this.write(by, async (m, change, store) => {
      const claim = { principal, operation: "createArticle" as const, clientKey: clientMutationId, request };
      const made = await idempotent(m, claim, this.clock(), async () => {
        const sectionId = await this.section(m, input.sectionId, "input.sectionId");
        const authorIds = await this.authors(m, input.authorIds, "input.authorIds");
        let storyKey: string = randomUUID();
        if (input.translationOf != null) {
          const original = await this.find(
            m,
            fromGlobalIdOf("Article", input.translationOf, "input.translationOf"),
            false,
          );
          const sibling = await m.getRepository(ArticleEntity).findOne({
            where: { storyKey: original.storyKey, language, deletedAt: IsNull() },
          });
          if (sibling) throw badUserInput(`this story already has a version in "${language}"`, "input.translationOf");
          storyKey = original.storyKey;
        }
        const slug = await chooseSlug(m, {
          table: "articles",
          given: input.slug,
          from: input.title,
          fallback: "article",
          field: "input.slug",
          scope: { column: "language", value: language },
          maxLength: 180,
        });
        const tagIds = await this.tags(store, input.tags ?? []);
        const saved = await store.insert(
          {
            storyKey,
            slug,
            language,
            title: input.title,
            standfirst: input.standfirst ?? null,
            body,
            status: "draft",
            publishedAt: null,
            deletedAt: null,
            sectionId,
            ...this.image(input.heroImage, "input.heroImage"),
            ...this.source(input.source, "input.source"),
            disclaimer: input.disclaimer ?? null,
          },
          { authorIds, tagIds },
        );
        change.type = "article.created";
        await store.note(change, saved, { authorIds, tagIds });
        return saved.id;
      });
      return made.id;
    });
    return this.read(id);
  }

  async update(globalId: string, input: UpdateArticleInput, by = "api"): Promise<ArticleRow> {
    const id = fromGlobalIdOf("Article", globalId);
    const body = input.body ?? undefined;
    await this.write(by, async (m, change, store) => {
      const before = await this.find(m, id);
      await store.note(change, before);
      const linksBefore = await store.links(id);
      const patch: Partial<ArticleEntity> = {};
      if (input.title != null) patch.title = input.title;
      if (input.slug != null && input.slug !== before.slug) {
        patch.slug = await chooseSlug(m, {
          table: "articles",
          given: input.slug,
          current: before.slug,
          from: input.slug,
          fallback: "article",
          field: "input.slug",
          scope: { column: "language", value: before.language },
        });
      }
      if (input.standfirst !== undefined) patch.standfirst = input.standfirst;
      if (input.sectionId != null) patch.sectionId = await this.section(m, input.sectionId, "input.sectionId");
      if (body !== undefined) patch.body = body;
      if (input.heroImage !== undefined) Object.assign(patch, this.image(input.heroImage, "input.heroImage"));
      if (input.source !== undefined) Object.assign(patch, this.source(input.source, "input.source"));
      if (input.disclaimer !== undefined) patch.disclaimer = input.disclaimer;
      const authorIds = input.authorIds ? await this.authors(m, input.authorIds, "input.authorIds") : undefined;
      const after = await store.patch(before, patch, { expected: input.version });
      if (authorIds) await store.linkAuthors(id, authorIds);
      const tagIds = input.tags ? await this.tags(store, input.tags) : [];
      if (input.tags) await store.linkTags(id, tagIds);
      await store.note(change, { ...before, ...patch }, { authorIds: authorIds ?? [], tagIds });
      change.type = "article.updated";
      const differ = (x: number[], y: number[]) => [...x].sort().join() !== [...y].sort().join();
      const now = this.clock();
      change.public = {
        before: isPublicRow(before, now),
        after: isPublicRow(after, now),
        fieldsChanged:
          publicFieldsDiffer(before, after) ||
          (!!authorIds && differ(authorIds, linksBefore.authorIds)) ||
          (!!input.tags && differ(tagIds, linksBefore.tagIds)),
      };
    });
    return this.read(id);
  }

  /**
   * Publishes now, or schedules for `at`: a scheduled article turns public at `at` by itself, and
   * the scheduler emits its article.published event then. `unpublishAt` takes it down again at
   * that moment (an embargo's end, a time-limited story).
   */
  async publish(globalId: string, at?: Date | null, unpublishAt?: Date | null, by = "api"): Promise<ArticleRow> {
    const id = fromGlobalIdOf("Article", globalId);
    await this.write(by, async (m, change, store) => {
      const before = await this.find(m, id);
      const now = this.clock();
      const scheduled = at != null && at > now;
      const patch: Partial<ArticleEntity> = scheduled
        ? { status: "scheduled", publishedAt: at }
        : {
            status: "published",
            // Republishing a live article keeps its original date; anything else goes live now.
            publishedAt:
              before.status === "published" && before.publishedAt && before.publishedAt <= now
                ? before.publishedAt
                : (at ?? now),
          };
      if (unpublishAt != null && unpublishAt <= (scheduled ? at : now))
        throw badUserInput("must be after the article goes public", "unpublishAt");
      patch.unpublishAt = unpublishAt ?? null;
      const after = await store.patch(before, patch);
      change.public = { before: isPublicRow(before, now), after: isPublicRow(after, now), fieldsChanged: true };
      await store.schedule(id, [
        ...(scheduled ? [{ kind: "publish" as const, dueAt: at }] : []),
        ...(unpublishAt ? [{ kind: "unpublish" as const, dueAt: unpublishAt }] : []),
      ]);
      await store.note(change, before);
      change.type = scheduled ? "article.scheduled" : "article.published";
    });
    return this.read(id);
  }

  /**
   * Makes a revision's content the article's content again, as a new version (`version` is the
   * one the restore is based on: CONFLICT if someone saved since). `publish` true publishes it,
   * false makes it a draft, absent keeps the article's state. Writes its own revision: the
   * version it replaces stays in the history.
   */
  async restore(revisionGlobalId: string, version: number, publish?: boolean | null, by = "api"): Promise<ArticleRow> {
    const revisionId = revisionIdOf(revisionGlobalId, "revisionId");
    let articleId = 0;
    await this.write(by, async (m, change, store) => {
      const revision = await m.getRepository(ArticleRevisionEntity).findOne({ where: { id: revisionId } });
      if (!revision) throw notFound("Article revision not found");
      articleId = revision.articleId;
      const before = await this.find(m, revision.articleId);
      await store.note(change, before);
      const c = decodeContent(revision.content);
      const now = this.clock();
      const section = await m.getRepository(SectionEntity).findOne({ where: { id: c.sectionId } });
      const patch: Partial<ArticleEntity> = {
        title: c.title,
        standfirst: c.standfirst,
        body: c.body,
        sectionId: section ? c.sectionId : before.sectionId,
        heroImageUrl: c.heroImage?.url ?? null,
        heroImageAlt: c.heroImage?.alt ?? null,
        heroImageCaption: c.heroImage?.caption ?? null,
        heroImageCredit: c.heroImage?.credit ?? null,
        heroImageWidth: c.heroImage?.width ?? null,
        heroImageHeight: c.heroImage?.height ?? null,
        sourceName: c.source?.name ?? null,
        sourceUrl: c.source?.url ?? null,
        disclaimer: c.disclaimer,
      };
      if (c.slug !== before.slug)
        patch.slug = await chooseSlug(m, {
          table: "articles",
          given: c.slug,
          current: before.slug,
          from: c.slug,
          fallback: "article",
          field: "revisionId",
          scope: { column: "language", value: before.language },
        });
      if (publish === true) {
        const was = c.publishedAt ? new Date(c.publishedAt) : before.publishedAt;
        Object.assign(patch, { status: "published", publishedAt: was && was <= now ? was : now, unpublishAt: null });
        await store.schedule(before.id, []);
      } else if (publish === false) {
        Object.assign(patch, { status: "draft", unpublishAt: null });
        await store.schedule(before.id, []);
      }
      const after = await store.patch(before, patch, { expected: version });
      const authors = c.authorIds.length
        ? (await m.getRepository(AuthorEntity).find({ where: { id: In(c.authorIds) }, select: { id: true } })).map(
            (a) => a.id,
          )
        : [];
      const tags = c.tagIds.length
        ? (await m.getRepository(TagEntity).find({ where: { id: In(c.tagIds) }, select: { id: true } })).map(
            (t) => t.id,
          )
        : [];
      const authorIds = c.authorIds.filter((id) => authors.includes(id));
      await store.linkAuthors(before.id, authorIds);
      await store.linkTags(before.id, tags);
      await store.note(change, after, { authorIds, tagIds: tags });
      const wasPublic = isPublicRow(before, now);
      const isPublic = isPublicRow(after, now);
      change.public = { before: wasPublic, after: isPublic, fieldsChanged: true };
      change.type =
        isPublic && !wasPublic
          ? "article.published"
          : wasPublic && !isPublic
            ? "article.unpublished"
            : "article.updated";
    });
    return this.read(articleId);
  }

  async unpublish(globalId: string, by = "api"): Promise<ArticleRow> {
    return this.read(await this.takeDown(globalId, { status: "draft" }, "article.unpublished", by));
  }

  /**
   * Withdraws an article from every public path while keeping it apart from drafts (status
   * ARCHIVED): editors still find it; publishing it again brings it back.
   */
  async archive(globalId: string, by = "api"): Promise<ArticleRow> {
    return this.read(await this.takeDown(globalId, { status: "archived" }, "article.archived", by));
  }

  /** Soft delete: the row stays for the record, invisible everywhere. */
  async delete(globalId: string, by = "api"): Promise<boolean> {
    await this.takeDown(globalId, { deletedAt: this.clock() }, "article.deleted", by);
    return true;
  }

  /** Off the public site: nothing scheduled for it stays due. */
  private async takeDown(
    globalId: string,
    patch: Partial<ArticleEntity>,
    type: "article.unpublished" | "article.archived" | "article.deleted",
    by: string,
  ): Promise<number> {
    const id = fromGlobalIdOf("Article", globalId);
    await this.write(by, async (m, change, store) => {
      const before = await this.find(m, id);
      await store.patch(before, { ...patch, unpublishAt: null });
      await store.schedule(id, []);
      await store.note(change, before);
      change.type = type;
      change.public = { before: isPublicRow(before, this.clock()), after: false, fieldsChanged: true };
    });
    return id;
  }

  /**
   * One transaction per write: `fn` changes the article and notes what it touched in `change`;
   * the change is recorded as a content event of type `change.type` in the same transaction, and
   * delivered to this instance's caches before the write answers.
   */
  private async write<T>(
    by: string,
    fn: (m: EntityManager, change: ContentChange, store: ArticleStore) => Promise<T>,
  ): Promise<T> {
    const result = await inTransaction(this.ds, async (m) => {
      // Per attempt: a retried run must not carry what a rolled-back one noted.
      const change = emptyChange("article");
      const store = new ArticleStore(m, this.clock);
      const out = await fn(m, change, store);
      // A create replayed from its client mutation id changed nothing: no event.
      if (change.type && change.articleIds.length) {
        await store.record(change.type, change);
        // The version this save made, kept whole (see article.revisions.ts).
        await writeRevision(m, change.articleIds[0]!, by, this.clock(), this.revisions);
      }
      return out;
    });
    await this.events.committed();
    return result;
  }

  private async read(id: number): Promise<ArticleRow> {
    const [row] = await this.reader.lookupByIds({ now: this.clock(), preview: true }, [id]);
    if (!row) throw notFound("Article not found");
    return row;
  }

  /** The stored article, locked for this transaction's write unless `lock` is false (read only). */
  private async find(m: EntityManager, id: number, lock = true): Promise<ArticleEntity> {
    const row = lock
      ? await new ArticleStore(m, this.clock).lock(id)
      : await m.getRepository(ArticleEntity).findOne({ where: { id } });
    if (!row || row.deletedAt) throw notFound("Article not found");
    return row;
  }

  private siteLanguage(language: string, field: string): string {
    if (!this.site.languages.includes(language))
      throw badUserInput(`"${language}" is not one of the site's languages`, field);
    return language;
  }

  private async section(m: EntityManager, globalId: string, field: string): Promise<number> {
    const id = fromGlobalIdOf("Section", globalId, field);
    if (!(await m.getRepository(SectionEntity).findOne({ where: { id } })))
      throw badUserInput("no such section", field);
    return id;
  }

  private async authors(m: EntityManager, globalIds: string[], field: string): Promise<number[]> {
    const ids = globalIds.map((g, i) => fromGlobalIdOf("Author", g, `${field}[${i}]`));
    if (new Set(ids).size !== ids.length) throw badUserInput("lists an author twice", field);
    const found = new Set(
      (await m.getRepository(AuthorEntity).find({ where: { id: In(ids) }, select: { id: true } })).map((a) => a.id),
    );
    ids.forEach((id, i) => {
      if (!found.has(id)) throw badUserInput("no such author", `${field}[${i}]`);
    });
    return ids;
  }

  private image(input: ImageInput | null | undefined, field: string): Partial<ArticleEntity> {
    return {
      heroImageUrl: input ? webUrl(input.url, `${field}.url`) : null,
      heroImageAlt: input?.alt ?? null,
      heroImageCaption: input?.caption ?? null,
      heroImageCredit: input?.credit ?? null,
      heroImageWidth: input?.width ?? null,
      heroImageHeight: input?.height ?? null,
    };
  }

  private source(input: ArticleSourceInput | null | undefined, field: string): Partial<ArticleEntity> {
    return {
      sourceName: input?.name ?? null,
      sourceUrl: input?.url != null ? webUrl(input.url, `${field}.url`) : null,
    };
  }

  /** Tags by name, created on first use. */
  private async tags(store: ArticleStore, names: string[]): Promise<number[]> {
    const bySlug = new Map(names.map((n) => [slugFrom(n, "tag"), n.trim()]));
    return store.tagsBySlug([...bySlug].map(([slug, name]) => ({ slug, name })));
  }
}
