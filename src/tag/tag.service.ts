import { Db } from "../db/sql";
import { noteRead } from "../cache/cache-dependencies";

export interface TagRow {
  id: number;
  slug: string;
  name: string;
}

const toRow = (r: Record<string, unknown>): TagRow => {
  noteRead((reads) => reads.tagIds.add(Number(r.id)));
  return { id: Number(r.id), slug: String(r.slug), name: String(r.name) };
};

export class TagService {
  constructor(private readonly db: Db) {}

  async byIds(ids: readonly number[]): Promise<TagRow[]> {
    if (ids.length === 0) return [];
    const w = this.db.inList("t.id", ids);
    return (
      await this.db.query(
        { text: `SELECT t.id, t.slug, t.name FROM tags t WHERE ${w.text}`, params: w.params },
        { replica: true },
      )
    ).map(toRow);
  }

  async bySlugs(slugs: readonly string[]): Promise<TagRow[]> {
    if (slugs.length === 0) return [];
    const w = this.db.inList("t.slug", slugs);
    return (
      await this.db.query(
        { text: `SELECT t.id, t.slug, t.name FROM tags t WHERE ${w.text}`, params: w.params },
        { replica: true },
      )
    ).map(toRow);
  }

  /** Tags of many articles in one statement, alphabetical. */
  async byArticleIds(
    articleIds: readonly number[],
    /** false: from the primary (the search feeder indexes what was just committed). */
    options: { replica?: boolean } = {},
  ): Promise<Map<number, TagRow[]>> {
    const out = new Map<number, TagRow[]>(articleIds.map((id) => [id, []]));
    if (articleIds.length === 0) return out;
    const w = this.db.inList("at.article_id", articleIds);
    const rows = await this.db.query(
      {
        text: `SELECT at.article_id AS article_id, t.id, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE ${w.text} ORDER BY at.article_id, t.name, t.id`,
        params: w.params,
      },
      { replica: options.replica ?? true },
    );
    for (const r of rows) out.get(Number(r.article_id))?.push(toRow(r));
    return out;
  }
}
