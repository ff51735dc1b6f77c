import type { DataSource } from "typeorm";
import { ArticleCandidatesIndex1796799600000 } from "../../migrations/1796799600000-article-candidates-index";
import { DATABASES, migratedDatabase, type DbKind } from "../helpers/databases";

/** The columns of the narrow index by id, in order, as the database reports them. */
async function indexColumns(ds: DataSource, kind: DbKind): Promise<string[]> {
  if (kind === "sqlite") {
    const rows = (await ds.query("PRAGMA index_info('idx_articles_trending')")) as Array<{
      seqno: number;
      name: string;
    }>;
    return rows.sort((a, b) => a.seqno - b.seqno).map((r) => r.name);
  }
  const rows = (await ds.query(
    "SELECT column_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE()" +
      " AND table_name = 'articles' AND index_name = 'idx_articles_trending' ORDER BY seq_in_index",
  )) as Array<{ name: string }>;
  return rows.map((r) => r.name);
}

describe.each(DATABASES)("the article candidates index on %s", (kind) => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, drop } = await migratedDatabase(kind));
  });
  afterAll(async () => drop?.());

  it("adds story_key to the narrow index by id, and takes it off again going down", async () => {
    const before = ["id", "status", "published_at", "deleted_at", "section_id", "language"];
    expect(await indexColumns(ds, kind)).toEqual([...before, "story_key"]);
    const runner = ds.createQueryRunner();
    try {
      await new ArticleCandidatesIndex1796799600000().down(runner);
      expect(await indexColumns(ds, kind)).toEqual(before);
      await new ArticleCandidatesIndex1796799600000().up(runner);
    } finally {
      await runner.release();
    }
    expect(await indexColumns(ds, kind)).toEqual([...before, "story_key"]);
  });
});
