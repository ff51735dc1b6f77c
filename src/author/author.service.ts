import { Db, joinSql, sql, type Sql } from "../db/sql";
import { noteRead } from "../cache/cache-dependencies";
import { decodeCursor, encodeCursor } from "../graphql/cursor";
import { badUserInput } from "../graphql/errors";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import type { ImageRow } from "../graphql/image.type";

export interface AuthorRow {
  id: number;
  slug: string;
  name: string;
  role: string | null;
  bio: string | null;
  avatar: ImageRow | null;
}

/** The public columns. `email` is private: it is never selected here, so it cannot leak or be filtered on. */
const SELECT =
  "au.id, au.slug, au.name, au.role, au.bio, au.avatar_url, au.avatar_alt, au.avatar_width, au.avatar_height";

function toRow(r: Record<string, unknown>): AuthorRow {
  noteRead((reads) => reads.authorIds.add(Number(r.id)));
  return {
    id: Number(r.id),
    slug: String(r.slug),
    name: String(r.name),
    role: r.role == null ? null : String(r.role),
    bio: r.bio == null ? null : String(r.bio),
    avatar:
      r.avatar_url == null
        ? null
        : {
            url: String(r.avatar_url),
            alt: r.avatar_alt == null ? null : String(r.avatar_alt),
            caption: null,
            credit: null,
            width: r.avatar_width == null ? null : Number(r.avatar_width),
            height: r.avatar_height == null ? null : Number(r.avatar_height),
          },
  };
}

/** Authors list in name order; the key is (name, id). */
export type AuthorKey = [string, number];

export const authorCursor = (row: AuthorRow): string => encodeCursor("author", [row.name, row.id]);

export function decodeAuthorCursor(cursor: string, field: string): AuthorKey {
  const key = decodeCursor("author", cursor, field);
  if (key.length !== 2 || typeof key[0] !== "string" || typeof key[1] !== "number") {
    throw badUserInput("is not a valid cursor for this list", field);
  }
  return [key[0], key[1]];
}

export class AuthorService {
  constructor(private readonly db: Db) {}

  async byIds(ids: readonly number[]): Promise<AuthorRow[]> {
    if (ids.length === 0) return [];
    const w = this.db.inList("au.id", ids);
    return (
      await this.db.query(
        { text: `SELECT ${SELECT} FROM authors au WHERE ${w.text}`, params: w.params },
        { replica: true },
      )
    ).map(toRow);
  }

  async bySlugs(slugs: readonly string[]): Promise<AuthorRow[]> {
    if (slugs.length === 0) return [];
    const w = this.db.inList("au.slug", slugs);
    return (
      await this.db.query(
        { text: `SELECT ${SELECT} FROM authors au WHERE ${w.text}`, params: w.params },
        { replica: true },
      )
    ).map(toRow);
  }

  /** Byline authors of many articles in one statement, in byline order. */
  async byArticleIds(
    articleIds: readonly number[],
    /** false: from the primary (the search feeder indexes what was just committed). */
    options: { replica?: boolean } = {},
  ): Promise<Map<number, AuthorRow[]>> {
    const out = new Map<number, AuthorRow[]>(articleIds.map((id) => [id, []]));
    if (articleIds.length === 0) return out;
    const w = this.db.inList("aa.article_id", articleIds);
    const rows = await this.db.query(
      {
        text:
          `SELECT aa.article_id AS article_id, ${SELECT} FROM article_authors aa JOIN authors au ON au.id = aa.author_id` +
          ` WHERE ${w.text} ORDER BY aa.article_id, aa.position, au.id`,
        params: w.params,
      },
      { replica: options.replica ?? true },
    );
    for (const r of rows) out.get(Number(r.article_id))?.push(toRow(r));
    return out;
  }

  async page(req: PageRequest<AuthorKey>): Promise<Page<AuthorRow>> {
    noteRead((r) => (r.authorList = true));
    const conds: Sql[] = [sql("1 = 1")];
    const after = (k: AuthorKey, op: string) =>
      sql(`(au.name ${op} ? OR (au.name = ? AND au.id ${op} ?))`, k[0], k[0], k[1]);
    if (req.after) conds.push(after(req.after, ">"));
    if (req.before) conds.push(after(req.before, "<"));
    const dir = req.direction === "forward" ? "ASC" : "DESC";
    const w = joinSql(conds, " AND ");
    const rows = await this.db.query(
      {
        text: `SELECT ${SELECT} FROM authors au WHERE ${w.text} ORDER BY au.name ${dir}, au.id ${dir} LIMIT ${req.size + 1}`,
        params: w.params,
      },
      { replica: true },
    );
    return toPage(rows.map(toRow), req);
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: unknown }>(sql("SELECT COUNT(*) AS n FROM authors"), { replica: true });
    return Number(rows[0]?.n ?? 0);
  }
}
