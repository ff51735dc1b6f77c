import { Db } from "../../src/db/sql";
import { SectionService } from "../../src/section/section.service";
import { DATABASES } from "../helpers/databases";
import { DEFAULT_NOW, gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";

const FEED = `
  query Feed($first: Int, $after: String, $last: Int, $before: String, $filter: ArticleFilter, $orderBy: ArticleOrder) {
    articles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      totalCount
      totalCountIsEstimate
      edges { cursor node { id title } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

function errorCode(res: GqlResponse): unknown {
  return res.body.errors?.[0]?.extensions?.code;
}

describe.each(DATABASES)("articles feed on %s", (kind) => {
  let gw: TestGateway;
  const ids: Record<string, number> = {};
  /** Public articles as [id, publishedAt ms, language, section, tags, authors]. */
  const visible: Array<{
    id: number;
    at: number;
    language: string;
    section: string;
    tags: string[];
    authors: string[];
  }> = [];
  const hiddenIds: number[] = [];

  beforeAll(async () => {
    gw = await startGateway(kind);
    const f = gw.factory;
    const parent = await f.section({ slug: "eu", name: "EU" });
    const child = await f.section({ slug: "eu-parliament", name: "Parliament", parentId: parent.id });
    const other = await f.section({ slug: "world", name: "World" });
    const sections = { eu: parent.id, "eu-parliament": child.id, world: other.id } as Record<string, number>;
    const alex = await f.author({
      slug: "alex-ivanov",
      name: "Alex Ivanov",
      role: "Moscow correspondent",
      email: "alex@example.com",
    });
    const maria = await f.author({ slug: "maria-jansen", name: "Maria Jansen", email: "maria@example.com" });
    const authors = { "alex-ivanov": alex.id, "maria-jansen": maria.id } as Record<string, number>;
    const russia = await f.tag({ slug: "russia", name: "Russia" });
    const climate = await f.tag({ slug: "climate", name: "Climate" });
    const tags = { russia: russia.id, climate: climate.id } as Record<string, number>;
    Object.assign(ids, {
      parent: parent.id,
      child: child.id,
      other: other.id,
      alex: alex.id,
      maria: maria.id,
      russia: russia.id,
    });

    const sectionCycle = ["eu", "eu-parliament", "world"];
    for (let i = 0; i < 30; i++) {
      // Groups of five share one publish moment, so pagination must break ties by id.
      const at = new Date(DEFAULT_NOW.getTime() - 3_600_000 * (1 + Math.floor(i / 5)));
      const language = i % 10 === 9 ? "nl" : "en";
      const section = sectionCycle[i % 3]!;
      const tagSlugs = i % 2 === 0 ? ["russia"] : i % 3 === 0 ? ["climate", "russia"] : [];
      const authorSlugs = i % 4 === 0 ? ["maria-jansen", "alex-ivanov"] : ["alex-ivanov"];
      const a = await f.article({
        title: `Story ${i}`,
        language,
        publishedAt: at,
        sectionId: sections[section]!,
        tagIds: tagSlugs.map((t) => tags[t]!),
        authorIds: authorSlugs.map((s) => authors[s]!),
      });
      visible.push({ id: a.id, at: at.getTime(), language, section, tags: tagSlugs, authors: authorSlugs });
    }
    // Everything below would match every filter above if it leaked.
    const hiddenCommon = { sectionId: child.id, tagIds: [russia.id], authorIds: [alex.id], language: "en" };
    const past = new Date(DEFAULT_NOW.getTime() - 60_000);
    const future = new Date(DEFAULT_NOW.getTime() + 86_400_000);
    for (const spec of [
      { title: "HIDDEN draft", status: "draft" as const, publishedAt: null },
      { title: "HIDDEN draft with date", status: "draft" as const, publishedAt: past },
      { title: "HIDDEN scheduled", status: "scheduled" as const, publishedAt: future, slug: "hidden-scheduled" },
      { title: "HIDDEN published in future", status: "published" as const, publishedAt: future },
      { title: "HIDDEN archived", status: "archived" as const, publishedAt: past },
      {
        title: "HIDDEN deleted",
        status: "published" as const,
        publishedAt: past,
        deletedAt: past,
        slug: "hidden-deleted",
      },
    ]) {
      hiddenIds.push((await f.article({ ...hiddenCommon, ...spec })).id);
    }
    ids.scheduled = hiddenIds[2]!;
  });

  afterAll(() => gw?.close());

  const newestFirst = () => [...visible].sort((a, b) => b.at - a.at || b.id - a.id).map((v) => v.id);
  const idsOf = (res: GqlResponse) =>
    (res.body.data.articles.edges as Array<{ node: { id: string } }>).map((e) =>
      Number(Buffer.from(e.node.id, "base64url").toString().split(":")[1]),
    );

  async function walk(variables: Record<string, unknown>, backwards = false): Promise<number[]> {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: GqlResponse = await gw.gql(FEED, {
        ...variables,
        ...(backwards ? { last: 4, before: cursor } : { first: 4, after: cursor }),
      });
      expect(res.body.errors).toBeUndefined();
      const page = idsOf(res);
      const info: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string } =
        res.body.data.articles.pageInfo;
      if (backwards) seen.unshift(...page);
      else seen.push(...page);
      const more = backwards ? info.hasPreviousPage : info.hasNextPage;
      if (!more) return seen;
      cursor = backwards ? info.startCursor : info.endCursor;
    }
    throw new Error("pagination did not end");
  }

  it("walks the whole feed forwards, newest first, each public article exactly once across ties", async () => {
    expect(await walk({})).toEqual(newestFirst());
  });

  it("walks the whole feed backwards with last/before to the same order", async () => {
    expect(await walk({}, true)).toEqual(newestFirst());
  });

  it("orders oldest first with PUBLISHED_AT_ASC, forwards and backwards", async () => {
    const oldest = [...newestFirst()].reverse();
    expect(await walk({ orderBy: "PUBLISHED_AT_ASC" })).toEqual(oldest);
    expect(await walk({ orderBy: "PUBLISHED_AT_ASC" }, true)).toEqual(oldest);
  });

  it("reports pageInfo and totalCount on a middle page", async () => {
    const first = await gw.gql(FEED, { first: 7 });
    const second = await gw.gql(FEED, { first: 7, after: first.body.data.articles.pageInfo.endCursor });
    const conn = second.body.data.articles;
    expect(conn.totalCount).toBe(visible.length);
    // Under ARTICLE_COUNT_EXACT_LIMIT (10,000): counted, not estimated.
    expect(conn.totalCountIsEstimate).toBe(false);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    expect(idsOf(second)).toEqual(newestFirst().slice(7, 14));
    expect(conn.pageInfo.startCursor).toBe(conn.edges[0].cursor);
    const lastPage = await gw.gql(FEED, { last: 3 });
    expect(idsOf(lastPage)).toEqual(newestFirst().slice(-3));
    expect(lastPage.body.data.articles.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it.each([
    [
      "section (with its child sections)",
      { section: "eu" },
      (v: (typeof visible)[0]) => v.section === "eu" || v.section === "eu-parliament",
    ],
    ["child section only", { section: "eu-parliament" }, (v: (typeof visible)[0]) => v.section === "eu-parliament"],
    ["author", { author: "maria-jansen" }, (v: (typeof visible)[0]) => v.authors.includes("maria-jansen")],
    ["tag", { tag: "climate" }, (v: (typeof visible)[0]) => v.tags.includes("climate")],
    ["language", { language: "nl" }, (v: (typeof visible)[0]) => v.language === "nl"],
    [
      "publish window",
      {
        publishedAfter: new Date(DEFAULT_NOW.getTime() - 3 * 3_600_000).toISOString(),
        publishedBefore: new Date(DEFAULT_NOW.getTime() - 3_600_000).toISOString(),
      },
      (v: (typeof visible)[0]) =>
        v.at >= DEFAULT_NOW.getTime() - 3 * 3_600_000 && v.at < DEFAULT_NOW.getTime() - 3_600_000,
    ],
    [
      "section and tag together",
      { section: "world", tag: "russia" },
      (v: (typeof visible)[0]) => v.section === "world" && v.tags.includes("russia"),
    ],
    ["unknown section", { section: "nowhere" }, () => false],
  ])("filters by %s, with a matching totalCount", async (_name, filter, match) => {
    const expected = newestFirst().filter((id) => match(visible.find((v) => v.id === id)!));
    expect(await walk({ filter })).toEqual(expected);
    const res = await gw.gql(FEED, { first: 1, filter });
    expect(res.body.data.articles.totalCount).toBe(expected.length);
  });

  it("never shows drafts, scheduled, archived or deleted articles on any list or lookup", async () => {
    const lists = await gw.gql(
      `query($s: ID!, $a: ID!, $t: String!) {
        articles(first: 100) { totalCount nodes { title } }
        section(id: $s) { articles(first: 100) { totalCount nodes { title } } }
        author(id: $a) { articles(first: 100) { totalCount nodes { title } } }
        tag(slug: $t) { articles(first: 100) { totalCount nodes { title } } }
        sections { articles(first: 100) { totalCount nodes { title } } }
      }`,
      { s: gid("Section", ids.child!), a: gid("Author", ids.alex!), t: "russia" },
    );
    expect(lists.body.errors).toBeUndefined();
    expect(JSON.stringify(lists.body.data)).not.toContain("HIDDEN");
    expect(lists.body.data.articles.totalCount).toBe(visible.length);
    expect(lists.body.data.author.articles.totalCount).toBe(
      visible.filter((v) => v.authors.includes("alex-ivanov")).length,
    );
    for (const id of hiddenIds) {
      const res = await gw.gql(
        `query($id: ID!) { article(id: $id) { title } node(id: $id) { id } nodes(ids: [$id]) { id } }`,
        { id: gid("Article", id) },
      );
      expect(res.body).toMatchObject({ data: { article: null, node: null, nodes: [null] } });
    }
    for (const slug of ["hidden-scheduled", "hidden-deleted"]) {
      const res = await gw.gql(`query($slug: String!) { article(slug: $slug, language: "en") { title } }`, { slug });
      expect(res.body).toMatchObject({ data: { article: null } });
    }
  });

  it("makes a scheduled article public at its moment, with no job running", async () => {
    const q = `query($id: ID!) { article(id: $id) { title status } }`;
    const before = await gw.gql(q, { id: gid("Article", ids.scheduled!) });
    expect(before.body.data.article).toBeNull();
    const saved = gw.clock.now;
    gw.clock.now = new Date(DEFAULT_NOW.getTime() + 86_400_000 + 1000);
    try {
      const after = await gw.gql(q, { id: gid("Article", ids.scheduled!) });
      expect(after.body.data.article).toEqual({ title: "HIDDEN scheduled", status: "PUBLISHED" });
      const feed = await gw.gql(FEED, { first: 2 });
      // Both future-dated articles reach their moment together; ties go to the higher id.
      expect(feed.body.data.articles.edges.map((e: { node: { title: string } }) => e.node.title)).toEqual([
        "HIDDEN published in future",
        "HIDDEN scheduled",
      ]);
      expect(feed.body.data.articles.totalCount).toBe(visible.length + 2);
    } finally {
      gw.clock.now = saved;
    }
  });

  it.each([
    ["first above 100", { first: 101 }, "first"],
    ["first of 0", { first: 0 }, "first"],
    ["negative last", { last: -1 }, "last"],
    ["first and last together", { first: 2, last: 2 }, "first"],
    ["a malformed cursor", { after: "not-a-cursor!" }, "after"],
    [
      "a cursor of another list",
      { after: Buffer.from(JSON.stringify(["author", "Alex", 1])).toString("base64url") },
      "after",
    ],
    ["a base64 cursor with garbage inside", { before: Buffer.from("{{{").toString("base64url") }, "before"],
    ["a language the site does not publish in", { filter: { language: "ja" } }, "filter.language"],
  ])("answers BAD_USER_INPUT for %s", async (_name, variables, field) => {
    const res = await gw.gql(FEED, variables);
    expect(errorCode(res)).toBe("BAD_USER_INPUT");
    expect(res.body.errors![0]!.message).toContain(field);
    expect(JSON.stringify(res.body)).not.toMatch(/SELECT|stack|at .*\.js/);
  });

  it("accepts the page size limits themselves", async () => {
    expect((await gw.gql(FEED, { first: 100 })).body.data.articles.edges).toHaveLength(visible.length);
    expect((await gw.gql(FEED, { last: 1 })).body.data.articles.edges).toHaveLength(1);
    expect((await gw.gql(FEED, {})).body.data.articles.edges).toHaveLength(20);
  });

  it("sends the same, small number of SQL statements for 5 and for 100 articles", async () => {
    const q = `query($n: Int) { articles(first: $n) { totalCount nodes { title section { name } authors { name } tags { name } byline } } }`;
    // The section tree is kept by the process (dropped on every section change): warm it for both.
    await gw.gql(q, { n: 1 });
    const five = await gw.gql(q, { n: 5 });
    const hundred = await gw.gql(q, { n: 100 });
    expect(five.body.data.articles.nodes).toHaveLength(5);
    expect(hundred.body.data.articles.nodes).toHaveLength(visible.length);
    expect(hundred.statements).toBe(five.statements);
    expect(five.statements).toBeGreaterThan(0);
    expect(five.statements).toBeLessThanOrEqual(5);
  });

  it("batches nested lists: one section costs what twenty do", async () => {
    const q = `{ sections { name articles(first: 5) { totalCount nodes { title authors { name } } } } }`;
    await gw.gql(`{ sections { name } }`);
    const before = await gw.gql(q);
    expect(before.body.data.sections).toHaveLength(3);
    for (let i = 0; i < 17; i++) {
      const s = await gw.factory.section({ slug: `extra-${i}` });
      await gw.factory.article({ sectionId: s.id, authorIds: [ids.maria!], title: `Extra ${i}` });
      await gw.factory.article({ sectionId: s.id, authorIds: [ids.alex!], title: `Extra ${i}b` });
    }
    await gw.gql(`{ sections { name } }`); // reads the changed section tree once more, as `before` did not
    const after = await gw.gql(q);
    expect(after.body.data.sections).toHaveLength(20);
    const extra = after.body.data.sections.find((s: { name: string }) => s.name.startsWith("Section"));
    expect(extra.articles.totalCount).toBe(2);
    expect(after.body.data.sections[0].articles.nodes).toHaveLength(5);
    expect(after.statements).toBe(before.statements);
    expect(after.statements).toBeLessThanOrEqual(5);
  });
});

describe.each(DATABASES)("sections made by another process, on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind);
  });
  afterAll(() => gw?.close());

  it("finds a section another process made a moment ago, before its event arrives (the kept tree is read again on a miss)", async () => {
    await gw.gql(`{ sections { id } }`); // the tree is now kept by the process
    // As an import in another process would: straight into the table, no event for this gateway yet.
    await gw.ds.query(
      "INSERT INTO sections (slug, name, description, parent_id, position) VALUES ('late-news', 'Late news', NULL, NULL, 99)",
    );
    const [{ id }] = await gw.ds.query("SELECT id FROM sections WHERE slug = 'late-news'");
    const article = await gw.factory.article({ sectionId: Number(id), title: "In a brand new section" });
    const res = await gw.gql(
      `query($id: ID!) { article(id: $id) { section { slug } } section(slug: "late-news") { name }
        articles(filter: { section: "late-news" }) { nodes { title } } }`,
      { id: gid("Article", article.id) },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      article: { section: { slug: "late-news" } },
      section: { name: "Late news" },
      articles: { nodes: [{ title: "In a brand new section" }] },
    });
  });

  it("reads the tree once for a burst of unknown slugs, not once each", async () => {
    // A real Db on the gateway's database, counting what it runs.
    let reads = 0;
    const db = new (class extends Db {
      override query<T>(...args: Parameters<Db["query"]>): Promise<T[]> {
        reads += 1;
        return super.query<T>(...args);
      }
    })(gw.ds);
    const sections = new SectionService(db);
    const trees = await Promise.all(
      Array.from({ length: 10 }, (_, i) => sections.having((t) => t.bySlug.has(`nowhere-${i}`))),
    );
    // The first read, then one read again for all ten misses.
    expect(reads).toBe(2);
    expect(new Set(trees).size).toBe(1);
    expect(trees[0]!.bySlug.has("late-news")).toBe(true);
  });
});
