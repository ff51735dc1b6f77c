import { ArticleEntity } from "../../src/article/article.entity";
import { PrivateSearchd } from "../../bench/searchd";
import { DATABASES, type DbKind } from "../helpers/databases";
import { DEFAULT_NOW, gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import { counterValue } from "../helpers/wait";

const SEARCH = `
  query Search($query: String!, $first: Int, $after: String, $filter: ArticleFilter) {
    search(query: $query, first: $first, after: $after, filter: $filter) {
      totalCount
      edges { cursor score highlight node { id title language publishedAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

interface Edge {
  cursor: string;
  score: number;
  highlight: string | null;
  node: { id: string; title: string; language: string; publishedAt: string };
}

const idOf = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString().split(":")[1]);
const codeOf = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(DEFAULT_NOW.getTime() - hoursAgo * HOUR);

/**
 * Every database, answering search itself and through the search engine (a private Sphinx searchd,
 * SEARCH_ENGINE_URL): one behaviour. In CI searchd is always there (.ci/run installs it), so a
 * missing install fails instead of leaving the engine untested.
 */
const ENGINE = PrivateSearchd.available() || process.env.CI;
if (!ENGINE)
  console.warn("search through the engine not tested here: searchd (Debian package sphinxsearch) is not installed");
const CASES: Array<[string, DbKind, boolean]> = DATABASES.flatMap((kind): Array<[string, DbKind, boolean]> => [
  [kind, kind, false],
  ...(ENGINE ? [[`${kind} through the search engine`, kind, true] as [string, DbKind, boolean]] : []),
]);

describe.each(CASES)("search on %s", (_name, kind, engine) => {
  let gw: TestGateway;
  let searchd: PrivateSearchd | undefined;
  /**
   * The factory writes rows straight to the database, past the content events that feed the
   * engine, as a bulk import would: the engine is then filled again, as an operator would after one.
   */
  const refresh = async () => {
    if (engine) await gw.courant.deps.searchEngine!.feeder.rebuild();
  };
  const ids: Record<string, number> = {};
  /** The "walrus" articles, for pagination. */
  const walrus: number[] = [];
  const hidden: number[] = [];

  async function search(query: string, variables: Record<string, unknown> = {}) {
    const res = await gw.gql(SEARCH, { query, ...variables });
    expect(res.body.errors).toBeUndefined();
    const s = res.body.data.search as {
      totalCount: number;
      edges: Edge[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    return { ...s, ids: s.edges.map((e) => idOf(e.node.id)), res };
  }

  beforeAll(async () => {
    if (engine) searchd = await PrivateSearchd.start();
    gw = await startGateway(kind, searchd ? { env: { SEARCH_ENGINE_URL: searchd.url } } : {});
    const f = gw.factory;
    const europe = await f.section({ slug: "europe", name: "Europe" });
    const east = await f.section({ slug: "europe-east", name: "Eastern Europe", parentId: europe.id });
    const world = await f.section({ slug: "world", name: "World" });
    const alex = await f.author({ slug: "alex-ivanov", name: "Alex Ivanov" });
    const maria = await f.author({ slug: "maria-jansen", name: "Maria Jansen" });
    const diplomacy = await f.tag({ slug: "diplomacy", name: "Diplomacy" });
    const energy = await f.tag({ slug: "energy", name: "Energy" });
    Object.assign(ids, { europe: europe.id, east: east.id, world: world.id });

    const corpus: Array<[string, Parameters<typeof f.article>[0]]> = [
      [
        "nl",
        {
          language: "nl",
          title: "Moskou roept Bakoe en Jerevan op om te onderhandelen",
          standfirst: "Rusland wil bemiddelen in het conflict.",
          body: "<p>Het conflict om Nagorno-Karabach duurt voort.</p><p>In Bakoe bleef het rustig.</p>",
          sectionId: east.id,
          authorIds: [alex.id],
          tagIds: [diplomacy.id],
          publishedAt: at(5),
        },
      ],
      [
        "en",
        {
          language: "en",
          title: "Baku and Yerevan agree to talks",
          standfirst: "Moscow offers to mediate.",
          body: "<p>The conflict over Nagorno-Karabakh goes on. Baku stayed calm.</p>",
          sectionId: east.id,
          authorIds: [maria.id],
          tagIds: [diplomacy.id],
          publishedAt: at(4),
        },
      ],
      [
        "de",
        {
          language: "de",
          title: "Waffenruhe in Bergkarabach gebrochen",
          standfirst: "Grüne Politiker in Zürich fordern Gespräche.",
          body: "<p>Der Konflikt um Nagorno-Karabach flammt wieder auf, melden Quellen in Baku.</p>",
          sectionId: world.id,
          authorIds: [alex.id],
          tagIds: [energy.id],
          publishedAt: at(3),
        },
      ],
      [
        "fr",
        {
          language: "fr",
          title: "Élections à Bakou : l'opposition dénonce des fraudes",
          standfirst: "Le président a réagi.",
          body: "<p>Les électeurs de Bakou ont voté dimanche.</p>",
          sectionId: world.id,
          authorIds: [maria.id],
          publishedAt: at(2),
        },
      ],
      [
        "exact",
        {
          language: "en",
          title: "Gas pipeline sanctions",
          standfirst: "Brussels decides.",
          body: "<p>Ministers met on Monday.</p>",
          sectionId: world.id,
          publishedAt: at(30),
        },
      ],
      [
        "bodyOnly1",
        {
          language: "en",
          title: "Ministers meet in Brussels",
          body: "<p>Gas pipeline sanctions again. Gas pipeline sanctions once more. The gas pipeline sanctions debate.</p>",
          sectionId: world.id,
          publishedAt: at(1),
        },
      ],
      [
        "bodyOnly2",
        {
          language: "en",
          title: "A long night of talks",
          body: "<p>Pipeline and gas: the sanctions package on gas pipeline imports, sanctions on gas.</p>",
          sectionId: world.id,
          publishedAt: at(1.5),
        },
      ],
      [
        "escape",
        {
          language: "en",
          title: "Tom & Jerry <b>zeppelin</b> show",
          standfirst: null,
          body:
            '<p>Tom &amp; Jerry wrote &lt;script&gt;alert("x")&lt;/script&gt; about the zeppelin &amp; more.</p>' +
            '<script>alert("real")</script>',
          sectionId: world.id,
          publishedAt: at(6),
        },
      ],
    ];
    for (const [name, spec] of corpus) ids[name] = (await f.article(spec)).id;

    // Everything here would be found by "Karabach" if visibility leaked.
    const hiddenCommon = { language: "nl", sectionId: east.id, body: "<p>Nagorno-Karabach Bakoe</p>" };
    for (const spec of [
      { title: "HIDDEN draft Karabach", status: "draft" as const, publishedAt: null },
      { title: "HIDDEN dated draft Karabach", status: "draft" as const, publishedAt: at(1) },
      { title: "HIDDEN scheduled Karabach", status: "scheduled" as const, publishedAt: at(-24) },
      { title: "HIDDEN future Karabach", status: "published" as const, publishedAt: at(-24) },
      { title: "HIDDEN archived Karabach", status: "archived" as const, publishedAt: at(1) },
      { title: "HIDDEN deleted Karabach", status: "published" as const, publishedAt: at(1), deletedAt: at(0.5) },
    ]) {
      hidden.push((await f.article({ ...hiddenCommon, ...spec })).id);
    }

    // 60 walrus articles: some share content (equal scores), groups share a publish moment.
    for (let i = 0; i < 60; i++) {
      const times = 1 + (i % 4);
      const a = await f.article({
        language: "en",
        title: i % 10 === 0 ? `Walrus report ${i}` : `Arctic report ${i}`,
        body: `<p>${"The walrus rests on the ice. ".repeat(times)}Filler text number ${i}.</p>`,
        sectionId: world.id,
        authorIds: [i % 2 ? alex.id : maria.id],
        publishedAt: at(100 + Math.floor(i / 3)),
      });
      walrus.push(a.id);
    }
    await refresh();
  });

  afterAll(async () => {
    await gw?.close();
    await searchd?.destroy();
  });

  if (engine) {
    // An engine failure falls back to the database with the same answers: none may pass unseen.
    const engineFailures = () => counterValue(gw.url, "courant_search_engine_failures_total");
    let failures = 0;
    beforeEach(async () => {
      failures = await engineFailures();
    });
    afterEach(async () => {
      expect(await engineFailures()).toBe(failures);
    });

    it("is answered by the engine", async () => {
      const answered = async () => ({
        engine: (await counterValue(gw.url, "courant_searches_total", 'by="engine"')) || 0,
        database: (await counterValue(gw.url, "courant_searches_total", 'by="database"')) || 0,
      });
      const before = await answered();
      expect((await search("walrus", { first: 3 })).ids).toHaveLength(3);
      const after = await answered();
      expect(after.engine).toBe(before.engine + 1);
      expect(after.database).toBe(before.database);
    });
  }

  it("ranks an exact title match above articles that only mention the words in their body", async () => {
    const r = await search("gas pipeline sanctions");
    expect(r.ids[0]).toBe(ids.exact);
    expect(new Set(r.ids)).toEqual(new Set([ids.exact, ids.bodyOnly1, ids.bodyOnly2]));
    expect(r.totalCount).toBe(3);
    const scores = r.edges.map((e) => e.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(scores[0]).toBeGreaterThan(scores[1]!);
  });

  it("needs every word, but not next to each other", async () => {
    expect((await search("Bakoe onderhandelen")).ids).toEqual([ids.nl]);
    expect((await search("Bakoe pipeline")).ids).toEqual([]);
  });

  it("matches quoted phrases as phrases, and hyphenated words as phrases", async () => {
    const phrase = await search('"Nagorno-Karabach"');
    expect(new Set(phrase.ids)).toEqual(new Set([ids.nl, ids.de]));
    expect(new Set((await search("Nagorno-Karabach")).ids)).toEqual(new Set([ids.nl, ids.de]));
    expect((await search('"roept Bakoe"')).ids).toEqual([ids.nl]);
    expect((await search('"Bakoe roept"')).ids).toEqual([]);
    expect((await search('"Baku and Yerevan"')).ids).toEqual([ids.en]);
  });

  it("ignores case and accents", async () => {
    expect((await search("BAKOE")).ids.sort()).toEqual([ids.nl]);
    expect(new Set((await search("baku")).ids)).toEqual(new Set([ids.en, ids.de]));
    expect((await search("elections bakou")).ids).toEqual([ids.fr]);
    expect((await search("ÉLECTIONS")).ids).toEqual([ids.fr]);
    expect((await search("zurich grune")).ids).toEqual([ids.de]);
    expect((await search("Zürich")).ids).toEqual([ids.de]);
  });

  it("narrows by language, section (with children), author, tag and publish window", async () => {
    const all = await search("Karabach");
    expect(new Set(all.ids)).toEqual(new Set([ids.nl, ids.de]));
    expect((await search("Karabach", { filter: { language: "nl" } })).ids).toEqual([ids.nl]);
    expect((await search("Karabach", { filter: { language: "de" } })).ids).toEqual([ids.de]);
    expect((await search("Karabach", { filter: { language: "en" } })).ids).toEqual([]);
    expect((await search("conflict", { filter: { section: "europe" } })).ids.sort()).toEqual([ids.nl, ids.en].sort());
    expect((await search("Karabach", { filter: { section: "world" } })).ids).toEqual([ids.de]);
    expect((await search("Karabach", { filter: { author: "alex-ivanov" } })).ids.sort()).toEqual(
      [ids.nl, ids.de].sort(),
    );
    expect((await search("conflict", { filter: { tag: "diplomacy" } })).ids.sort()).toEqual([ids.nl, ids.en].sort());
    const window = { publishedAfter: at(4.5).toISOString(), publishedBefore: at(2.5).toISOString() };
    expect((await search("Karabach", { filter: window })).ids).toEqual([ids.de]);
    const none = await search("Karabach", { filter: { section: "no-such-section" } });
    expect(none.ids).toEqual([]);
    expect(none.totalCount).toBe(0);
    const bad = await gw.gql(SEARCH, { query: "Karabach", filter: { language: "xx" } });
    expect(codeOf(bad)).toBe("BAD_USER_INPUT");
  });

  it("gives one version per story with fallback languages", async () => {
    const f = gw.factory;
    const storyKey = "quetzal-story";
    const en = await f.article({ storyKey, language: "en", title: "Quetzal spotted", sectionId: ids.world! });
    const nl = await f.article({ storyKey, language: "nl", title: "Quetzal gezien", sectionId: ids.world! });
    const de = await f.article({ language: "de", title: "Quetzal gesichtet", sectionId: ids.world! });
    await refresh();
    expect(new Set((await search("quetzal")).ids)).toEqual(new Set([en.id, nl.id, de.id]));
    const edition = await search("quetzal", { filter: { language: "nl", fallbackLanguages: ["en", "de"] } });
    expect(new Set(edition.ids)).toEqual(new Set([nl.id, de.id]));
    expect(edition.totalCount).toBe(2);
  });

  it("never finds drafts, scheduled, future, archived or deleted articles", async () => {
    const r = await search("Karabach", { first: 100 });
    expect(r.totalCount).toBe(2);
    for (const id of hidden) expect(r.ids).not.toContain(id);
    // The scheduled one becomes findable at its moment, without any job running.
    gw.clock.now = at(-48);
    try {
      const later = await search("Karabach", { first: 100 });
      expect(later.ids).toContain(hidden[2]);
      expect(later.ids).toContain(hidden[3]);
      expect(later.ids).not.toContain(hidden[0]);
      expect(later.ids).not.toContain(hidden[5]);
    } finally {
      gw.clock.now = DEFAULT_NOW;
    }
  });

  it("walks every page once, in relevance order, with the right totalCount", async () => {
    const whole = await search("walrus", { first: 100 });
    expect(whole.totalCount).toBe(60);
    expect(new Set(whole.ids)).toEqual(new Set(walrus));
    const key = (e: Edge) => [e.score, Date.parse(e.node.publishedAt), idOf(e.node.id)] as const;
    for (let i = 1; i < whole.edges.length; i++) {
      const [s0, p0, id0] = key(whole.edges[i - 1]!);
      const [s1, p1, id1] = key(whole.edges[i]!);
      expect(s0 > s1 || (s0 === s1 && (p0 > p1 || (p0 === p1 && id0 > id1)))).toBe(true);
    }
    // Titles weigh more: the "Walrus report" articles come first.
    expect(whole.edges.slice(0, 6).every((e) => e.node.title.startsWith("Walrus"))).toBe(true);
    expect(new Set(whole.edges.map((e) => e.score)).size).toBeLessThan(60);

    const walked: number[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 30; guard++) {
      const page = await search("walrus", { first: 7, after });
      expect(page.totalCount).toBe(60);
      walked.push(...page.ids);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(walked).toEqual(whole.ids);

    const defaults = await search("walrus");
    expect(defaults.edges).toHaveLength(20);
    for (const first of [0, 101])
      expect(codeOf(await gw.gql(SEARCH, { query: "walrus", first }))).toBe("BAD_USER_INPUT");
    const past = await search("walrus", { first: 100, after: whole.edges[59]!.cursor });
    expect(past.ids).toEqual([]);
    expect(past.totalCount).toBe(60);
  });

  it("refuses a cursor from another search or another list", async () => {
    const page = await search("walrus", { first: 2 });
    const other = await gw.gql(SEARCH, { query: "arctic", first: 2, after: page.pageInfo.endCursor });
    expect(codeOf(other)).toBe("BAD_USER_INPUT");
    const filtered = await gw.gql(SEARCH, {
      query: "walrus",
      first: 2,
      after: page.pageInfo.endCursor,
      filter: { language: "en" },
    });
    expect(codeOf(filtered)).toBe("BAD_USER_INPUT");
    const feed = await gw.gql(`{ articles(first: 1) { pageInfo { endCursor } } }`);
    const foreign = await gw.gql(SEARCH, { query: "walrus", after: feed.body.data.articles.pageInfo.endCursor });
    expect(codeOf(foreign)).toBe("BAD_USER_INPUT");
  });

  it("highlights the best passage with <mark> and escapes everything else", async () => {
    const r = await search("zeppelin");
    expect(r.ids).toEqual([ids.escape]);
    const h = r.edges[0]!.highlight!;
    expect(h).toContain("<mark>zeppelin</mark>");
    expect(h).toContain("&lt;script&gt;");
    expect(h).toContain("Tom &amp; Jerry");
    expect(h).not.toContain("real");
    const withoutMarks = h.replace(/<\/?mark>/g, "");
    expect(withoutMarks).not.toMatch(/[<>]/);
    expect(withoutMarks).not.toMatch(/&(?!amp;|lt;|gt;|quot;|#39;)/);

    const phrase = await search('"roept Bakoe"');
    expect(phrase.edges[0]!.highlight).toBe("Moskou <mark>roept Bakoe</mark> en Jerevan op om te onderhandelen");
    const hyphen = await search("Nagorno-Karabach", { filter: { language: "nl" } });
    expect(hyphen.edges[0]!.highlight).toContain("Het conflict om <mark>Nagorno-Karabach</mark> duurt voort.");
    const accent = await search("elections");
    expect(accent.edges[0]!.highlight).toContain("<mark>Élections</mark> à Bakou");
    const long = await search("walrus", { first: 1 });
    expect(long.edges[0]!.highlight).toMatch(/<mark>walrus<\/mark>/);
  });

  // Writes past the content events reach the engine only with a rebuild (search-engine.e2e.test.ts).
  if (!engine)
    it("finds an article updated through the repository by its new words, not its old ones", async () => {
      const repo = gw.ds.getRepository(ArticleEntity);
      const a = await gw.factory.article({ sectionId: ids.world!, body: "<p>The narwhal swims north.</p>" });
      expect((await search("narwhal")).ids).toEqual([a.id]);
      await repo.save({ ...a, body: "<p>The axolotl crawls south.</p>" });
      expect((await search("axolotl")).ids).toEqual([a.id]);
      expect((await search("narwhal")).ids).toEqual([]);
      // Partial updates, as the editorial API writes them, too.
      await repo.update({ id: a.id }, { body: "<p>The quokka smiles.</p>" });
      expect((await search("quokka")).ids).toEqual([a.id]);
      expect((await search("axolotl")).ids).toEqual([]);
      expect((await repo.findOneByOrFail({ id: a.id })).bodyText).toBe("The quokka smiles.");
    });

  if (!engine)
    it("keeps the index in step with raw SQL writes", async () => {
      const raw = async (text: string, params: unknown[]) => gw.ds.query(text, params);
      const when = "2026-05-01 10:00:00.000";
      await raw(
        "INSERT INTO articles (story_key, slug, language, title, standfirst, body, body_text, status, published_at," +
          " created_at, updated_at, section_id) VALUES (?, ?, 'en', ?, NULL, ?, ?, 'published', ?, ?, ?, ?)",
        ["raw-story", "raw-article", "Okapi sighting", "<p>Okapi.</p>", "Okapi.", when, when, when, ids.world],
      );
      const found = await search("okapi");
      expect(found.ids).toHaveLength(1);
      const id = found.ids[0]!;
      await raw("UPDATE articles SET title = ? WHERE id = ?", ["Tapir sighting", id]);
      expect((await search("tapir")).ids).toEqual([id]);
      expect((await search("sighting")).ids).toEqual([id]);
      await raw("UPDATE articles SET body_text = ?, title = ? WHERE id = ?", ["Gone.", "Gone", id]);
      expect((await search("okapi")).ids).toEqual([]);
      await raw("DELETE FROM articles WHERE id = ?", [id]);
      expect((await search("gone")).ids).toEqual([]);
    });

  it("answers every hostile input with results or BAD_USER_INPUT, never an internal error", async () => {
    const before = await gw.ds.query("SELECT COUNT(*) AS n FROM articles");
    const bad = ["", "   ", "\t\n", "w".repeat(201), "walrus ".repeat(40)];
    const findsWalrus = ["+walrus", "-walrus", "~walrus", "walrus*", '"walrus', 'walrus"', "walrus\u0000", "(walrus)"];
    const odd = [
      '"',
      '""',
      '"""',
      "'",
      "*",
      "-",
      "+",
      "~",
      "@",
      "@@",
      "^",
      "(",
      ")",
      "NEAR(",
      "NEAR(walrus arctic, 2)",
      "title:",
      "title:walrus",
      "{title body}: walrus",
      "walrus AND arctic OR NOT ice",
      "walrus @distance 3",
      "' OR 1=1 --",
      '"; DROP TABLE articles; --',
      "') UNION SELECT * FROM authors --",
      "%",
      "_",
      "\\",
      '\\"',
      "\u0000",
      "\u0001\u0002\u001f",
      "🦭",
      "\u{30000}\u{30001}\u{30002}",
      "🦭 walrus 🦭",
      "👩‍👩‍👧‍👦",
      "مرحبا بالعالم",
      "שלום עולם",
      "\u202Ewalrus",
      "<script>alert(1)</script>",
      "&amp;",
      "a",
      "ab",
      "a b c d e f",
      "x".repeat(150),
      "walrus ".repeat(28).trim(),
      "é",
      "e\u0301lections",
      "\uD800",
      "MATCH AGAINST",
      "ROUND(1)",
    ];
    for (const query of bad) {
      const res = await gw.gql(SEARCH, { query });
      expect({ query, code: codeOf(res) }).toEqual({ query, code: "BAD_USER_INPUT" });
    }
    for (const query of [...odd, ...findsWalrus]) {
      const res = await gw.gql(SEARCH, { query, first: 5 });
      expect({ query, errors: res.body.errors }).toEqual({ query, errors: undefined });
      expect(Array.isArray(res.body.data.search.edges)).toBe(true);
      if (findsWalrus.includes(query)) expect(res.body.data.search.totalCount).toBe(60);
    }
    expect(await gw.ds.query("SELECT COUNT(*) AS n FROM articles")).toEqual(before);
  });

  it("costs the same number of SQL statements for 5 and for 50 results", async () => {
    const q = `query($n: Int) { search(query: "walrus", first: $n) {
      totalCount edges { score highlight node { title section { name } authors { name } } } } }`;
    const five = await gw.gql(q, { n: 5 });
    const fifty = await gw.gql(q, { n: 50 });
    expect(five.body.data.search.edges).toHaveLength(5);
    expect(fifty.body.data.search.edges).toHaveLength(50);
    expect(fifty.statements).toBe(five.statements);
    expect(five.statements).toBeGreaterThan(0);
    expect(five.statements).toBeLessThanOrEqual(3);
  });

  if (kind === "sqlite") {
    it("has the triggers that keep the FTS5 table in step (a table rebuild would drop them)", async () => {
      const rows: Array<{ name: string }> = await gw.ds.query(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles' ORDER BY name",
      );
      expect(rows.map((r) => r.name)).toEqual(
        expect.arrayContaining(["trg_articles_fts_delete", "trg_articles_fts_insert", "trg_articles_fts_update"]),
      );
    });
  }

  it("returns nodes with the same global ids as the article lookups", async () => {
    const r = await search("Bakoe onderhandelen");
    expect(r.edges[0]!.node.id).toBe(gid("Article", ids.nl!));
  });
});
