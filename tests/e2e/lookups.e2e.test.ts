import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";

describe.each(DATABASES)("lookups, node, sections, authors, tags and site on %s", (kind) => {
  let gw: TestGateway;
  const id: Record<string, number> = {};

  beforeAll(async () => {
    gw = await startGateway(kind);
    const f = gw.factory;
    const eu = await f.section({ slug: "eu", name: "EU", description: "Union news", position: 1 });
    const parl = await f.section({ slug: "eu-parliament", name: "Parliament", parentId: eu.id, position: 2 });
    const world = await f.section({ slug: "world", name: "World", position: 3 });
    const alex = await f.author({
      slug: "alex-ivanov",
      name: "Alex Ivanov",
      role: "Moscow correspondent",
      bio: "Covers Russia.",
      email: "alex.secret@example.com",
      avatarUrl: "https://images.example.com/alex.jpg",
      avatarAlt: "Alex",
      avatarWidth: 200,
      avatarHeight: 200,
    });
    const maria = await f.author({ slug: "maria-jansen", name: "Maria Jansen", email: "maria.secret@example.com" });
    const zed = await f.author({ slug: "zed", name: "Zed Zimmer" });
    const russia = await f.tag({ slug: "russia", name: "Russia" });
    const story = "11111111-2222-3333-4444-555555555555";
    const en = await f.article({
      title: "Moscow urges Baku and Yerevan to talk",
      slug: "moscow-urges-talks",
      language: "en",
      storyKey: story,
      sectionId: eu.id,
      authorIds: [alex.id],
      tagIds: [russia.id],
      standfirst: null,
      body: "<p>The renewed outbreak of fighting between Azerbaijan and Armenia has alarmed the world.</p><script>alert(1)</script><p>Second paragraph.</p>",
    });
    const nl = await f.article({
      title: "Moskou roept Baku en Yerevan op om te onderhandelen",
      slug: "moscow-urges-talks",
      language: "nl",
      storyKey: story,
      sectionId: eu.id,
      authorIds: [alex.id, maria.id],
      disclaimer: "Eigen disclaimer.",
    });
    const hidden = await f.article({
      title: "HIDDEN",
      slug: "hidden",
      sectionId: parl.id,
      status: "draft",
      publishedAt: null,
    });
    await gw.ds.query(
      "UPDATE articles SET hero_image_url = ?, hero_image_alt = ?, hero_image_width = ?, source_name = ?, source_url = ? WHERE id = ?",
      ["https://images.example.com/hero.jpg", "Talks", 1200, "Reuters", "https://www.reuters.com/", en.id],
    );
    Object.assign(id, {
      eu: eu.id,
      parl: parl.id,
      world: world.id,
      alex: alex.id,
      maria: maria.id,
      zed: zed.id,
      russia: russia.id,
      en: en.id,
      nl: nl.id,
      hidden: hidden.id,
    });
  });

  afterAll(() => gw?.close());

  it("finds an article by id and by slug and language, with every foundation field", async () => {
    const fields = `id slug url title standfirst excerpt(maxLength: 40) language status publishedAt updatedAt
      section { slug } authors { slug name role } byline tags { slug } heroImage { url alt width height caption credit }
      disclaimer source { name url }`;
    const res = await gw.gql(
      `query($id: ID!) { byId: article(id: $id) { ${fields} } bySlug: article(slug: "moscow-urges-talks", language: "en") { id } }`,
      {
        id: gid("Article", id.en!),
      },
    );
    expect(res.body.errors).toBeUndefined();
    const a = res.body.data.byId;
    expect(res.body.data.bySlug.id).toBe(a.id);
    expect(a).toMatchObject({
      slug: "moscow-urges-talks",
      url: "http://localhost:3000/en/moscow-urges-talks",
      title: "Moscow urges Baku and Yerevan to talk",
      standfirst: null,
      language: "en",
      status: "PUBLISHED",
      section: { slug: "eu" },
      authors: [{ slug: "alex-ivanov", name: "Alex Ivanov", role: "Moscow correspondent" }],
      byline: "Alex Ivanov, Moscow correspondent",
      tags: [{ slug: "russia" }],
      heroImage: {
        url: "https://images.example.com/hero.jpg",
        alt: "Talks",
        width: 1200,
        height: null,
        caption: null,
        credit: null,
      },
      source: { name: "Reuters", url: "https://www.reuters.com/" },
    });
    // No standfirst: the excerpt is the body's opening, cut at a word boundary, script text dropped.
    expect(a.excerpt).toBe("The renewed outbreak of fighting…");
    expect(a.excerpt.length).toBeLessThanOrEqual(40);
    expect(a.disclaimer).toMatch(/^EU Reporter publishes articles/);
    expect(new Date(a.publishedAt).getTime()).toBeLessThan(Date.now() + 1);
  });

  it("joins two authors the way the article's language does, and keeps an article's own disclaimer", async () => {
    const res = await gw.gql(`{ article(slug: "moscow-urges-talks", language: "nl") { byline disclaimer language } }`);
    expect(res.body.data.article).toEqual({
      byline: "Alex Ivanov en Maria Jansen, Moscow correspondent",
      disclaimer: "Eigen disclaimer.",
      language: "nl",
    });
  });

  it("prefers the default language when a slug is looked up without one", async () => {
    const res = await gw.gql(`{ article(slug: "moscow-urges-talks") { language } }`);
    expect(res.body.data.article.language).toBe("en");
  });

  it("returns null for lookups that find nothing public", async () => {
    const res = await gw.gql(
      `query($a: ID!, $missing: ID!) {
        hidden: article(id: $a) { id } missing: article(id: $missing) { id } noSlug: article(slug: "nope", language: "en") { id }
        wrongLanguage: article(slug: "moscow-urges-talks", language: "de") { id }
        section(slug: "nope") { id } author(slug: "nope") { id } tag(slug: "nope") { id } node(id: $missing) { id }
      }`,
      { a: gid("Article", id.hidden!), missing: gid("Article", 999999) },
    );
    expect(res.body).toMatchObject({
      data: {
        hidden: null,
        missing: null,
        noSlug: null,
        wrongLanguage: null,
        section: null,
        author: null,
        tag: null,
        node: null,
      },
    });
  });

  it.each([
    ["no id and no slug", `{ article { id } }`, "id"],
    ["both id and slug", `{ article(id: "QXJ0aWNsZTox", slug: "x") { id } }`, "id"],
    ["a malformed id", `{ article(id: "%%%") { id } }`, "id"],
    ["an id of another type", `{ article(id: "${Buffer.from("Author:1").toString("base64url")}") { id } }`, "id"],
    ["a node id of an unknown type", `{ node(id: "${Buffer.from("Secret:1").toString("base64url")}") { id } }`, "id"],
    ["a language outside the site's", `{ article(slug: "x", language: "ja") { id } }`, "language"],
    [
      "an authors cursor from the articles list",
      `{ authors(after: "${Buffer.from(JSON.stringify(["article", "2020-01-01T00:00:00.000Z", 1])).toString("base64url")}") { totalCount } }`,
      "after",
    ],
    ["more than 100 authors", `{ authors(first: 101) { totalCount } }`, "first"],
    ["a section lookup with neither id nor slug", `{ section { id } }`, "id"],
    ["a consent text in an unknown language", `{ site { newsletterConsentText(language: "xx") } }`, "language"],
  ])("answers BAD_USER_INPUT for %s", async (_name, query, field) => {
    const res = await gw.gql(query);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.body.errors?.[0]?.message).toContain(field);
  });

  it("resolves every node type through node and nodes, in order, with null for what is not public", async () => {
    const ids = [
      gid("Article", id.en!),
      gid("Section", id.parl!),
      gid("Author", id.alex!),
      gid("Tag", id.russia!),
      gid("Article", id.hidden!),
    ];
    const res = await gw.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Article { title } ... on Section { name } ... on Author { name } ... on Tag { name } } }`,
      { ids },
    );
    expect(res.body.data.nodes).toEqual([
      { __typename: "Article", id: ids[0], title: "Moscow urges Baku and Yerevan to talk" },
      { __typename: "Section", id: ids[1], name: "Parliament" },
      { __typename: "Author", id: ids[2], name: "Alex Ivanov" },
      { __typename: "Tag", id: ids[3], name: "Russia" },
      null,
    ]);
  });

  it("lists sections as a tree with parents, children, urls and articles", async () => {
    const res = await gw.gql(
      `{ sections { slug name description url parent { slug } children { slug } articles(first: 5) { totalCount } } }`,
    );
    expect(res.body.data.sections).toEqual([
      {
        slug: "eu",
        name: "EU",
        description: "Union news",
        url: "http://localhost:3000/section/eu",
        parent: null,
        children: [{ slug: "eu-parliament" }],
        articles: { totalCount: 2 },
      },
      {
        slug: "eu-parliament",
        name: "Parliament",
        description: null,
        url: "http://localhost:3000/section/eu-parliament",
        parent: { slug: "eu" },
        children: [],
        articles: { totalCount: 0 },
      },
      {
        slug: "world",
        name: "World",
        description: null,
        url: "http://localhost:3000/section/world",
        parent: null,
        children: [],
        articles: { totalCount: 0 },
      },
    ]);
    const byId = await gw.gql(
      `query($id: ID!) { section(id: $id) { slug articles(first: 5, filter: { language: "nl" }) { nodes { language } } } }`,
      {
        id: gid("Section", id.eu!),
      },
    );
    expect(byId.body.data.section).toEqual({ slug: "eu", articles: { nodes: [{ language: "nl" }] } });
  });

  it("pages through authors in name order and never exposes an e-mail address", async () => {
    const first = await gw.gql(
      `{ authors(first: 2) { totalCount nodes { slug url avatar { url alt width height } } pageInfo { hasNextPage endCursor } } }`,
    );
    const conn = first.body.data.authors;
    expect(conn.totalCount).toBe(3);
    expect(conn.nodes.map((n: { slug: string }) => n.slug)).toEqual(["alex-ivanov", "maria-jansen"]);
    expect(conn.nodes[0]).toMatchObject({
      url: "http://localhost:3000/author/alex-ivanov",
      avatar: { url: "https://images.example.com/alex.jpg", alt: "Alex", width: 200, height: 200 },
    });
    const rest = await gw.gql(
      `query($after: String) { authors(first: 2, after: $after) { nodes { slug } pageInfo { hasNextPage hasPreviousPage } } }`,
      {
        after: conn.pageInfo.endCursor,
      },
    );
    expect(rest.body.data.authors).toEqual({
      nodes: [{ slug: "zed" }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
    const everything = await gw.gql(
      `{ authors(first: 100) { nodes { name role bio articles(first: 10) { totalCount nodes { title } } } } }`,
    );
    expect(JSON.stringify(everything.body)).not.toContain("secret@example.com");
    const schema = await gw.gql(
      `{ __type(name: "Author") { fields { name } } f: __type(name: "ArticleFilter") { inputFields { name } } }`,
    );
    expect(JSON.stringify(schema.body)).not.toMatch(/email/i);
  });

  it("lists a tag's and an author's articles", async () => {
    const res = await gw.gql(
      `{ tag(slug: "russia") { id slug name articles { totalCount nodes { slug language } } } author(slug: "maria-jansen") { articles { nodes { language } } } }`,
    );
    expect(res.body.data.tag).toMatchObject({
      slug: "russia",
      name: "Russia",
      articles: { totalCount: 1, nodes: [{ slug: "moscow-urges-talks", language: "en" }] },
    });
    expect(res.body.data.author.articles.nodes).toEqual([{ language: "nl" }]);
  });

  it("serves the site settings with the 24 EU languages and per-language consent texts", async () => {
    const res = await gw.gql(
      `{ site { name url defaultLanguage languages disclaimer nl: newsletterConsentText(language: "nl") en: newsletterConsentText socialLinks { network url } } }`,
    );
    const site = res.body.data.site;
    expect(site.languages).toHaveLength(24);
    expect(site.languages).toEqual(expect.arrayContaining(["nl", "en", "lt", "ga", "mt"]));
    expect(site.defaultLanguage).toBe("en");
    expect(site.nl).toBe(
      "We gebruiken uw aanmelding om inhoud aan te bieden op manieren waarmee u heeft ingestemd en om ons begrip van u te verbeteren. U kunt zich op elk moment afmelden.",
    );
    expect(site.en).toMatch(/^We use your sign-up/);
    expect(site.socialLinks.length).toBeGreaterThan(0);
    expect(site.name).toBe("EU Reporter");
  });
});

describe.each(DATABASES)("the authors list's SQL statements on %s", (kind) => {
  let gw: TestGateway;
  const AUTHORS = 22;
  // Zero-padded so name order is creation order.
  const name = (i: number) => `Writer ${String(i).padStart(2, "0")}`;
  /** Articles each author is credited on, by position in name order. */
  const credited: number[] = Array.from({ length: AUTHORS }, () => 0);

  beforeAll(async () => {
    gw = await startGateway(kind);
    const sections = [await gw.factory.section(), await gw.factory.section()];
    const ids: number[] = [];
    for (let i = 0; i < AUTHORS; i++) {
      ids.push((await gw.factory.author({ name: name(i) })).id);
      // 1 to 3 articles each, in either section; a second one is co-written with the previous author.
      for (let k = 0; k <= i % 3; k++) {
        const authors = k === 1 && i > 0 ? [i, i - 1] : [i];
        await gw.factory.article({
          sectionId: sections[(i + k) % 2]!.id,
          title: `By ${name(i)}, no. ${k}`,
          authorIds: authors.map((a) => ids[a]!),
        });
        for (const a of authors) credited[a]! += 1;
      }
    }
  });
  afterAll(() => gw?.close());

  const LIST = `query($n: Int) {
    authors(first: $n) {
      totalCount
      nodes { name slug url role avatar { url } articles(first: 5) { totalCount nodes { title section { name } authors { name } } } }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  it("sends the same, small number of SQL statements for 2 and for 20 authors with their articles", async () => {
    const counts: number[] = [];
    await gw.gql(`{ sections { id } }`); // the process keeps the section tree: read it before both
    for (const n of [2, 20]) {
      const res = await gw.gql(LIST, { n });
      expect(res.body.errors).toBeUndefined();
      const authors = res.body.data.authors;
      expect(authors.totalCount).toBe(AUTHORS);
      expect(authors.pageInfo.hasNextPage).toBe(true);
      expect(authors.nodes.map((a: { name: string }) => a.name)).toEqual(Array.from({ length: n }, (_, i) => name(i)));
      // The nested lists are really loaded: every author's own articles, and the co-written ones.
      authors.nodes.forEach((a: { articles: { totalCount: number; nodes: Array<{ title: string }> } }, i: number) => {
        expect([i, a.articles.totalCount, a.articles.nodes.length]).toEqual([i, credited[i], credited[i]]);
        expect(a.articles.nodes.map((x) => x.title)).toContain(`By ${name(i)}, no. 0`);
      });
      counts.push(res.statements);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeGreaterThan(0);
    // One batch per kind of row (authors, their count, articles, article counts, sections, co-authors), none per author.
    expect(counts[0]).toBeLessThanOrEqual(6);
  });
});
