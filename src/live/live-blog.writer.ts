import { In, type DataSource, type EntityManager } from "typeorm";
import { inTransaction } from "../db/transaction";
import { emptyChange, type ContentEvents, type ContentEventType } from "../events";
import { recordEvent } from "../events/event-log";
import { badUserInput, notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { ArticleEntity } from "../article/article.entity";
import { conflict, isPublicRow } from "../article/article.store";
import { sanitizeBody } from "../article/article.sanitize";
import { AuthorEntity } from "../author/author.entity";
import { LiveBlogEntity, LivePostAuthorEntity, LivePostEntity } from "./live-blog.entity";
import type { LiveBlogRow, LivePostRow } from "./live-blog.service";

/** A live post is short: a few paragraphs, an embed, a picture. */
export const MAX_POST_BYTES = 64 * 1024;

export interface LivePostValues {
  title?: string | null;
  body?: string | null;
  authorIds?: string[] | null;
  keyEvent?: boolean | null;
  pinned?: boolean | null;
}

interface Step {
  m: EntityManager;
  article: ArticleEntity;
  blog: LiveBlogEntity;
  /** The change number this write takes. */
  seq: number;
  now: Date;
}

/**
 * Every editorial change to live blogs. Each runs in one transaction that locks the blog's row
 * (writers of one blog take turns, and change numbers follow commit order), takes the blog's
 * next change number, and records a content event; subscriptions, caches and the CDN hear of it
 * from the event stream, on every instance.
 */
export class LiveBlogWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date,
    private readonly events: ContentEvents,
  ) {}

  async start(articleGlobalId: string): Promise<LiveBlogRow> {
    const articleId = fromGlobalIdOf("Article", articleGlobalId, "articleId");
    const blog = await this.write(
      articleId,
      "live.started",
      async (s) => {
        s.blog.status = "live";
        s.blog.endedAt = null;
        return [];
      },
      true,
    );
    return blog;
  }

  async end(articleGlobalId: string): Promise<LiveBlogRow> {
    const articleId = fromGlobalIdOf("Article", articleGlobalId, "articleId");
    return this.write(articleId, "live.ended", async (s) => {
      if (s.blog.status === "ended") return null;
      s.blog.status = "ended";
      s.blog.endedAt = s.now;
      return [];
    });
  }

  async addPost(articleGlobalId: string, input: LivePostValues): Promise<LivePostRow> {
    const articleId = fromGlobalIdOf("Article", articleGlobalId, "articleId");
    if (input.body == null) throw badUserInput("is required", "input.body");
    let postId = 0;
    await this.write(articleId, "live.post_added", async (s) => {
      if (s.blog.status !== "live") throw conflict("The live coverage has ended; startLiveBlog reopens it");
      const authorIds = await this.authors(s.m, input.authorIds ?? []);
      const saved = await s.m.getRepository(LivePostEntity).save(
        Object.assign(new LivePostEntity(), {
          articleId,
          title: this.title(input.title),
          body: this.body(input.body!),
          keyEvent: input.keyEvent ?? false,
          publishedAt: s.now,
          updatedAt: s.now,
          deletedAt: null,
          seq: s.seq,
          version: 1,
        }),
      );
      postId = saved.id;
      if (authorIds.length)
        await s.m.insert(
          LivePostAuthorEntity,
          authorIds.map((authorId, position) => ({ postId: saved.id, authorId, position })),
        );
      const touched = [saved.id];
      if (input.pinned) touched.push(...(await this.pin(s, saved.id)));
      return touched;
    });
    return this.read(postId);
  }

  /** Compare-and-set on version, like articles: `version` is the one the edit was based on. */
  async updatePost(globalId: string, input: LivePostValues, version?: number | null): Promise<LivePostRow> {
    const id = fromGlobalIdOf("LivePost", globalId);
    const post = await this.post(id);
    await this.write(post.articleId, "live.post_updated", async (s) => {
      const current = await this.post(id, s.m);
      if (version != null && version !== current.version)
        throw conflict(
          `The post changed since version ${version} (now ${current.version}); reload and apply your edit again`,
        );
      const patch: Partial<LivePostEntity> = { updatedAt: s.now, seq: s.seq, version: current.version + 1 };
      if (input.title !== undefined) patch.title = this.title(input.title);
      if (input.body != null) patch.body = this.body(input.body);
      if (input.keyEvent != null) patch.keyEvent = input.keyEvent;
      await s.m.update(LivePostEntity, { id }, patch);
      if (input.authorIds != null) {
        const authorIds = await this.authors(s.m, input.authorIds);
        await s.m.delete(LivePostAuthorEntity, { postId: id });
        if (authorIds.length)
          await s.m.insert(
            LivePostAuthorEntity,
            authorIds.map((authorId, position) => ({ postId: id, authorId, position })),
          );
      }
      const touched = [id];
      if (input.pinned === true && s.blog.pinnedPostId !== id) touched.push(...(await this.pin(s, id)));
      if (input.pinned === false && s.blog.pinnedPostId === id) s.blog.pinnedPostId = null;
      return touched;
    });
    return this.read(id);
  }

  async deletePost(globalId: string): Promise<boolean> {
    const id = fromGlobalIdOf("LivePost", globalId);
    const post = await this.post(id);
    await this.write(post.articleId, "live.post_deleted", async (s) => {
      await this.post(id, s.m);
      await s.m.update(LivePostEntity, { id }, { deletedAt: s.now, updatedAt: s.now, seq: s.seq });
      if (s.blog.pinnedPostId === id) s.blog.pinnedPostId = null;
      return [id];
    });
    return true;
  }

  /** Pins the post (at most one per blog: the one pinned before is unpinned). */
  async pinPost(globalId: string, pinned: boolean): Promise<LivePostRow> {
    const id = fromGlobalIdOf("LivePost", globalId);
    const post = await this.post(id);
    await this.write(post.articleId, pinned ? "live.post_pinned" : "live.post_unpinned", async (s) => {
      await this.post(id, s.m);
      if (pinned) {
        if (s.blog.pinnedPostId === id) return null;
        return this.pin(s, id);
      }
      if (s.blog.pinnedPostId !== id) return null;
      s.blog.pinnedPostId = null;
      await this.touch(s, [id]);
      return [id];
    });
    return this.read(id);
  }

  async markKeyEvent(globalId: string, keyEvent: boolean): Promise<LivePostRow> {
    return this.updatePost(globalId, { keyEvent });
  }

  /** Makes `id` the pinned post; returns the posts whose pinned flag changed (both bump their change number). */
  private async pin(s: Step, id: number): Promise<number[]> {
    const before = s.blog.pinnedPostId;
    s.blog.pinnedPostId = id;
    const touched = before != null && before !== id ? [id, before] : [id];
    await this.touch(s, touched);
    return touched;
  }

  private async touch(s: Step, ids: number[]): Promise<void> {
    await s.m.update(LivePostEntity, { id: In(ids) }, { seq: s.seq, updatedAt: s.now });
  }

  /**
   * One transaction: locks the blog, runs `fn` (which returns the posts it touched, or null when
   * nothing changed), saves the blog with its next change number and records the event.
   */
  private async write(
    articleId: number,
    type: ContentEventType,
    fn: (s: Step) => Promise<number[] | null>,
    create = false,
  ): Promise<LiveBlogRow> {
    const saved = await inTransaction(this.ds, async (m) => {
      const now = this.clock();
      const sqlite = m.connection.options.type === "better-sqlite3";
      const lock = sqlite ? {} : { lock: { mode: "pessimistic_write" as const } };
      const article = await m.getRepository(ArticleEntity).findOne({ where: { id: articleId }, ...lock });
      if (!article || article.deletedAt) throw notFound("Article not found");
      let blog = await m.getRepository(LiveBlogEntity).findOne({ where: { articleId }, ...lock });
      if (!blog) {
        if (!create) throw notFound("This article has no live blog; startLiveBlog starts one");
        blog = Object.assign(new LiveBlogEntity(), {
          articleId,
          status: "live",
          startedAt: now,
          endedAt: null,
          pinnedPostId: null,
          seq: 0,
          updatedAt: now,
        });
      } else if (create && blog.status === "live") {
        return blog;
      }
      const step: Step = { m, article, blog, seq: blog.seq + 1, now };
      const touched = await fn(step);
      if (touched === null) return blog;
      blog.seq = step.seq;
      blog.updatedAt = now;
      await m.getRepository(LiveBlogEntity).save(blog);
      const change = emptyChange("live");
      change.articleIds.push(articleId);
      change.sectionIds.push(article.sectionId);
      change.languages.push(article.language);
      change.storyKeys.push(article.storyKey);
      change.postIds = touched;
      const visible = isPublicRow(article, now);
      change.public = { before: visible, after: visible, fieldsChanged: true };
      await recordEvent(m, type, change, now);
      return blog;
    });
    await this.events.committed();
    return { ...saved };
  }

  private async post(id: number, m: EntityManager = this.ds.manager): Promise<LivePostEntity> {
    const post = await m.getRepository(LivePostEntity).findOne({ where: { id } });
    if (!post || post.deletedAt) throw notFound("Live post not found");
    return post;
  }

  private async read(id: number): Promise<LivePostRow> {
    const post = await this.post(id);
    const links = await this.ds
      .getRepository(LivePostAuthorEntity)
      .find({ where: { postId: id }, order: { position: "ASC" } });
    return {
      id: post.id,
      articleId: post.articleId,
      title: post.title,
      body: post.body,
      keyEvent: post.keyEvent,
      publishedAt: post.publishedAt,
      updatedAt: post.updatedAt,
      version: post.version,
      seq: post.seq,
      authorIds: links.map((l) => l.authorId),
    };
  }

  private title(title: string | null | undefined): string | null {
    if (title == null) return null;
    const t = title.trim();
    if (t.length > 300) throw badUserInput("must be at most 300 characters", "input.title");
    return t || null;
  }

  private body(body: string): string {
    if (Buffer.byteLength(body, "utf8") > MAX_POST_BYTES) throw badUserInput("must be at most 64 kB", "input.body");
    const clean = sanitizeBody(body);
    if (!clean.trim()) throw badUserInput("must not be empty", "input.body");
    return clean;
  }

  private async authors(m: EntityManager, globalIds: string[]): Promise<number[]> {
    const ids = globalIds.map((g, i) => fromGlobalIdOf("Author", g, `input.authorIds[${i}]`));
    if (new Set(ids).size !== ids.length) throw badUserInput("lists an author twice", "input.authorIds");
    const found = new Set(
      (await m.getRepository(AuthorEntity).find({ where: { id: In(ids) }, select: { id: true } })).map((a) => a.id),
    );
    ids.forEach((id, i) => {
      if (!found.has(id)) throw badUserInput("no such author", `input.authorIds[${i}]`);
    });
    return ids;
  }
}
