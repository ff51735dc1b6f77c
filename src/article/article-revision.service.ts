import type { DataSource } from "typeorm";
import { readDate } from "../db/sql";
import { decodeCursor, encodeCursor } from "../graphql/cursor";
import { badUserInput } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import type { RevisionRow } from "./article-revision.type";
import { decodeContent } from "./article.revisions";

export const revisionCursor = (row: RevisionRow) => encodeCursor("revision", [row.version]);
export function decodeRevisionCursor(cursor: string, field: string): number {
  const [version] = decodeCursor("revision", cursor, field);
  if (typeof version !== "number") throw badUserInput("is not a valid cursor for this list", field);
  return version;
}

export const revisionIdOf = (globalId: string, field: string): number =>
  fromGlobalIdOf("ArticleRevision", globalId, field);

const COLUMNS = "id, article_id, version, saved_at, saved_by, changed, content";

/** Reads revisions (editors only; the resolvers check the role). Tag names come with each page, in one statement. */
export class ArticleRevisionService {
  constructor(private readonly ds: DataSource) {}

  private async rows(raw: Array<Record<string, unknown>>): Promise<RevisionRow[]> {
    const parsed = raw.map((r) => ({
      id: Number(r.id),
      articleId: Number(r.article_id),
      version: Number(r.version),
      savedAt: readDate(r.saved_at)!,
      savedBy: String(r.saved_by),
      changed: JSON.parse(String(r.changed)) as string[],
      content: decodeContent(String(r.content)),
      tagNames: [] as string[],
    }));
    const tagIds = [...new Set(parsed.flatMap((p) => p.content.tagIds))];
    if (tagIds.length) {
      const tags: Array<{ id: unknown; name: string }> = await this.ds.query(
        `SELECT id, name FROM tags WHERE id IN (${tagIds.map(() => "?").join(", ")})`,
        tagIds,
      );
      const name = new Map(tags.map((t) => [Number(t.id), t.name]));
      for (const p of parsed) p.tagNames = p.content.tagIds.flatMap((id) => (name.has(id) ? [name.get(id)!] : []));
    }
    return parsed;
  }

  /** Newest first, keyed by version. */
  async page(articleId: number, req: PageRequest<number>): Promise<Page<RevisionRow>> {
    const raw = await this.ds.query(
      `SELECT ${COLUMNS} FROM article_revisions WHERE article_id = ?${req.after !== undefined ? " AND version < ?" : ""}
       ORDER BY version DESC LIMIT ${req.size + 1}`,
      req.after !== undefined ? [articleId, req.after] : [articleId],
    );
    return toPage(await this.rows(raw), { ...req, direction: "forward" });
  }

  async count(articleId: number): Promise<number> {
    const [row] = await this.ds.query("SELECT COUNT(*) AS n FROM article_revisions WHERE article_id = ?", [articleId]);
    return Number(row?.n ?? 0);
  }

  async byIds(ids: number[]): Promise<RevisionRow[]> {
    if (!ids.length) return [];
    return this.rows(
      await this.ds.query(
        `SELECT ${COLUMNS} FROM article_revisions WHERE id IN (${ids.map(() => "?").join(", ")})`,
        ids,
      ),
    );
  }
}
