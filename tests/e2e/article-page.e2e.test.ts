import { RELATED_PER_TAG } from "../../src/article/article.service";
import { DATABASES } from "../helpers/databases";
import { DEFAULT_NOW, gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";

const DEMO_NL = "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen";
const BLOCKS = `__typename
  ... on ParagraphBlock { html text }
  ... on HeadingBlock { level text }
  ... on QuoteBlock { text attribution }
  ... on ListBlock { ordered items }
  ... on ImageBlock { image { url alt caption width height } }
  ... on EmbedBlock { provider url }
  ... on AdSlotBlock { slotId position label }`;

const paragraphs = (n: number, prefix = "Paragraph") =>
  Array.from({ length: n }, (_, i) => `<p>${prefix} ${i + 1} has some words.</p>`).join("");
const code = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;

describe.each(DATABASES)("article page on %s", (kind) => {
  let gw: TestGateway;
  let section: number;
  let other: number;

  beforeAll(async () => {
    gw = await startGateway(kind, { seedDemo: true });
    section = (await gw.factory.section({ slug: "page-tests" })).id;
    other = (await gw.factory.section({ slug: "page-tests-other" })).id;
  });
  afterAll(() => gw?.close());

  const body = async (id: number, withAds = true) => {
    const res = await gw.gql(
      `query($id: ID!, $ads: Boolean) { article(id: $id) { wordCount readingTimeMinutes body { html text blocks(withAds: $ads) { ${BLOCKS} } } } }`,
      {
        id: gid("Article", id),
        ads: withAds,
      },
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data.article;
  };

  it("renders the demo article as blocks with its ad slot labelled 'advertentie' where the page has it", async () => {
    const q = `{ article(slug: "${DEMO_NL}", language: "nl") { id body { text blocks { ${BLOCKS} } } noAds: body { blocks(withAds: false) { __typename } } wordCount readingTimeMinutes } }`;
    const res = await gw.gql(q);
    const a = res.body.data.article;
    const blocks = a.body.blocks as Array<Record<string, any>>;
    const ads = blocks.filter((b) => b.__typename === "AdSlotBlock");
    expect(ads).toEqual([{ __typename: "AdSlotBlock", slotId: `${a.id}-ad-1`, position: 7, label: "advertentie" }]);
    expect(blocks[6]!.text).toMatch(/^Ook wordt verwacht dat president Poetin/);
    expect(blocks[8]!.text).toMatch(/^Veel analisten in Rusland en Europa/);
    expect(a.noAds.blocks).toHaveLength(blocks.length - 1);
    expect(a.noAds.blocks.every((b: { __typename: string }) => b.__typename === "ParagraphBlock")).toBe(true);
    expect(a.body.text.split("\n\n")).toHaveLength(9);
    expect(a.body.text).not.toContain("advertentie");
    expect(a.wordCount).toBeGreaterThan(500);
    expect(a.readingTimeMinutes).toBe(Math.ceil(a.wordCount / 230));
    // Stable: the same ids on the next request.
    expect((await gw.gql(q)).body.data.article.body.blocks).toEqual(blocks);
  });

  it("never lets hostile HTML already in the database reach html, text or blocks", async () => {
    const a = await gw.factory.article({ sectionId: section, title: "Hostile" });
    const hostile = [
      `<p onclick="steal()">Hello <a href="javascript:alert(1)">click</a> <a href="https://ok.example/">fine</a> <a href="mailto:desk@example.com">mail</a></p>`,
      `<script>alert("x")</script><style>p{color:red}</style>`,
      `<p style="position:fixed">Styled <img src="x" onerror="alert(2)"></p>`,
      `<iframe src="https://evil.example/frame"></iframe>`,
      `<iframe src="https://www.youtube.com/embed/abc123"></iframe>`,
      `<figure><img src="javascript:alert(3)" alt="bad"><figcaption>Bad image</figcaption></figure>`,
      `<p>Last <b>bold</b> <i>italic</i></p>`,
    ].join("");
    await gw.ds.query("UPDATE articles SET body = ? WHERE id = ?", [hostile, a.id]);
    const got = await body(a.id);
    const all = JSON.stringify(got);
    for (const bad of ["script", "onclick", "onerror", "javascript:", "style", "evil.example", "alert", "steal"]) {
      expect(all).not.toContain(bad);
    }
    expect(got.body.html).toContain('<a href="https://ok.example/">fine</a>');
    expect(got.body.html).toContain('<a href="mailto:desk@example.com">mail</a>');
    expect(got.body.html).toContain("<strong>bold</strong> <em>italic</em>");
    expect(got.body.blocks).toContainEqual({
      __typename: "EmbedBlock",
      provider: "youtube",
      url: "https://www.youtube.com/embed/abc123",
    });
    expect(got.body.text).toContain("Hello click fine mail");
  });

  it("parses headings, quotes, lists, figures and embeds into their blocks", async () => {
    const html = [
      `<h2>Background</h2>`,
      `<blockquote><p>We call on all sides to stop.</p><cite>Dmitry Peskov</cite></blockquote>`,
      `<ul><li>One</li><li>Two</li></ul><ol><li>First</li></ol>`,
      `<figure><img src="https://images.example.com/a.jpg" alt="Talks" width="800" height="600"><figcaption>The talks</figcaption></figure>`,
      `<figure><iframe src="https://player.vimeo.com/video/1"></iframe></figure>`,
    ].join("");
    const a = await gw.factory.article({ sectionId: section, body: html });
    const got = await body(a.id);
    expect(got.body.blocks).toEqual([
      { __typename: "HeadingBlock", level: 2, text: "Background" },
      { __typename: "QuoteBlock", text: "We call on all sides to stop.", attribution: "Dmitry Peskov" },
      { __typename: "ListBlock", ordered: false, items: ["One", "Two"] },
      { __typename: "ListBlock", ordered: true, items: ["First"] },
      {
        __typename: "ImageBlock",
        image: { url: "https://images.example.com/a.jpg", alt: "Talks", caption: "The talks", width: 800, height: 600 },
      },
      { __typename: "EmbedBlock", provider: "vimeo", url: "https://player.vimeo.com/video/1" },
    ]);
  });

  it.each([
    [3, []],
    [4, [3]],
    [9, [3]],
    [10, [3, 10]],
    [16, [3, 10, 17]],
  ])(
    "places ad slots in a %i-paragraph body without markers after the 3rd and every 6th paragraph, never last",
    async (n, positions) => {
      const a = await gw.factory.article({ sectionId: section, body: paragraphs(n) });
      const blocks = (await body(a.id)).body.blocks as Array<{ __typename: string; position?: number; label?: string }>;
      const ads = blocks.map((b, i) => [b, i] as const).filter(([b]) => b.__typename === "AdSlotBlock");
      expect(ads.map(([b]) => b.position)).toEqual(positions);
      expect(ads.map(([, i]) => i)).toEqual(positions);
      for (const [b] of ads) expect(b.label).toBe("Advertisement");
      expect(blocks[0]!.__typename).not.toBe("AdSlotBlock");
      expect(blocks[blocks.length - 1]!.__typename).not.toBe("AdSlotBlock");
    },
  );

  it("labels ad slots in the article's language, English where no word is known", async () => {
    for (const [language, label] of [
      ["de", "Anzeige"],
      ["fr", "Publicité"],
      ["lt", "Reklama"],
    ] as const) {
      const a = await gw.factory.article({ sectionId: section, language, body: paragraphs(5) });
      const ads = (await body(a.id)).body.blocks.filter((b: { __typename: string }) => b.__typename === "AdSlotBlock");
      expect(ads.map((b: { label: string }) => b.label)).toEqual([label]);
    }
    const gw2 = await startGateway(kind, { env: { SITE_LANGUAGES: "en,ja", SITE_DEFAULT_LANGUAGE: "en" } });
    try {
      const s = await gw2.factory.section();
      const a = await gw2.factory.article({ sectionId: s.id, language: "ja", body: paragraphs(5) });
      const res = await gw2.gql(
        `query($id: ID!) { article(id: $id) { body { blocks { ... on AdSlotBlock { label } } } } }`,
        { id: gid("Article", a.id) },
      );
      expect(res.body.data.article.body.blocks.filter((b: { label?: string }) => b.label)).toEqual([
        { label: "Advertisement" },
      ]);
    } finally {
      await gw2.close();
    }
  });

  it("lists public translations, and picks a translation by language with fallbacks", async () => {
    const q = `{ article(slug: "${DEMO_NL}", language: "nl") {
      translations { language }
      en: translation(language: "en") { language }
      nl: translation(language: "nl") { language }
      ltOrDe: translation(language: "lt", fallback: ["fr", "de", "en"]) { language }
      none: translation(language: "lt", fallback: ["fr"]) { language }
    } }`;
    const res = await gw.gql(q);
    expect(res.body.data.article).toEqual({
      translations: [{ language: "de" }, { language: "en" }],
      en: { language: "en" },
      nl: { language: "nl" },
      ltOrDe: { language: "de" },
      none: null,
    });
    // A draft translation is not a translation the public can see.
    const story = (await gw.ds.query("SELECT story_key FROM articles WHERE slug = ?", [DEMO_NL]))[0]
      .story_key as string;
    await gw.factory.article({
      sectionId: section,
      language: "lt",
      storyKey: story,
      status: "draft",
      publishedAt: null,
      title: "HIDDEN lt",
    });
    const again = await gw.gql(q);
    expect(again.body.data.article.translations).toEqual([{ language: "de" }, { language: "en" }]);
    expect(again.body.data.article.none).toBeNull();
  });

  it.each([
    ["a language outside the site's", `translation(language: "ja") { id }`, "language"],
    [
      "more than 10 fallbacks",
      `translation(language: "lt", fallback: ["de","fr","en","nl","pl","pt","ro","sk","sl","sv","fi"]) { id }`,
      "fallback",
    ],
    ["a fallback outside the site's", `translation(language: "lt", fallback: ["xx"]) { id }`, "fallback[0]"],
    ["a rendition wider than 4096", `heroImage { rendition(width: 5000) }`, "width"],
    ["a rendition narrower than 1", `heroImage { rendition(width: 0) }`, "width"],
    ["more than 20 related", `related(first: 21) { id }`, "first"],
  ])("answers BAD_USER_INPUT for %s", async (_name, field, name) => {
    const res = await gw.gql(
      `{ article(slug: "moscow-urges-baku-and-yerevan-to-negotiate", language: "en") { ${field} } }`,
    );
    expect(code(res)).toBe("BAD_USER_INPUT");
    expect(res.body.errors![0]!.message).toContain(name);
  });

  it("builds renditions from the template at the nearest allowed width", async () => {
    const res = await gw.gql(
      `{ article(slug: "moscow-urges-baku-and-yerevan-to-negotiate", language: "en") { heroImage { url a: rendition(width: 700) b: rendition(width: 4096) c: rendition(width: 1) } } }`,
    );
    const img = res.body.data.article.heroImage;
    expect(img.a).toBe(`${img.url}?w=640`);
    expect(img.b).toBe(`${img.url}?w=2048`);
    expect(img.c).toBe(`${img.url}?w=320`);
  });

  it("encodes share links and SEO fields from PUBLIC_SITE_URL", async () => {
    const a = await gw.factory.article({
      sectionId: section,
      title: "Q&A: what now? Ærø & 50% “quotes”",
      slug: "q-and-a",
      standfirst: "x ".repeat(200),
    });
    const res = await gw.gql(
      `query($id: ID!) { article(id: $id) { url shareLinks { facebook x linkedin whatsapp telegram reddit email } seo { title description canonicalUrl imageUrl } } }`,
      {
        id: gid("Article", a.id),
      },
    );
    const { url, shareLinks, seo } = res.body.data.article;
    expect(url).toBe("http://localhost:3000/en/q-and-a");
    const param = (link: string, name: string) => new URL(link).searchParams.get(name);
    expect(param(shareLinks.facebook, "u")).toBe(url);
    expect(param(shareLinks.x, "url")).toBe(url);
    expect(param(shareLinks.x, "text")).toBe("Q&A: what now? Ærø & 50% “quotes”");
    expect(param(shareLinks.linkedin, "url")).toBe(url);
    expect(param(shareLinks.whatsapp, "text")).toBe(`Q&A: what now? Ærø & 50% “quotes” ${url}`);
    expect(param(shareLinks.telegram, "url")).toBe(url);
    expect(param(shareLinks.reddit, "title")).toBe("Q&A: what now? Ærø & 50% “quotes”");
    expect(shareLinks.email).toBe(
      `mailto:?subject=${encodeURIComponent("Q&A: what now? Ærø & 50% “quotes”")}&body=${encodeURIComponent(url)}`,
    );
    expect(seo.title).toBe("Q&A: what now? Ærø & 50% “quotes”");
    expect(seo.canonicalUrl).toBe(url);
    expect(seo.description.length).toBeLessThanOrEqual(160);
    expect(seo.imageUrl).toBeNull();
  });

  it("ranks related articles by shared tags, then section, then recency; never itself, its translations, other languages or hidden ones", async () => {
    // A section of its own, so articles made by other tests cannot outrank these by recency.
    const own = (await gw.factory.section()).id;
    const [t1, t2, t3] = [await gw.factory.tag(), await gw.factory.tag(), await gw.factory.tag()];
    const story = "related-story-0000000000000000000000";
    const base = await gw.factory.article({
      sectionId: own,
      tagIds: [t1.id, t2.id, t3.id],
      storyKey: story,
      title: "Base",
    });
    const at = (minutes: number) => new Date(DEFAULT_NOW.getTime() - minutes * 60_000);
    await gw.factory.article({
      sectionId: own,
      tagIds: [t1.id, t2.id, t3.id],
      storyKey: story,
      language: "de",
      title: "Translation",
    });
    await gw.factory.article({
      sectionId: other,
      tagIds: [t1.id, t2.id, t3.id],
      language: "fr",
      title: "Other language",
    });
    await gw.factory.article({
      sectionId: other,
      tagIds: [t1.id, t2.id, t3.id],
      status: "draft",
      publishedAt: null,
      title: "HIDDEN draft",
    });
    const oneTagOld = await gw.factory.article({
      sectionId: other,
      tagIds: [t3.id],
      publishedAt: at(5000),
      title: "One tag, old",
    });
    const twoTags = await gw.factory.article({
      sectionId: other,
      tagIds: [t1.id, t2.id],
      publishedAt: at(9000),
      title: "Two tags",
    });
    const oneTagSameSection = await gw.factory.article({
      sectionId: own,
      tagIds: [t1.id],
      publishedAt: at(8000),
      title: "One tag, same section",
    });
    const sameSection = await gw.factory.article({ sectionId: own, publishedAt: at(7000), title: "Same section" });
    // Enough recent articles of this language for a list of 20 whatever else the file has made:
    // no shared tags and another section, so they rank below all of the above.
    for (let i = 0; i < 16; i++)
      await gw.factory.article({ sectionId: other, publishedAt: at(10 + i), title: `Filler ${i}` });
    const res = await gw.gql(
      `query($id: ID!) { article(id: $id) { related(first: 4) { title } all: related(first: 20) { title } } }`,
      { id: gid("Article", base.id) },
    );
    expect(res.body.data.article.related.map((r: { title: string }) => r.title)).toEqual([
      twoTags.title,
      oneTagSameSection.title,
      oneTagOld.title,
      sameSection.title,
    ]);
    const titles = res.body.data.article.all.map((r: { title: string }) => r.title);
    expect(titles).toHaveLength(20);
    for (const never of ["Base", "Translation", "Other language", "HIDDEN draft"]) expect(titles).not.toContain(never);
  });

  it("finds related articles for an article without tags, and counts every shared tag, past the first eight too", async () => {
    const own = (await gw.factory.section()).id;
    const at = (minutes: number) => new Date(DEFAULT_NOW.getTime() - minutes * 60_000);
    const untagged = await gw.factory.article({ sectionId: own, title: "Untagged" });
    const newestInSection = await gw.factory.article({
      sectionId: own,
      publishedAt: at(1),
      title: "Newest in section",
    });
    const query = `query($id: ID!) { article(id: $id) { related(first: 3) { title } } }`;
    const none = await gw.gql(query, { id: gid("Article", untagged.id) });
    expect(none.body.errors).toBeUndefined();
    expect(none.body.data.article.related[0].title).toBe(newestInSection.title);

    // Nine tags: candidates come from the first eight (by id), but the ninth still counts as shared.
    const tags = [];
    for (let i = 0; i < 9; i++) tags.push(await gw.factory.tag());
    const ids = tags.map((t) => t.id).sort((x, y) => x - y);
    const base = await gw.factory.article({ sectionId: other, tagIds: ids, title: "Nine tags" });
    const firstAndNinth = await gw.factory.article({
      sectionId: other,
      tagIds: [ids[0]!, ids[8]!],
      publishedAt: at(3000),
      title: "First and ninth tag",
    });
    const firstOnly = await gw.factory.article({
      sectionId: other,
      tagIds: [ids[0]!],
      publishedAt: at(2000),
      title: "First tag only, newer",
    });
    const res = await gw.gql(query, { id: gid("Article", base.id) });
    const titles = res.body.data.article.related.map((r: { title: string }) => r.title);
    expect(titles.indexOf(firstAndNinth.title)).toBeGreaterThanOrEqual(0);
    expect(titles.indexOf(firstAndNinth.title)).toBeLessThan(titles.indexOf(firstOnly.title));
  });

  it("takes a tag's related candidates in the article's language, so newer articles in other languages crowd none out", async () => {
    const own = (await gw.factory.section()).id;
    const tag = await gw.factory.tag();
    const at = (minutes: number) => new Date(DEFAULT_NOW.getTime() - minutes * 60_000);
    const base = await gw.factory.article({ sectionId: own, tagIds: [tag.id], title: "Tagged base" });
    // Older than anything else of its language in this file, in another section: only its tag
    // makes it a candidate.
    const olderSameLanguage = await gw.factory.article({
      sectionId: other,
      tagIds: [tag.id],
      publishedAt: at(400_000),
      title: "Older, same language, shares the tag",
    });
    // Newer articles of its language without the tag fill the language's newest candidates (the
    // 3 × first newest), whatever else the file has made or not.
    for (let i = 0; i < 10; i++) await gw.factory.article({ sectionId: other, publishedAt: at(100 + i) });
    // More newer articles of the tag in another language than the tag's candidate set holds.
    for (let i = 0; i < RELATED_PER_TAG; i++)
      await gw.factory.article({ sectionId: other, tagIds: [tag.id], language: "fr", publishedAt: at(1000 + i) });
    const res = await gw.gql(`query($id: ID!) { article(id: $id) { related(first: 3) { title language } } }`, {
      id: gid("Article", base.id),
    });
    expect(res.body.errors).toBeUndefined();
    const related = res.body.data.article.related as Array<{ title: string; language: string }>;
    expect(related[0]!.title).toBe(olderSameLanguage.title);
    expect(related.every((r) => r.language === "en")).toBe(true);
  }, 120_000);

  it("sends a fixed number of SQL statements for the article page, however many translations, related articles and tags", async () => {
    const page = `query($id: ID!) { article(id: $id) { title byline disclaimer section { name } authors { name } tags { name }
      body { blocks { __typename ... on ParagraphBlock { text } } }
      translations { language title url } related(first: 10) { title url section { name } authors { name } }
      shareLinks { x } seo { description } } }`;
    const author = await gw.factory.author();
    const small = await gw.factory.article({ sectionId: section, authorIds: [author.id], body: paragraphs(4) });
    const tags = await Promise.all(Array.from({ length: 6 }, () => gw.factory.tag()));
    const story = "fixed-statements-000000000000000000";
    const big = await gw.factory.article({
      sectionId: section,
      authorIds: [author.id],
      tagIds: tags.map((t) => t.id),
      storyKey: story,
      body: paragraphs(20),
    });
    for (const language of ["de", "fr", "nl", "lt", "pl"]) {
      await gw.factory.article({
        sectionId: other,
        authorIds: [author.id],
        storyKey: story,
        language,
        tagIds: [tags[0]!.id],
      });
    }
    for (let i = 0; i < 10; i++)
      await gw.factory.article({ sectionId: other, authorIds: [author.id], tagIds: [tags[i % 6]!.id] });
    await gw.gql(`{ sections { id } }`); // the process keeps the section tree: read it before both
    const a = await gw.gql(page, { id: gid("Article", small.id) });
    const b = await gw.gql(page, { id: gid("Article", big.id) });
    expect(b.body.data.article.translations).toHaveLength(5);
    expect(b.body.data.article.related).toHaveLength(10);
    expect(b.body.data.article.tags).toHaveLength(6);
    expect(a.body.data.article.translations).toHaveLength(0);
    expect(b.statements).toBe(a.statements);
    expect(b.statements).toBeLessThanOrEqual(8);
  });
});

describe.each(DATABASES)("language feed with fallbacks on %s", (kind) => {
  let gw: TestGateway;
  const expected: Array<{ story: string; language: string; at: number; id: number }> = [];

  beforeAll(async () => {
    gw = await startGateway(kind);
    const s = await gw.factory.section({ slug: "fallback" });
    // 24 stories: some in lt, some only in en or de, some in all; one lt version is a draft.
    for (let i = 0; i < 24; i++) {
      const story = `fallback-story-${String(i).padStart(20, "0")}`;
      const at = (offset: number) =>
        new Date(DEFAULT_NOW.getTime() - (i * 10 + offset) * 60_000 - (i % 4 === 0 ? 0 : 1));
      const versions: Array<[string, "published" | "draft"]> =
        i % 6 === 0
          ? [
              ["lt", "published"],
              ["en", "published"],
              ["de", "published"],
            ]
          : i % 6 === 1
            ? [["en", "published"]]
            : i % 6 === 2
              ? [
                  ["de", "published"],
                  ["fr", "published"],
                ]
              : i % 6 === 3
                ? [
                    ["lt", "draft"],
                    ["en", "published"],
                  ]
                : i % 6 === 4
                  ? [["fr", "published"]]
                  : [
                      ["de", "published"],
                      ["en", "published"],
                    ];
      const made: Record<string, { id: number; at: number }> = {};
      for (const [j, [language, status]] of versions.entries()) {
        const when = at(j);
        const a = await gw.factory.article({
          sectionId: s.id,
          storyKey: story,
          language,
          status,
          publishedAt: status === "draft" ? null : when,
          title: `S${i} ${language}`,
        });
        if (status === "published") made[language] = { id: a.id, at: when.getTime() };
      }
      const chosen = ["lt", "en", "de"].find((l) => made[l]);
      if (chosen) expected.push({ story, language: chosen, ...made[chosen]! });
    }
    expected.sort((a, b) => b.at - a.at || b.id - a.id);
  });
  afterAll(() => gw?.close());

  const FEED = `query($after: String, $before: String, $first: Int, $last: Int) {
    articles(first: $first, after: $after, last: $last, before: $before, filter: { language: "lt", fallbackLanguages: ["en", "de"] }) {
      totalCount edges { cursor node { title language } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

  it("fills a Lithuanian feed from English then German, one article per story, across pages both ways", async () => {
    const titles = expected.map((e) => `S${e.story.replace(/\D/g, "").replace(/^0+(?=\d)/, "")} ${e.language}`);
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: GqlResponse = await gw.gql(FEED, { first: 3, after });
      expect(res.body.errors).toBeUndefined();
      const conn = res.body.data.articles;
      expect(conn.totalCount).toBe(expected.length);
      forward.push(...conn.edges.map((e: { node: { title: string } }) => e.node.title));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(forward).toEqual(titles);
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const res: GqlResponse = await gw.gql(FEED, { last: 4, before });
      const conn = res.body.data.articles;
      backward.unshift(...conn.edges.map((e: { node: { title: string } }) => e.node.title));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(backward).toEqual(titles);
    expect(new Set(forward).size).toBe(forward.length);
    expect(forward.some((t) => t.endsWith(" lt"))).toBe(true);
    expect(forward.some((t) => t.endsWith(" de"))).toBe(true);
  });

  it("refuses fallbacks without a language, and more than 10 of them", async () => {
    const noLang = await gw.gql(`{ articles(filter: { fallbackLanguages: ["en"] }) { totalCount } }`);
    expect(code(noLang)).toBe("BAD_USER_INPUT");
    const many = await gw.gql(
      `{ articles(filter: { language: "lt", fallbackLanguages: ["de","fr","en","nl","pl","pt","ro","sk","sl","sv","fi"] }) { totalCount } }`,
    );
    expect(code(many)).toBe("BAD_USER_INPUT");
    expect(many.body.errors![0]!.message).toContain("filter.fallbackLanguages");
  });
});
