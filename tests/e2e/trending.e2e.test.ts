import { DATABASES, freshDatabase } from "../helpers/databases";
import { DEFAULT_NOW, gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import { sqlDate } from "../../src/db/sql";

const TRENDING = `
  query Trending($window: TrendingWindow, $first: Int, $section: String, $language: Locale) {
    trending(window: $window, first: $first, section: $section, language: $language) {
      window
      generatedAt
      items { rank score views article { id title } }
    }
  }`;

const RECORD = `mutation($id: ID!, $viewId: String) { recordView(articleId: $id, viewId: $viewId) }`;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

type Item = { rank: number; score: number; views: number; article: { id: string; title: string } };

const code = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;
const at = (ms: number) => new Date(DEFAULT_NOW.getTime() + ms);

async function trending(gw: TestGateway, vars: Record<string, unknown> = {}) {
  const res = await gw.gql(TRENDING, vars);
  expect(res.body.errors).toBeUndefined();
  return { res, list: res.body.data.trending as { window: string; generatedAt: string; items: Item[] } };
}

const ids = (items: Item[]) => items.map((i) => i.article.id);

function beacon(gw: TestGateway, body: string, headers: Record<string, string> = {}) {
  return fetch(`${gw.url}/beacon/view`, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "test-browser", ...headers },
    body,
  });
}

/** `n` views of one article from `n` different clients, through the same checks as every view. */
async function record(gw: TestGateway, articleId: number, n: number, client = `reader-${articleId}`) {
  for (let i = 0; i < n; i++) {
    await gw.courant.deps.services.trending.views.record({ articleId, client: `${client}-${i}` });
  }
}

const flush = (gw: TestGateway) => gw.courant.deps.services.trending.flush();

async function metric(gw: TestGateway, name: string, labels = ""): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name}${labels} `));
  return line ? Number(line.split(" ")[1]) : 0;
}

describe.each(DATABASES)("trending on %s", (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { TRENDING_CACHE_SECONDS: "0" } });
  });
  afterAll(() => gw?.close());
  beforeEach(() => {
    gw.clock.now = DEFAULT_NOW;
  });

  const section = () => gw.factory.section();

  it("ranks by decayed views: fresh views outweigh more older ones over a day, not over a week", async () => {
    const s = await section();
    const older = await gw.factory.article({ sectionId: s.id, publishedAt: at(-2 * 24 * HOUR), title: "Older" });
    const fresh = await gw.factory.article({ sectionId: s.id, publishedAt: at(-HOUR), title: "Fresh" });
    gw.clock.now = at(-5 * HOUR);
    await record(gw, older.id, 10);
    gw.clock.now = DEFAULT_NOW;
    await record(gw, fresh.id, 6);
    await flush(gw);

    const day = (await trending(gw, { section: s.slug })).list;
    expect(day.window).toBe("DAY");
    expect(day.generatedAt).toBe(DEFAULT_NOW.toISOString());
    expect(day.items.map((i) => [i.rank, i.article.title, i.views])).toEqual([
      [1, "Fresh", 6],
      [2, "Older", 10],
    ]);
    expect(day.items[0]!.score).toBeCloseTo(6, 9);
    expect(day.items[1]!.score).toBeCloseTo(10 * 2 ** (-5 / 6), 9);

    const week = (await trending(gw, { section: s.slug, window: "WEEK" })).list;
    expect(week.items.map((i) => i.article.title)).toEqual(["Older", "Fresh"]);
    expect(week.items[0]!.score).toBeCloseTo(10 * 2 ** (-5 / 48), 9);
  });

  it("breaks ties in favour of the newer article", async () => {
    const s = await section();
    const a = await gw.factory.article({ sectionId: s.id, publishedAt: at(-3 * HOUR) });
    const b = await gw.factory.article({ sectionId: s.id, publishedAt: at(-2 * HOUR) });
    const c = await gw.factory.article({ sectionId: s.id, publishedAt: at(-4 * HOUR) });
    for (const x of [a, b, c]) await record(gw, x.id, 2);
    await flush(gw);
    const { list } = await trending(gw, { section: s.slug });
    expect(ids(list.items)).toEqual([b, a, c].map((x) => gid("Article", x.id)));
    expect(list.items.map((i) => i.rank)).toEqual([1, 2, 3]);
  });

  it("counts a bucket that starts exactly at the window's edge, and not one a moment earlier", async () => {
    const s = await section();
    const inside = await gw.factory.article({ sectionId: s.id, publishedAt: at(-3 * HOUR), title: "Inside" });
    const outside = await gw.factory.article({ sectionId: s.id, publishedAt: at(-3 * HOUR), title: "Outside" });
    gw.clock.now = at(-HOUR); // the bucket starting one hour ago
    await record(gw, inside.id, 1);
    gw.clock.now = at(-HOUR - 1000); // the bucket before it
    await record(gw, outside.id, 1);
    await flush(gw);
    gw.clock.now = DEFAULT_NOW;
    expect((await trending(gw, { section: s.slug, window: "HOUR" })).list.items.map((i) => i.article.title)).toEqual([
      "Inside",
    ]);
    expect((await trending(gw, { section: s.slug, window: "DAY" })).list.items).toHaveLength(2);
    gw.clock.now = at(1000);
    expect((await trending(gw, { section: s.slug, window: "HOUR" })).list.items).toEqual([]);
  });

  it("filters by section (with its child sections) and by language, also under Section.trending", async () => {
    const parent = await section();
    const child = await gw.factory.section({ parentId: parent.id });
    const other = await section();
    const inParent = await gw.factory.article({ sectionId: parent.id, language: "en" });
    const inChild = await gw.factory.article({ sectionId: child.id, language: "nl" });
    const inOther = await gw.factory.article({ sectionId: other.id, language: "nl" });
    await record(gw, inParent.id, 3);
    await record(gw, inChild.id, 2);
    await record(gw, inOther.id, 5);
    await flush(gw);
    const [p, c, o] = [inParent, inChild, inOther].map((a) => gid("Article", a.id));

    expect(ids((await trending(gw, { section: parent.slug })).list.items)).toEqual([p, c]);
    expect(ids((await trending(gw, { section: child.slug })).list.items)).toEqual([c]);
    const nl = ids((await trending(gw, { language: "nl", first: 50 })).list.items);
    expect(nl).toEqual(expect.arrayContaining([c, o]));
    expect(nl).not.toContain(p);
    expect(nl.indexOf(o)).toBeLessThan(nl.indexOf(c));
    expect(ids((await trending(gw, { section: parent.slug, language: "nl" })).list.items)).toEqual([c]);
    expect((await trending(gw, { section: "no-such-section" })).list.items).toEqual([]);

    const nested = await gw.gql(
      `query($slug: String!) { section(slug: $slug) { trending(window: DAY, first: 1) { window items { rank views article { id } } } } }`,
      { slug: parent.slug },
    );
    expect(nested.body.data.section.trending).toEqual({
      window: "DAY",
      items: [{ rank: 1, views: 3, article: { id: p } }],
    });
  });

  it("rejects a page size outside 1..50 and a language the site does not publish in", async () => {
    for (const first of [0, 51]) expect(code(await gw.gql(TRENDING, { first }))).toBe("BAD_USER_INPUT");
    expect(code(await gw.gql(TRENDING, { language: "xx" }))).toBe("BAD_USER_INPUT");
    const s = await section();
    const top = await gw.factory.article({ sectionId: s.id, title: "Top" });
    const second = await gw.factory.article({ sectionId: s.id, title: "Second" });
    await record(gw, top.id, 2);
    await record(gw, second.id, 1);
    await flush(gw);
    for (const [first, titles] of [
      [1, ["Top"]],
      [50, ["Top", "Second"]],
    ] as const) {
      const { list } = await trending(gw, { section: s.slug, first });
      expect(list.items.map((i) => i.article.title)).toEqual(titles);
    }
  });

  it("sends the same number of statements for 1 or 50 items, and for few sections or many", async () => {
    const s = await section();
    const viewed: string[] = [];
    for (const views of [3, 2, 1]) {
      const a = await gw.factory.article({ sectionId: s.id, title: `${views} views` });
      await record(gw, a.id, views);
      viewed.push(gid("Article", a.id));
    }
    await flush(gw);

    await gw.gql(`{ sections { id } }`); // the process keeps the section tree: read it before both
    const small = await trending(gw, { section: s.slug, first: 1 });
    const large = await trending(gw, { section: s.slug, first: 50 });
    expect(ids(small.list.items)).toEqual(viewed.slice(0, 1));
    expect(ids(large.list.items)).toEqual(viewed);
    expect(large.res.statements).toBe(small.res.statements);
    const everywhereSmall = await trending(gw, { first: 1 });
    const everywhereLarge = await trending(gw, { first: 50 });
    expect(everywhereSmall.list.items).toHaveLength(1);
    expect(ids(everywhereLarge.list.items)).toEqual(expect.arrayContaining(viewed));
    expect(everywhereLarge.res.statements).toBe(everywhereSmall.res.statements);

    const ALL = `query($n: Int) { sections { slug trending(first: $n) { items { article { id title } } } } }`;
    const allSections = async (n: number) => {
      const res = await gw.gql(ALL, { n });
      expect(res.body.errors).toBeUndefined();
      const lists = res.body.data.sections as Array<{ slug: string; trending: { items: Item[] } }>;
      expect(ids(lists.find((l) => l.slug === s.slug)!.trending.items)).toEqual(viewed.slice(0, n));
      return { statements: res.statements, sections: lists.length };
    };
    const few = [await allSections(1), await allSections(5)];
    // More sections, each with a ranking of its own.
    for (let i = 0; i < 4; i++) {
      const more = await section();
      await record(gw, (await gw.factory.article({ sectionId: more.id })).id, 1);
    }
    await flush(gw);
    await gw.gql(`{ sections { id } }`); // the new sections: the kept tree is read again, once
    const many = [await allSections(1), await allSections(5)];
    expect(many[0]!.sections).toBe(few[0]!.sections + 4);
    expect(many.map((m) => m.statements)).toEqual(few.map((f) => f.statements));
    expect(few[1]!.statements).toBe(few[0]!.statements);
    // One ranking round for all the lists (candidates, then their window sums) and one article
    // lookup (the section tree is kept by the process): no more, however many sections or items.
    expect(few[0]!.statements).toBeGreaterThan(0);
    expect(few[0]!.statements).toBeLessThanOrEqual(4);
  });

  it("is exact when the ranking must read past its first round (many articles, old views outside the window)", async () => {
    const s = await section();
    const articles = [];
    for (let i = 0; i < 160; i++) {
      articles.push(await gw.factory.article({ sectionId: s.id, publishedAt: at(-40 * HOUR - i * MINUTE) }));
    }
    // Deterministic pseudo-random views: heavy ones just outside the day window, lighter ones inside it.
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const rows: Array<{ bucketStart: number; articleId: number; views: number }> = [];
    const expected = new Map<number, { score: number; views: number }>();
    for (const a of articles) {
      rows.push({ bucketStart: at(-30 * HOUR).getTime(), articleId: a.id, views: 1 + rand(20000) });
      const e = { score: 0, views: 0 };
      for (let k = 0; k < 3; k++) {
        const bucketStart = at(-5 * MINUTE * (1 + rand(280))).getTime();
        const views = 1 + rand(40);
        if (rows.some((r) => r.articleId === a.id && r.bucketStart === bucketStart)) continue;
        rows.push({ bucketStart, articleId: a.id, views });
        e.score += views * 2 ** (-(at(140_000).getTime() - bucketStart) / (6 * HOUR));
        e.views += views;
      }
      expected.set(a.id, e);
    }
    await gw.courant.deps.services.trending.writeViews(rows);
    const want = articles
      .map((a) => ({ id: a.id, publishedAt: a.publishedAt!.getTime(), ...expected.get(a.id)! }))
      .sort((x, y) => y.score - x.score || y.publishedAt - x.publishedAt || y.id - x.id)
      .slice(0, 50);
    const statementsBefore = await metric(gw, "courant_trending_ranking_statements_total");
    gw.clock.now = at(140_000); // between bucket boundaries
    const { list } = await trending(gw, { section: s.slug, first: 50 });
    // More than one round: the first candidates by bound were not enough to settle the list.
    expect(await metric(gw, "courant_trending_ranking_statements_total")).toBeGreaterThan(statementsBefore + 2);
    expect(ids(list.items)).toEqual(want.map((w) => gid("Article", w.id)));
    list.items.forEach((item, i) => {
      expect(item.views).toBe(want[i]!.views);
      expect(item.score).toBeCloseTo(want[i]!.score, 6);
    });
  });

  it("never lists an article that stopped being public, even with views", async () => {
    const s = await section();
    // Maltese: no other article here is, so the site-wide list below holds these four only.
    const language = "mt";
    const kept = await gw.factory.article({ sectionId: s.id, language, title: "Kept" });
    const drafted = await gw.factory.article({ sectionId: s.id, language, title: "Drafted" });
    const deleted = await gw.factory.article({ sectionId: s.id, language, title: "Deleted" });
    const postponed = await gw.factory.article({ sectionId: s.id, language, title: "Postponed" });
    await record(gw, kept.id, 1);
    await record(gw, drafted.id, 4);
    await record(gw, deleted.id, 3);
    await record(gw, postponed.id, 2);
    await flush(gw);
    const titles = ["Drafted", "Deleted", "Postponed", "Kept"];
    expect((await trending(gw, { section: s.slug })).list.items.map((i) => i.article.title)).toEqual(titles);
    expect((await trending(gw, { language, first: 50 })).list.items.map((i) => i.article.title)).toEqual(titles);

    await gw.ds.query("UPDATE articles SET status = 'draft' WHERE id = ?", [drafted.id]);
    await gw.ds.query("UPDATE articles SET deleted_at = ? WHERE id = ?", [sqlDate(DEFAULT_NOW), deleted.id]);
    await gw.ds.query("UPDATE articles SET status = 'scheduled', published_at = ? WHERE id = ?", [
      sqlDate(at(24 * HOUR)),
      postponed.id,
    ]);
    for (const window of ["HOUR", "DAY", "WEEK"]) {
      const { list } = await trending(gw, { section: s.slug, window });
      expect(list.items.map((i) => [i.rank, i.article.title])).toEqual([[1, "Kept"]]);
    }
    // Site-wide too, not only under a section.
    expect(ids((await trending(gw, { language, first: 50 })).list.items)).toEqual([gid("Article", kept.id)]);
  });

  it("counts views of public articles only", async () => {
    const s = await section();
    const draft = await gw.factory.article({ sectionId: s.id, status: "draft", publishedAt: null });
    const future = await gw.factory.article({ sectionId: s.id, status: "scheduled", publishedAt: at(HOUR) });
    for (const a of [draft, future]) {
      const res = await gw.gql(RECORD, { id: gid("Article", a.id) }, { "user-agent": "app-1" });
      expect(res.body.data.recordView).toBe(false);
      expect((await beacon(gw, JSON.stringify({ articleId: gid("Article", a.id) }))).status).toBe(204);
    }
    expect((await beacon(gw, JSON.stringify({ articleId: gid("Article", 999_999) }))).status).toBe(204);
    await flush(gw);
    const [{ n }] = await gw.ds.query("SELECT COUNT(*) AS n FROM article_view_buckets WHERE article_id IN (?, ?)", [
      draft.id,
      future.id,
    ]);
    expect(Number(n)).toBe(0);
  });

  it("takes beacons as JSON and as text/plain (navigator.sendBeacon), and recordView from apps", async () => {
    const s = await section();
    const a = await gw.factory.article({ sectionId: s.id });
    const body = JSON.stringify({ articleId: gid("Article", a.id) });
    const json = await beacon(gw, body, { "user-agent": "browser-json" });
    expect(json.status).toBe(204);
    expect(await json.text()).toBe("");
    const text = await beacon(gw, body, { "content-type": "text/plain;charset=UTF-8", "user-agent": "browser-text" });
    expect(text.status).toBe(204);
    const app = await gw.gql(RECORD, { id: gid("Article", a.id) }, { "user-agent": "courant-ios" });
    expect(app.body).toMatchObject({ data: { recordView: true } });
    await flush(gw);
    expect((await trending(gw, { section: s.slug })).list.items[0]!.views).toBe(3);
  });

  it("answers malformed beacons with a JSON 400 (BAD_USER_INPUT)", async () => {
    const s = await section();
    const a = gid("Article", (await gw.factory.article({ sectionId: s.id })).id);
    const bad: Array<[string, Record<string, string>]> = [
      ["not json", { "content-type": "text/plain" }],
      ["{oops", {}],
      ["[]", {}],
      ["{}", {}],
      [JSON.stringify({ articleId: 42 }), {}],
      [JSON.stringify({ articleId: "nope" }), {}],
      [JSON.stringify({ articleId: gid("Section", s.id) }), {}],
      [JSON.stringify({ articleId: a, viewId: "x".repeat(65) }), {}],
      [JSON.stringify({ articleId: a, viewId: "has spaces" }), {}],
      ["", { "content-type": "application/octet-stream" }],
    ];
    for (const [body, headers] of bad) {
      const res = await beacon(gw, body, headers);
      expect([body, res.status]).toEqual([body, 400]);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
      const json = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
      expect([body, json.errors[0].extensions.code]).toEqual([body, "BAD_USER_INPUT"]);
    }
    expect(code(await gw.gql(RECORD, { id: "nope" }))).toBe("BAD_USER_INPUT");
  });

  it("counts retries of one viewId once, and one client's repeat views within 30 minutes once", async () => {
    const s = await section();
    const a = await gw.factory.article({ sectionId: s.id });
    const body = (viewId?: string) => JSON.stringify({ articleId: gid("Article", a.id), viewId });
    const dupes = await metric(gw, "courant_views_dropped_total", '{reason="duplicate_view_id"}');
    // The same page view retried (even from another connection or agent) counts once.
    await beacon(gw, body("7b1f6c1e-0d7e-4c43-9a55-2f3c0c7b9d10"), { "user-agent": "agent-a" });
    await beacon(gw, body("7b1f6c1e-0d7e-4c43-9a55-2f3c0c7b9d10"), { "user-agent": "agent-b" });
    expect(await metric(gw, "courant_views_dropped_total", '{reason="duplicate_view_id"}')).toBe(dupes + 1);
    // One client again within the window: once; another client: counts.
    await beacon(gw, body(), { "user-agent": "agent-c" });
    await beacon(gw, body(), { "user-agent": "agent-c" });
    const first = await gw.gql(RECORD, { id: gid("Article", a.id) }, { "user-agent": "agent-c" });
    expect(first.body.data.recordView).toBe(false);
    await beacon(gw, body(), { "user-agent": "agent-d" });
    gw.clock.now = at(29 * MINUTE);
    await beacon(gw, body(), { "user-agent": "agent-c" });
    gw.clock.now = at(31 * MINUTE);
    await beacon(gw, body(), { "user-agent": "agent-c" });
    await flush(gw);
    // agent-a, agent-c, agent-d, and agent-c again after 30 minutes.
    expect((await trending(gw, { section: s.slug })).list.items[0]!.views).toBe(4);
  });

  it("prunes buckets older than the retention time", async () => {
    const s = await section();
    const a = await gw.factory.article({ sectionId: s.id });
    await gw.courant.deps.services.trending.writeViews([
      { bucketStart: at(-9 * 24 * HOUR).getTime(), articleId: a.id, views: 5 },
      { bucketStart: at(-7 * 24 * HOUR - 5 * MINUTE).getTime(), articleId: a.id, views: 2 },
    ]);
    expect(await gw.courant.deps.services.trending.prune()).toBeGreaterThanOrEqual(1);
    const rows = await gw.ds.query("SELECT views FROM article_view_buckets WHERE article_id = ?", [a.id]);
    expect(rows.map((r: { views: unknown }) => Number(r.views))).toEqual([2]);
  });

  it("serves metrics in the Prometheus text format", async () => {
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    for (const name of [
      "courant_views_accepted_total",
      "courant_views_dropped_total",
      "courant_view_buffer_rows",
      "courant_view_buffer_lag_seconds",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(await metric(gw, "courant_views_accepted_total")).toBeGreaterThan(0);
  });
});

describe.each(DATABASES)("trending cache and rate limit on %s", (kind) => {
  let gw: TestGateway;

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { TRENDING_CACHE_SECONDS: "30", TRENDING_VIEW_RATE_PER_MINUTE: "3" } });
  });
  afterAll(() => gw?.close());

  it("drops views past a client's rate and counts them in /metrics", async () => {
    gw.clock.now = DEFAULT_NOW;
    const s = await gw.factory.section();
    const articles = [];
    for (let i = 0; i < 5; i++) articles.push(await gw.factory.article({ sectionId: s.id }));
    const before = await metric(gw, "courant_views_dropped_total", '{reason="rate_limited"}');
    const results = [];
    for (const a of articles) {
      results.push(
        (await gw.gql(RECORD, { id: gid("Article", a.id) }, { "user-agent": "greedy" })).body.data.recordView,
      );
    }
    expect(results).toEqual([true, true, true, false, false]);
    expect(await metric(gw, "courant_views_dropped_total", '{reason="rate_limited"}')).toBe(before + 2);
    // Another client is not affected; the greedy one gets its allowance back over time.
    expect(
      (await gw.gql(RECORD, { id: gid("Article", articles[4]!.id) }, { "user-agent": "calm" })).body.data.recordView,
    ).toBe(true);
    gw.clock.now = at(MINUTE);
    expect(
      (await gw.gql(RECORD, { id: gid("Article", articles[4]!.id) }, { "user-agent": "greedy" })).body.data.recordView,
    ).toBe(true);
  });

  it("serves a list from memory within the TTL (no ranking statement) and recomputes after it", async () => {
    gw.clock.now = at(HOUR);
    const s = await gw.factory.section();
    const a = await gw.factory.article({ sectionId: s.id, title: "Cached" });
    const b = await gw.factory.article({ sectionId: s.id, title: "Hidden later" });
    await record(gw, a.id, 1);
    await record(gw, b.id, 2);
    await flush(gw);
    const ranking = () => metric(gw, "courant_trending_ranking_statements_total");

    const r0 = await ranking();
    const first = await trending(gw, { section: s.slug });
    expect(await ranking()).toBeGreaterThan(r0);
    expect(first.list.items.map((i) => i.article.title)).toEqual(["Hidden later", "Cached"]);

    // More views, an unpublished article, another page size: within the TTL the ranking is reused,
    // but visibility is checked again when the list is presented.
    await record(gw, a.id, 5, "late");
    await flush(gw);
    await gw.ds.query("UPDATE articles SET status = 'draft' WHERE id = ?", [b.id]);
    gw.clock.now = at(HOUR + 29_000);
    const r1 = await ranking();
    const second = await trending(gw, { section: s.slug, first: 5 });
    expect(await ranking()).toBe(r1);
    expect(second.res.statements).toBeLessThan(first.res.statements);
    expect(second.list.generatedAt).toBe(first.list.generatedAt);
    expect(second.list.items.map((i) => [i.rank, i.article.title, i.views])).toEqual([[1, "Cached", 1]]);

    gw.clock.now = at(HOUR + 31_000);
    const third = await trending(gw, { section: s.slug });
    expect(await ranking()).toBeGreaterThan(r1);
    expect(third.list.generatedAt).toBe(at(HOUR + 31_000).toISOString());
    expect(third.list.items.map((i) => [i.rank, i.article.title, i.views])).toEqual([[1, "Cached", 6]]);
  });
});

describe.each(DATABASES)("trending across gateways on %s", (kind) => {
  it("writes buffered views on shutdown: a reopened gateway sees them", async () => {
    const db = await freshDatabase(kind);
    // No timed flush during the test: only the shutdown can have written the views.
    const env = { TRENDING_FLUSH_INTERVAL_MS: "60000" };
    const first = await startGateway(kind, { databaseUrl: db.url, env });
    const s = await first.factory.section();
    const a = await first.factory.article({ sectionId: s.id });
    for (const ua of ["one", "two", "three"]) {
      expect(
        (await beacon(first, JSON.stringify({ articleId: gid("Article", a.id) }), { "user-agent": ua })).status,
      ).toBe(204);
    }
    await first.close();
    const second = await startGateway(kind, { databaseUrl: db.url, env });
    try {
      expect((await trending(second, { section: s.slug })).list.items.map((i) => i.views)).toEqual([3]);
    } finally {
      await second.close();
      await db.drop();
    }
  });

  it("rebuilds the score keys when the half-lives change, and ranks with the new ones", async () => {
    const db = await freshDatabase(kind);
    const before = await startGateway(kind, { databaseUrl: db.url });
    const s = await before.factory.section();
    const older = await before.factory.article({ sectionId: s.id, title: "Older" });
    const fresh = await before.factory.article({ sectionId: s.id, title: "Fresh" });
    await before.courant.deps.services.trending.writeViews([
      { bucketStart: at(-5 * HOUR).getTime(), articleId: older.id, views: 10 },
      { bucketStart: DEFAULT_NOW.getTime(), articleId: fresh.id, views: 6 },
    ]);
    await before.close();
    // With a 24-hour half-life the older views weigh 10 × 2^(-5/24) ≈ 8.66 > 6.
    const after = await startGateway(kind, { databaseUrl: db.url, env: { TRENDING_HALF_LIFE_DAY_MINUTES: "1440" } });
    try {
      const { list } = await trending(after, { section: s.slug });
      expect(list.items.map((i) => i.article.title)).toEqual(["Older", "Fresh"]);
      expect(list.items[0]!.score).toBeCloseTo(10 * 2 ** (-5 / 24), 9);
      const [row] = await after.ds.query("SELECT day_key FROM trending_scores WHERE article_id = ?", [older.id]);
      expect(Number(row.day_key)).toBeCloseTo(Math.log2(10) + at(-5 * HOUR).getTime() / 1000 / 86_400, 6);
    } finally {
      await after.close();
      await db.drop();
    }
  });

  it("adds up the views of two gateways on one database", async () => {
    const db = await freshDatabase(kind);
    const env = { TRENDING_FLUSH_INTERVAL_MS: "60000", TRENDING_CACHE_SECONDS: "0" };
    const one = await startGateway(kind, { databaseUrl: db.url, env });
    const two = await startGateway(kind, { databaseUrl: db.url, env });
    try {
      const s = await one.factory.section();
      const a = await one.factory.article({ sectionId: s.id });
      const b = await one.factory.article({ sectionId: s.id });
      await record(one, a.id, 3, "one");
      await record(two, a.id, 4, "two");
      await record(two, b.id, 2, "two");
      // On MySQL the two write at once (same rows, row locks); SQLite has one writer at a time anyway.
      if (kind === "mysql") await Promise.all([flush(one), flush(two)]);
      else for (const gw of [one, two]) await flush(gw);
      for (const gw of [one, two]) {
        const { list } = await trending(gw, { section: s.slug });
        expect(list.items.map((i) => [i.article.id, i.views])).toEqual([
          [gid("Article", a.id), 7],
          [gid("Article", b.id), 2],
        ]);
      }
      const rows = await one.ds.query("SELECT views FROM article_view_buckets WHERE article_id = ?", [a.id]);
      expect(rows.map((r: { views: unknown }) => Number(r.views))).toEqual([7]);
    } finally {
      await one.close();
      await two.close();
      await db.drop();
    }
  });
});
