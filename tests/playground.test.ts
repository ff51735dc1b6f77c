import fs from "node:fs";
import path from "node:path";
import { parse, stripIgnoredCharacters, validate } from "graphql";
import { buildCourantSchema } from "../src/graphql/build-schema";
import { PLAYGROUND_EXAMPLES } from "../src/http/playground-examples";
import { AuthService } from "../src/auth/auth.service";
import { DATABASES } from "./helpers/databases";
import { startGateway, type TestGateway } from "./helpers/gateway";

const example = (name: string) => {
  const found = PLAYGROUND_EXAMPLES.find((e) => e.name === name);
  if (!found) throw new Error(`no playground example ${name}`);
  return found;
};

describe("playground examples", () => {
  it.each(PLAYGROUND_EXAMPLES.map((e) => [e.name, e] as const))("%s validates against the schema", (name, e) => {
    const document = parse(e.query);
    expect(validate(buildCourantSchema(), document).map((err) => err.message)).toEqual([]);
    // The tab is named after its one operation.
    expect(document.definitions).toHaveLength(1);
    expect(document.definitions[0]).toMatchObject({ name: { value: name } });
  });

  it("cover the operations developers look for first", () => {
    expect(PLAYGROUND_EXAMPLES.map((e) => e.name)).toEqual([
      "MobileHomeFeed",
      "SectionFeed",
      "ArticlePage",
      "Trending",
      "Search",
      "LanguageFallbackFeed",
      "CreateArticle",
    ]);
    expect(example("Trending").query).toContain("trending(window: DAY, first: 10)");
    expect(example("Search").query).toContain('search(query: "Baku"');
    expect(example("LanguageFallbackFeed").query).toContain(
      'filter: { language: "lt", fallbackLanguages: ["en", "de"] }',
    );
    expect(example("CreateArticle").headers).toEqual({ Authorization: expect.stringMatching(/^Bearer /) });
  });

  it("ArticlePage is the query README.md shows", () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    const inReadme = /```graphql\n(query ArticlePage[\s\S]*?)```/.exec(readme)?.[1];
    expect(inReadme).toBeDefined();
    expect(stripIgnoredCharacters(example("ArticlePage").query)).toBe(stripIgnoredCharacters(inReadme!));
  });
});

describe.each(DATABASES)("playground examples against the demo content (%s)", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind, { seedDemo: true });
  });
  afterAll(() => gw?.close());

  const runExample = (name: string, headers?: Record<string, string>) =>
    gw.gql(example(name).query, example(name).variables, headers);

  it("the public ones answer without errors, with content", async () => {
    const feed = await runExample("MobileHomeFeed");
    expect(feed.body.errors).toBeUndefined();
    expect(feed.body.data.articles.nodes.length).toBeGreaterThan(3);
    expect(feed.body.data.articles.nodes[0]).toMatchObject({
      title: expect.any(String),
      section: { name: expect.any(String) },
    });

    const section = await runExample("SectionFeed");
    expect(section.body.errors).toBeUndefined();
    expect(section.body.data.articles.edges).toHaveLength(3);
    expect(section.body.data.articles.pageInfo.hasNextPage).toBe(true);

    const page = await runExample("ArticlePage");
    expect(page.body.errors).toBeUndefined();
    expect(page.body.data.article.title).toBe("Moskou roept Baku en Yerevan op om te onderhandelen");

    const fallback = await runExample("LanguageFallbackFeed");
    expect(fallback.body.errors).toBeUndefined();
    const languages = fallback.body.data.articles.nodes.map((n: { language: string }) => n.language);
    expect(languages).toContain("lt");
    expect(new Set(languages)).toEqual(new Set(["lt", "en", "de"].filter((l) => languages.includes(l))));

    const trending = await runExample("Trending");
    expect(trending.body.errors).toBeUndefined();
    expect(Array.isArray(trending.body.data.trending.items)).toBe(true);

    const search = await runExample("Search");
    expect(search.body.errors).toBeUndefined();
    expect(search.body.data.search.totalCount).toBeGreaterThan(0);
  });

  it("the editorial one creates a draft with an editor key, and its placeholder key is refused", async () => {
    const placeholder = await runExample("CreateArticle", example("CreateArticle").headers);
    expect(placeholder.status).toBe(401);
    expect(placeholder.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");

    const key = await new AuthService(gw.ds, () => gw.clock.now).create("playground-test", "editor");
    const created = await runExample("CreateArticle", { Authorization: `Bearer ${key}` });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createArticle).toMatchObject({ slug: "a-draft-from-the-playground", status: "DRAFT" });
  });
});

describe("the playground page", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite");
  });
  afterAll(() => gw?.close());

  const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

  it("is served to browsers, and loads nothing from elsewhere", async () => {
    const res = await fetch(`${gw.url}/graphql`, { headers: { accept: browserAccept } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await res.text();
    expect(html).toContain("<title>Courant GraphQL playground</title>");
    // No address elsewhere: every script, style and editor worker is a path on this server, and is served.
    expect(html).not.toMatch(/https?:\/\//);
    const assets = new Set([...html.matchAll(/\/graphql\/playground\/[\w.-]+/g)].map((m) => m[0]));
    for (const w of html.matchAll(/worker\("([\w.-]+)"\)/g)) assets.add(`/graphql/playground/${w[1]}`);
    expect([...assets]).toEqual(
      expect.arrayContaining(
        ["ruru.js", "ruru.css", "editorWorker.js", "jsonWorker.js", "graphqlWorker.js"].map(
          (f) => `/graphql/playground/${f}`,
        ),
      ),
    );
    for (const asset of assets) {
      const res = await fetch(`${gw.url}${asset}`);
      expect([asset, res.status]).toEqual([asset, 200]);
      expect(res.headers.get("content-type")).toMatch(/^text\/(javascript|css)/);
    }
  });

  it("leaves API clients to the API, and answers unknown assets with 404", async () => {
    for (const accept of [undefined, "*/*", "application/json", "application/graphql-response+json"]) {
      const res = await fetch(`${gw.url}/graphql?query=${encodeURIComponent("{ site { name } }")}`, {
        headers: { "apollo-require-preflight": "true", ...(accept ? { accept } : {}) },
      });
      expect([accept, res.headers.get("content-type")]).toEqual([accept, expect.stringMatching(/json/)]);
      expect(((await res.json()) as any).data.site.name).toBe("EU Reporter");
    }
    const missing = await fetch(`${gw.url}/graphql/playground/nope.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).errors[0].extensions.code).toBe("NOT_FOUND");
  });

  it("is off with PLAYGROUND=false", async () => {
    const off = await startGateway("sqlite", { env: { PLAYGROUND: "false" } });
    try {
      const res = await fetch(`${off.url}/graphql`, { headers: { accept: browserAccept } });
      expect(res.headers.get("content-type")).not.toMatch(/html/);
      expect(await res.text()).not.toContain("<title>");
      expect((await fetch(`${off.url}/graphql/playground/ruru.js`)).status).not.toBe(200);
    } finally {
      await off.close();
    }
  });
});
