import { encodeCursor } from "../../src/graphql/cursor";
import { parseSearchQuery } from "../../src/search/search.query";
import { searchFingerprint } from "../../src/search/search.service";
import { DATABASES } from "../helpers/databases";
import { DEFAULT_NOW, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";

/**
 * Words found in most articles: on MySQL they are checked on the rows the rare words lead to
 * instead of through the FULLTEXT index (SearchService.plan). Whatever the plan, a search must
 * find exactly the articles holding every word as a whole word, in any case and with any
 * accents, and never a draft or a deleted article.
 */
const SEARCH = `
  query Search($query: String!, $first: Int, $after: String) {
    search(query: $query, first: $first, after: $after) {
      totalCount
      edges { cursor score node { id } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

const idOf = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString().split(":")[1]);
const codeOf = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;
const HOUR = 3_600_000;
const FILLER = 200;

/** How the rare name's articles spell (or only seem to spell) the common words. */
const RARE: Array<{ text: string; harbour: boolean; economie: boolean; status?: "draft"; deleted?: boolean }> = [
  { text: "The harbour of Zyxlandia reopened.", harbour: true, economie: false },
  { text: "HARBOUR-master of ZYXLANDIA speaks on l'économie.", harbour: true, economie: true },
  { text: "Zyxlandia builds new harbours and a seaharbour.", harbour: false, economie: false },
  { text: "Zyxlandia: the harbour_master resigned; Economie grew.", harbour: false, economie: true },
  { text: "In Zyxlandia the Hárbour is quiet, the ÉCONOMIE is not.", harbour: true, economie: true },
  { text: "Zyxlandia economies and the harbourside.", harbour: false, economie: false },
  { text: "Zyxlandia harbour (a draft).", harbour: true, economie: false, status: "draft" },
  { text: "Zyxlandia harbour (deleted).", harbour: true, economie: false, deleted: true },
];

describe.each(DATABASES)("search with very common words on %s", (kind) => {
  let gw: TestGateway;
  /** A second gateway on the same database with the word sample off: every unit through the index. */
  let indexOnly: TestGateway;
  const rareIds: number[] = [];

  async function search(on: TestGateway, query: string, variables: Record<string, unknown> = {}) {
    const res = await on.gql(SEARCH, { query, ...variables });
    expect(res.body.errors).toBeUndefined();
    const s = res.body.data.search as {
      totalCount: number;
      edges: Array<{ cursor: string; score: number; node: { id: string } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
    return { ...s, ids: s.edges.map((e) => idOf(e.node.id)) };
  }

  /** Every page of `first`, checking each page's order; the ids in order and the totals seen. */
  async function walk(on: TestGateway, query: string, first: number, after?: string) {
    const ids: number[] = [];
    const totals = new Set<number>();
    let cursor = after;
    for (let pages = 0; pages < 100; pages++) {
      const page = await search(on, query, { first, after: cursor });
      totals.add(page.totalCount);
      ids.push(...page.ids);
      if (!page.pageInfo.hasNextPage) return { ids, totals };
      cursor = page.pageInfo.endCursor!;
    }
    throw new Error("more than 100 pages");
  }

  const plan = (on: TestGateway, query: string) => on.courant.deps.services.search.plan(parseSearchQuery(query));

  beforeAll(async () => {
    gw = await startGateway(kind);
    const f = gw.factory;
    const section = await f.section({ slug: "ports", name: "Ports" });
    // Nearly every article mentions the harbour and the economy; no other article the name.
    for (let i = 0; i < FILLER; i++) {
      await f.article({
        sectionId: section.id,
        title: `Port report ${i}`,
        body: `<p>The harbour ${i % 10 === 0 ? "stayed shut" : "handled cargo"} and l'économie ${i % 3 === 0 ? "slowed" : "grew"}.</p>`,
        publishedAt: new Date(DEFAULT_NOW.getTime() - (i + 10) * HOUR),
      });
    }
    for (const [i, spec] of RARE.entries()) {
      const a = await f.article({
        sectionId: section.id,
        title: `Zyxlandia dispatch ${i}`,
        body: `<p>${spec.text}</p>`,
        status: spec.status ?? "published",
        publishedAt: spec.status === "draft" ? null : new Date(DEFAULT_NOW.getTime() - (i + 1) * HOUR),
        deletedAt: spec.deleted ? new Date(DEFAULT_NOW.getTime() - HOUR) : null,
      });
      rareIds.push(a.id);
    }
    indexOnly = await startGateway(kind, {
      databaseUrl: gw.courant.deps.config.databaseUrl,
      env: { SEARCH_WORD_SAMPLE_SIZE: "0" },
    });
    await gw.courant.deps.services.search.words?.refresh();
  });

  afterAll(async () => {
    await indexOnly?.close();
    await gw?.close();
  });

  const expected = (pick: (spec: (typeof RARE)[number]) => boolean) =>
    RARE.flatMap((spec, i) => (pick(spec) && !spec.status && !spec.deleted ? [rareIds[i]!] : []));

  it("checks a very common word on the rare word's rows on MySQL, and leaves FTS5 to its index", () => {
    // The name is in 8 of 208 articles (4%), the harbour in most; the threshold is 20%, the row check 30 postings.
    expect(plan(gw, "Zyxlandia harbour")).toEqual(kind === "mysql" ? [1] : []);
    expect(plan(gw, "harbour Zyxlandia économie").sort()).toEqual(kind === "mysql" ? [0, 2] : []);
    // Nothing rare to start from, or a phrase: through the index.
    expect(plan(gw, "harbour économie")).toEqual([]);
    expect(plan(gw, '"Zyxlandia harbour"')).toEqual([]);
    // With the sample off, never.
    expect(plan(indexOnly, "Zyxlandia harbour")).toEqual([]);
  });

  it.each([
    ["Zyxlandia harbour", (s: (typeof RARE)[number]) => s.harbour],
    ["zyxlandia ECONOMIE", (s: (typeof RARE)[number]) => s.economie],
    ["Zyxlandia économie harbour", (s: (typeof RARE)[number]) => s.economie && s.harbour],
  ])("%s finds exactly the public articles holding every word, with either plan", async (query, pick) => {
    const want = expected(pick).sort((a, b) => a - b);
    expect(want.length).toBeGreaterThan(0);
    for (const on of [gw, indexOnly]) {
      const { ids, totals } = await walk(on, query, 2);
      expect([...ids].sort((a, b) => a - b)).toEqual(want);
      expect([...totals]).toEqual([want.length]);
    }
  });

  it("counts an underscore as part of a word on both databases, as MySQL's parser does", async () => {
    for (const on of [gw, indexOnly]) {
      expect((await search(on, "harbour_master")).ids).toEqual([rareIds[3]]);
      expect((await search(on, "Zyxlandia HARBOUR_MASTER")).ids).toEqual([rareIds[3]]);
    }
  });

  it("walks pages in score order, and a cursor carries its plan to whichever instance gets the next page", async () => {
    const query = "Zyxlandia harbour";
    const first = await search(gw, query, { first: 1 });
    const scores: number[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await search(gw, query, { first: 1, after: cursor });
      scores.push(...page.edges.map((e) => e.score));
      if (!page.pageInfo.hasNextPage) break;
      cursor = page.pageInfo.endCursor!;
    }
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    // The instance without a sample goes on with the plan the first page ran with.
    const rest = await walk(indexOnly, query, 1, first.pageInfo.endCursor!);
    const same = await walk(gw, query, 1, first.pageInfo.endCursor!);
    expect(rest.ids).toEqual(same.ids);
    expect(new Set([first.ids[0], ...rest.ids]).size).toBe(expected((s) => s.harbour).length);
  });

  it("refuses a cursor whose plan would leave nothing to the index or check a phrase", async () => {
    const forged = (text: string, plan: string) =>
      encodeCursor("search", [
        searchFingerprint(parseSearchQuery(text), {}),
        Number.MAX_SAFE_INTEGER,
        DEFAULT_NOW.toISOString(),
        1,
        plan,
      ]);
    const two = "Zyxlandia harbour";
    const three = 'Zyxlandia harbour "l\'économie grew"';
    // Well-formed ones are accepted (the fingerprint is the one the API makes for no filter).
    for (const [text, plan] of [
      [two, "1"],
      [three, "0.1"],
    ]) {
      const ok = await gw.gql(SEARCH, { query: text, first: 20, after: forged(text!, plan!) });
      expect({ plan, errors: ok.body.errors }).toEqual({ plan, errors: undefined });
      // Whatever the plan, exactly the articles holding every unit come back (the cursor's key
      // is above any score, so this is the first page).
      const got = (ok.body.data.search as { edges: Array<{ node: { id: string } }> }).edges.map((e) => idOf(e.node.id));
      const want = text === two ? expected((s) => s.harbour) : expected(() => false);
      expect(got.sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
    }
    for (const [text, plan] of [
      [two, "0.1"],
      [three, "2"],
      [two, "1.1"],
      [two, "7"],
      [two, "x"],
      [two, ""],
      [two, "1."],
    ]) {
      const res = await gw.gql(SEARCH, { query: text, first: 1, after: forged(text!, plan!) });
      expect({ plan, code: codeOf(res) }).toEqual({ plan, code: "BAD_USER_INPUT" });
    }
  });
});
