import { listedArticles } from "../../article/article.visibility";
import { readDate, type Db } from "../../db/sql";
import { engineText, type SearchDocument } from "./sphinx";

/**
 * What the engine should hold for these articles: a document for each listed one (published or
 * scheduled, with a publish time, not deleted: the write core's rule, `listedArticles`), and the
 * ids of the others, which it must not hold. Scheduled articles are held with their moment; the
 * engine only returns those whose moment has passed, and the database checks every hit again.
 */
const COLUMNS = "a.id, a.title, a.standfirst, a.body_text, a.language, a.section_id, a.published_at";

export async function searchDocuments(
  db: Db,
  ids: number[],
): Promise<{ documents: SearchDocument[]; gone: number[]; stamps: Map<number, string> }> {
  if (ids.length === 0) return { documents: [], gone: [], stamps: new Map() };
  const rows = await db.query<Record<string, unknown>>({
    text:
      `SELECT ${COLUMNS}, ${STAMP}, CASE WHEN ${listedArticles("a")} THEN 1 ELSE 0 END AS listed` +
      ` FROM articles a WHERE a.id IN (${ids.map(() => "?").join(", ")})`,
    params: ids,
  });
  const documents = await documentsOf(
    db,
    rows.filter((r) => Number(r.listed) === 1),
  );
  const listed = new Set(documents.map((d) => d.id));
  return { documents, gone: ids.filter((id) => !listed.has(id)), stamps: stampsOf(rows) };
}

/**
 * What an article's row was when it was read: another instance indexing the same article may
 * have read it before a change and written after this one; comparing stamps after writing tells.
 */
export async function articleStamps(db: Db, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.query<Record<string, unknown>>({
    text: `SELECT a.id, ${STAMP} FROM articles a WHERE a.id IN (${ids.map(() => "?").join(", ")})`,
    params: ids,
  });
  return stampsOf(rows);
}

const STAMP =
  "a.version AS stamp_version, a.updated_at AS stamp_updated, a.status AS stamp_status, a.deleted_at AS stamp_deleted, a.published_at AS stamp_published";

function stampsOf(rows: Array<Record<string, unknown>>): Map<number, string> {
  const time = (v: unknown) => readDate(v)?.getTime() ?? "";
  return new Map(
    rows.map((r) => [
      Number(r.id),
      `${String(r.stamp_version)}|${time(r.stamp_updated)}|${String(r.stamp_status)}|${time(r.stamp_deleted)}|${time(r.stamp_published)}`,
    ]),
  );
}

/** The next `limit` listed articles after id `after`, in id order (filling an engine). */
export async function searchDocumentsAfter(
  db: Db,
  after: number,
  limit: number,
): Promise<{ documents: SearchDocument[]; last: number | null }> {
  const rows = await db.query<Record<string, unknown>>({
    text: `SELECT ${COLUMNS} FROM articles a WHERE a.id > ? AND ${listedArticles("a")} ORDER BY a.id LIMIT ${Math.trunc(limit)}`,
    params: [after],
  });
  const documents = await documentsOf(db, rows);
  return { documents, last: documents.length > 0 ? documents[documents.length - 1]!.id : null };
}

async function documentsOf(db: Db, rows: Array<Record<string, unknown>>): Promise<SearchDocument[]> {
  const found = rows.map((r) => Number(r.id));
  const links = async (table: string, column: string) => {
    const byArticle = new Map<number, number[]>();
    if (found.length === 0) return byArticle;
    const linked = await db.query<Record<string, unknown>>({
      text: `SELECT article_id, ${column} AS other FROM ${table} WHERE article_id IN (${found.map(() => "?").join(", ")})`,
      params: found,
    });
    for (const l of linked) {
      const id = Number(l.article_id);
      byArticle.set(id, [...(byArticle.get(id) ?? []), Number(l.other)]);
    }
    return byArticle;
  };
  const tags = await links("article_tags", "tag_id");
  const authors = await links("article_authors", "author_id");
  return rows.map((r) => {
    const id = Number(r.id);
    return {
      id,
      title: engineText(r.title as string),
      standfirst: engineText(r.standfirst as string | null),
      body: engineText(r.body_text as string | null),
      language: String(r.language),
      sectionId: Number(r.section_id),
      publishedAt: readDate(r.published_at)!.getTime(),
      tagIds: tags.get(id) ?? [],
      authorIds: authors.get(id) ?? [],
    };
  });
}
