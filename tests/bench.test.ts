import { loadConfig } from "../src/config";
import { migrate, openDataSource } from "../src/db/data-source";
import { seedBench } from "../src/seed/bench";
import { createLogger } from "../src/log";
import { startBaseline, type BaselineServer } from "../bench/baseline-server";
import { ARTICLE_PAGE_QUERY, FEED_QUERY } from "../bench/scenarios";
import { DATABASES, freshDatabase } from "./helpers/databases";
import { startGateway, type TestGateway } from "./helpers/gateway";

/** The bench data's own "now": scheduled articles after it stay invisible, drafts always do. */
const NOW = new Date("2026-11-01T00:00:00.000Z");

const run = DATABASES.includes("mysql") ? describe : describe.skip;
if (!DATABASES.includes("mysql")) {
  console.log("SKIPPED the bench smoke test: the hand-written baseline needs MySQL (MYSQL_TEST_URL)");
}

run("the bench's hand-written baseline on mysql", () => {
  let drop: () => Promise<void>;
  let gw: TestGateway;
  let baseline: BaselineServer;

  beforeAll(async () => {
    const db = await freshDatabase("mysql");
    drop = db.drop;
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url, LOG_LEVEL: "silent" });
    const ds = await openDataSource(config, createLogger({ logLevel: "silent" }), { uncapped: true });
    await migrate(ds);
    await seedBench(ds, { articles: 300, seed: 7, now: NOW });
    await ds.destroy();
    gw = await startGateway("mysql", { databaseUrl: db.url, now: NOW });
    baseline = await startBaseline({ databaseUrl: db.url, clock: () => gw.clock.now, poolSize: 2 });
  });

  afterAll(async () => {
    await baseline?.close();
    await gw?.close();
    await drop?.();
  });

  const getJson = async (path: string) => {
    const res = await fetch(`${baseline.url}${path}`);
    return {
      status: res.status,
      statements: Number(res.headers.get("x-sql-statements")),
      body: (await res.json()) as any,
    };
  };

  it("answers a section feed, page after page, exactly as the gateway does", async () => {
    // A top-level section: its feed includes its child sections' articles.
    const section = "bench-section-1";
    let after: string | undefined;
    let pages = 0;
    let seen = 0;
    // Statements per non-empty page: fixed whatever the page size or position.
    const statements: number[] = [];
    for (;;) {
      const gateway = await gw.gql(FEED_QUERY.replace("first: 20", "first: 5"), { section, after });
      expect(gateway.body.errors).toBeUndefined();
      const mine = await getJson(
        `/feed?section=${section}&first=5${after ? `&after=${encodeURIComponent(after)}` : ""}`,
      );
      expect(mine.status).toBe(200);
      expect(mine.body.data).toEqual(gateway.body.data);
      const edges = gateway.body.data.articles.edges;
      if (edges.length > 0) statements.push(mine.statements);
      seen += edges.length;
      pages += 1;
      if (edges.length < 5) break;
      after = edges[edges.length - 1].cursor;
    }
    expect(pages).toBeGreaterThan(2);
    const twenty = await getJson(`/feed?section=${section}&first=20`);
    expect(twenty.body.data.articles.edges).toHaveLength(Math.min(20, seen));
    statements.push(twenty.statements);
    expect(statements).toEqual(statements.map(() => statements[0]));
    // The section tree, the page, its authors.
    expect(statements[0]).toBeGreaterThan(0);
    expect(statements[0]).toBeLessThanOrEqual(3);
    // Only published articles whose moment has come: the seed makes drafts and scheduled ones too.
    const [{ n }] = await gw.ds.query(
      "SELECT COUNT(*) AS n FROM articles a JOIN sections s ON s.id = a.section_id" +
        " LEFT JOIN sections p ON p.id = s.parent_id" +
        " WHERE (s.slug = ? OR p.slug = ?) AND a.status IN ('published', 'scheduled') AND a.published_at <= ?",
      [section, section, "2026-11-01 00:00:00.000"],
    );
    expect(seen).toBe(Number(n));
  });

  it("answers the README article page exactly as the gateway does", async () => {
    const [article] = await gw.ds.query(
      "SELECT a.slug, a.language FROM articles a WHERE a.status = 'published' AND a.published_at <= ?" +
        " AND (SELECT COUNT(*) FROM articles v WHERE v.story_key = a.story_key AND v.status = 'published') >= 2" +
        " ORDER BY a.id LIMIT 1",
      ["2026-11-01 00:00:00.000"],
    );
    const gateway = await gw.gql(ARTICLE_PAGE_QUERY, { slug: article.slug, language: article.language });
    expect(gateway.body.errors).toBeUndefined();
    expect(gateway.body.data.article.translations.length).toBeGreaterThan(0);
    const mine = await getJson(`/article?slug=${encodeURIComponent(article.slug)}&language=${article.language}`);
    expect(mine.body.data).toEqual(gateway.body.data);
  });

  it("serves the floor response it was given, with no database", async () => {
    const stored = JSON.stringify({ data: { ok: true } });
    expect((await fetch(`${baseline.url}/floor/x`, { method: "PUT", body: stored })).status).toBe(204);
    const res = await fetch(`${baseline.url}/floor/x`, { method: "POST", body: "{}" });
    expect(await res.text()).toBe(stored);
    expect(res.headers.get("x-sql-statements")).toBe("0");
  });
});
