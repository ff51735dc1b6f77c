import { listedArticles } from "../../article/article.visibility";
import { AuthorService } from "../../author/author.service";
import { readDate, type Db } from "../../db/sql";
import { TagService } from "../../tag/tag.service";
import { engineText, type SearchDocument } from "./sphinx";

const COLUMNS = "a.id, a.title, a.standfirst, a.body_text, a.language, a.section_id, a.published_at";
const STAMP =
  "a.version AS stamp_version, a.updated_at AS stamp_updated, a.status AS stamp_status, a.deleted_at AS stamp_deleted, a.published_at AS stamp_published";

/**
 * Articles as the search engine holds them, read from the primary (the feeder indexes what was
 * just committed): their text and the attributes filters are pushed down to.
 */
export class SearchDocuments {
  private readonly authors: AuthorService;
  private readonly tags: TagService;

  constructor(private readonly db: Db) {
    this.authors = new AuthorService(db);
    this.tags = new TagService(db);
  }

  /**
   * What the engine should hold for these articles: a document for each listed one (published or
   * scheduled, with a publish time, not deleted: the write core's rule, `listedArticles`), and the
   * ids of the others, which it must not hold. Scheduled articles are held with their moment; the
   * engine only returns those whose moment has passed, and the database checks every hit again.
   */
  async of(ids: number[]): Promise<{ documents: SearchDocument[]; gone: number[]; stamps: Map<number, string> }> {
    if (ids.length === 0) return { documents: [], gone: [], stamps: new Map() };
    const w = this.db.inList("a.id", ids);
    const rows = await this.db.query<Record<string, unknown>>({
      text: `SELECT ${COLUMNS}, ${STAMP}, CASE WHEN ${listedArticles("a")} THEN 1 ELSE 0 END AS listed FROM articles a WHERE ${w.text}`,
      params: w.params,
    });
    const documents = await this.documentsOf(rows.filter((r) => Number(r.listed) === 1));
    const listed = new Set(documents.map((d) => d.id));
    return { documents, gone: ids.filter((id) => !listed.has(id)), stamps: stampsOf(rows) };
  }

  /**
   * What the articles' rows are now: another instance indexing the same article may have read it
   * before a change and written after this one; comparing stamps after writing tells.
   */
  async stamps(ids: number[]): Promise<Map<number, string>> {
    if (ids.length === 0) return new Map();
    const w = this.db.inList("a.id", ids);
    return stampsOf(
      await this.db.query<Record<string, unknown>>({
        text: `SELECT a.id, ${STAMP} FROM articles a WHERE ${w.text}`,
        params: w.params,
      }),
    );
  }

  /** The next `limit` listed articles after id `after`, in id order (filling an engine). */
  async after(after: number, limit: number): Promise<{ documents: SearchDocument[]; last: number | null }> {
    const rows = await this.db.query<Record<string, unknown>>({
      text: `SELECT ${COLUMNS} FROM articles a WHERE a.id > ? AND ${listedArticles("a")} ORDER BY a.id LIMIT ${Math.trunc(limit)}`,
      params: [after],
    });
    const documents = await this.documentsOf(rows);
    return { documents, last: documents.length > 0 ? documents[documents.length - 1]!.id : null };
  }

  private async documentsOf(rows: Array<Record<string, unknown>>): Promise<SearchDocument[]> {
    const ids = rows.map((r) => Number(r.id));
    const [tags, authors] = await Promise.all([
      this.tags.byArticleIds(ids, { replica: false }),
      this.authors.byArticleIds(ids, { replica: false }),
    ]);
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
        tagIds: (tags.get(id) ?? []).map((t) => t.id),
        authorIds: (authors.get(id) ?? []).map((a) => a.id),
      };
    });
  }
}

function stampsOf(rows: Array<Record<string, unknown>>): Map<number, string> {
  const time = (v: unknown) => readDate(v)?.getTime() ?? "";
  return new Map(
    rows.map((r) => [
      Number(r.id),
      `${String(r.stamp_version)}|${time(r.stamp_updated)}|${String(r.stamp_status)}|${time(r.stamp_deleted)}|${time(r.stamp_published)}`,
    ]),
  );
}
