import { noteRead } from "../cache/cache-dependencies";
import { Db, readDate, sql, sqlDate, type Sql } from "../db/sql";
import { decodeCursor, encodeCursor } from "../graphql/cursor";
import { badUserInput } from "../graphql/errors";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import { lookupArticles, type ArticleScope } from "../article/article.visibility";
import type { LiveBlogStatusValue } from "./live-blog.entity";

export interface LiveBlogRow {
  articleId: number;
  status: LiveBlogStatusValue;
  startedAt: Date;
  endedAt: Date | null;
  pinnedPostId: number | null;
  /** The blog's change number when this row was read: what a `since` cursor carries. */
  seq: number;
  updatedAt: Date;
}

export interface LivePostRow {
  id: number;
  articleId: number;
  title: string | null;
  body: string;
  keyEvent: boolean;
  publishedAt: Date;
  updatedAt: Date;
  version: number;
  seq: number;
  /** Byline order. */
  authorIds: number[];
}

/** Position of a post in its blog, newest first: (publishedAt, id). */
export type LivePostKey = [string, number];

const CURSOR_KIND = "livepost";

/**
 * A post's cursor also carries the blog's change number at the time of the read, so any cursor
 * of an answer works as `since` for the next poll.
 */
export function livePostCursor(row: { publishedAt: Date; id: number }, seq: number): string {
  return encodeCursor(CURSOR_KIND, [row.publishedAt.toISOString(), row.id, seq]);
}

/** The cursor of the blog as a whole: only for `since` (nothing to page after). */
export function liveBlogCursor(seq: number): string {
  return encodeCursor(CURSOR_KIND, ["", 0, seq]);
}

function decode(cursor: string, field: string): [string, number, number] {
  const key = decodeCursor(CURSOR_KIND, cursor, field);
  const [at, id, seq] = key;
  if (key.length !== 3 || typeof at !== "string" || typeof id !== "number" || typeof seq !== "number" || seq < 0)
    throw badUserInput("is not a valid cursor for this list", field);
  return [at, id, seq];
}

export function decodeLivePostKey(cursor: string, field: string): LivePostKey {
  const [at, id] = decode(cursor, field);
  const date = new Date(at);
  if (!at || id < 1 || Number.isNaN(date.getTime())) throw badUserInput("is not a valid cursor for this list", field);
  return [sqlDate(date), id];
}

export function decodeSince(cursor: string, field = "since"): number {
  return decode(cursor, field)[2];
}

const POST_COLUMNS =
  "p.id, p.article_id, p.title, p.body, p.key_event, p.published_at, p.updated_at, p.deleted_at, p.version, p.seq";

function toBlog(r: Record<string, unknown>): LiveBlogRow {
  return {
    articleId: Number(r.article_id),
    status: String(r.status) as LiveBlogStatusValue,
    startedAt: readDate(r.started_at)!,
    endedAt: readDate(r.ended_at),
    pinnedPostId: r.pinned_post_id == null ? null : Number(r.pinned_post_id),
    seq: Number(r.seq),
    updatedAt: readDate(r.updated_at)!,
  };
}

function toPost(r: Record<string, unknown>): LivePostRow {
  return {
    id: Number(r.id),
    articleId: Number(r.article_id),
    title: r.title == null ? null : String(r.title),
    body: String(r.body),
    keyEvent: r.key_event === true || Number(r.key_event) === 1,
    publishedAt: readDate(r.published_at)!,
    updatedAt: readDate(r.updated_at)!,
    version: Number(r.version),
    seq: Number(r.seq),
    authorIds: [],
  };
}

/**
 * Reads of live blogs and their posts. A blog is reached through its article, which the article
 * service has already judged visible (article.visibility.ts); the one read that starts from a
 * post (node lookups) applies the same rule itself. Deleted posts are never read.
 */
export class LiveBlogService {
  constructor(private readonly db: Db) {}

  /** The live blogs of these articles (no row: the article carries none). */
  async blogs(articleIds: readonly number[]): Promise<LiveBlogRow[]> {
    noteRead((reads) => articleIds.forEach((id) => reads.liveBlogs.add(id)));
    if (!articleIds.length) return [];
    return (
      await this.db.query(
        sql(`SELECT * FROM live_blogs WHERE ${this.db.inList("article_id", articleIds).text}`, ...articleIds),
      )
    ).map(toBlog);
  }

  /**
   * One page of a blog's posts, newest first. `since`: only posts added or changed after that
   * change number. Keyset paging on (publishedAt, id), so pages stay put while posts arrive.
   */
  async posts(articleId: number, page: PageRequest<LivePostKey>, since?: number): Promise<Page<LivePostRow>> {
    const where: Sql[] = [sql("p.article_id = ?", articleId), sql("p.deleted_at IS NULL")];
    if (since !== undefined) where.push(sql("p.seq > ?", since));
    if (page.after)
      where.push(
        sql("(p.published_at < ? OR (p.published_at = ? AND p.id < ?))", page.after[0], page.after[0], page.after[1]),
      );
    if (page.before)
      where.push(
        sql(
          "(p.published_at > ? OR (p.published_at = ? AND p.id > ?))",
          page.before[0],
          page.before[0],
          page.before[1],
        ),
      );
    const forward = page.direction === "forward";
    const order = forward ? "p.published_at DESC, p.id DESC" : "p.published_at ASC, p.id ASC";
    const rows = await this.db.query(
      sql(
        `SELECT ${POST_COLUMNS} FROM live_posts p WHERE ${where.map((w) => w.text).join(" AND ")} ORDER BY ${order} LIMIT ${page.size + 1}`,
        ...where.flatMap((w) => w.params),
      ),
    );
    return toPage(await this.withAuthors(rows.map(toPost)), page);
  }

  async count(articleId: number, since?: number): Promise<number> {
    const [row] = await this.db.query<{ n: unknown }>(
      sql(
        `SELECT COUNT(*) AS n FROM live_posts p WHERE p.article_id = ? AND p.deleted_at IS NULL${since !== undefined ? " AND p.seq > ?" : ""}`,
        articleId,
        ...(since !== undefined ? [since] : []),
      ),
    );
    return Number(row?.n ?? 0);
  }

  async keyEvents(articleId: number, first: number): Promise<LivePostRow[]> {
    const rows = await this.db.query(
      sql(
        `SELECT ${POST_COLUMNS} FROM live_posts p WHERE p.article_id = ? AND p.key_event = ? AND p.deleted_at IS NULL ORDER BY p.published_at DESC, p.id DESC LIMIT ${first}`,
        articleId,
        true,
      ),
    );
    return this.withAuthors(rows.map(toPost));
  }

  /** Ids of the posts deleted after change number `since`: what a polling page removes. */
  async deletedSince(articleId: number, since: number): Promise<number[]> {
    const rows = await this.db.query<{ id: unknown }>(
      sql(
        "SELECT p.id FROM live_posts p WHERE p.article_id = ? AND p.seq > ? AND p.deleted_at IS NOT NULL ORDER BY p.id",
        articleId,
        since,
      ),
    );
    return rows.map((r) => Number(r.id));
  }

  /**
   * Posts by id, each only if not deleted and its article is one `scope` may see (the same rule
   * as article lookups: editors previewing also see drafts' posts).
   */
  async postsByIds(scope: ArticleScope, ids: readonly number[]): Promise<LivePostRow[]> {
    if (!ids.length) return [];
    const visible = lookupArticles(scope, "a");
    const rows = await this.db.query(
      sql(
        `SELECT ${POST_COLUMNS}, CASE WHEN ${visible.text} THEN 1 ELSE 0 END AS visible` +
          ` FROM live_posts p JOIN articles a ON a.id = p.article_id WHERE ${this.db.inList("p.id", ids).text}`,
        ...visible.params,
        ...ids,
      ),
    );
    // Found or not visible yet, a post answers for its article's visibility and its blog's changes.
    noteRead((reads) => {
      for (const r of rows) {
        reads.articleIds.add(Number(r.article_id));
        reads.liveBlogs.add(Number(r.article_id));
      }
    });
    return this.withAuthors(rows.filter((r) => Number(r.visible) === 1 && r.deleted_at == null).map(toPost));
  }

  private async withAuthors(posts: LivePostRow[]): Promise<LivePostRow[]> {
    if (!posts.length) return posts;
    const ids = posts.map((p) => p.id);
    const links = await this.db.query<{ post_id: unknown; author_id: unknown }>(
      sql(
        `SELECT post_id, author_id FROM live_post_authors WHERE ${this.db.inList("post_id", ids).text} ORDER BY post_id, position`,
        ...ids,
      ),
    );
    const byPost = new Map(posts.map((p) => [p.id, p]));
    for (const l of links) byPost.get(Number(l.post_id))?.authorIds.push(Number(l.author_id));
    return posts;
  }
}
