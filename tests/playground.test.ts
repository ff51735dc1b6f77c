import fs from "node:fs";
import path from "node:path";
import { Kind, parse, stripIgnoredCharacters, validate, type OperationDefinitionNode } from "graphql";
import { buildCourantSchema } from "../src/graphql/build-schema";
import { PLAYGROUND_EXAMPLES } from "../src/http/playground-examples";
import { AuthService } from "../src/auth/auth.service";
import { fromGlobalIdOf } from "../src/graphql/global-id";
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

  it("cover the operations developers look for first: one root field each, read or write", () => {
    // What each tab calls, read from the parsed operation (validated against the schema above).
    const calls = PLAYGROUND_EXAMPLES.map((e) => {
      const op = parse(e.query).definitions[0] as OperationDefinitionNode;
      const roots = op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : s.kind));
      return [e.name, op.operation, roots];
    });
    expect(calls).toEqual([
      ["MobileHomeFeed", "query", ["articles"]],
      ["SectionFeed", "query", ["articles"]],
      ["ArticlePage", "query", ["article"]],
      ["Trending", "query", ["trending"]],
      ["Search", "query", ["search"]],
      ["LanguageFallbackFeed", "query", ["articles"]],
      ["CreateArticle", "mutation", ["createArticle"]],
      ["CreateWebhook", "mutation", ["createWebhook"]],
      ["BreakingNews", "subscription", ["articlePublished"]],
    ]);
    // Only the editorial and admin tabs need a key; they come with the header to paste one into.
    const withHeaders = PLAYGROUND_EXAMPLES.filter((e) => e.headers).map((e) => [e.name, e.headers]);
    expect(withHeaders).toEqual([
      ["CreateArticle", { Authorization: expect.stringMatching(/^Bearer \S+$/) }],
      ["CreateWebhook", { Authorization: expect.stringMatching(/^Bearer \S+$/) }],
    ]);
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
    // The demo has no view history: give three of its articles 3, 2 and 1 readers.
    const newest = (await gw.gql(`{ articles(first: 3) { nodes { id title } } }`)).body.data.articles.nodes as Array<{
      id: string;
      title: string;
    }>;
    expect(newest).toHaveLength(3);
    const trendingService = gw.courant.deps.services.trending;
    for (const [i, article] of newest.entries()) {
      const articleId = fromGlobalIdOf("Article", article.id);
      for (let reader = 0; reader < newest.length - i; reader++) {
        expect(await trendingService.views.record({ articleId, client: `playground-${i}-${reader}` })).toBe("counted");
      }
    }
    await trendingService.flush();

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
    expect(
      trending.body.data.trending.items.map((i: { rank: number; article: { title: string } }) => [
        i.rank,
        i.article.title,
      ]),
    ).toEqual(newest.map((a, i) => [i + 1, a.title]));

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

  it("the webhook one needs an admin key, and makes a webhook with its secret", async () => {
    const auth = new AuthService(gw.ds, () => gw.clock.now);
    const editor = await auth.create("playground-editor", "editor");
    const refused = await runExample("CreateWebhook", { Authorization: `Bearer ${editor}` });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const admin = await auth.create("playground-admin", "admin");
    const made = await runExample("CreateWebhook", { Authorization: `Bearer ${admin}` });
    expect(made.body.errors).toBeUndefined();
    expect(made.body.data.createWebhook).toMatchObject({
      secret: expect.stringMatching(/^whsec_/),
      webhook: { url: "https://example.com/courant-webhook", enabled: true },
    });
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
    // (The webhook tab's target URL is data typed into a tab, not something the page loads.)
    expect(html.replaceAll("https://example.com/courant-webhook", "")).not.toMatch(/https?:\/\//);
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

  it("opens with one tab per example, in order, with its variables and headers", async () => {
    const html = await (await fetch(`${gw.url}/graphql`, { headers: { accept: browserAccept } })).text();
    // Ruru hands the page its settings as one JSON object literal.
    const config = /const RURU_CONFIG = (\{[\s\S]*?\});\s*<\/script>/.exec(html)?.[1];
    expect(config).toBeDefined();
    const tabs = JSON.parse(config!).defaultTabs as Array<{ query: string; variables?: string; headers?: string }>;
    expect(tabs.map((t) => t.query)).toEqual(PLAYGROUND_EXAMPLES.map((e) => e.query));
    expect(tabs.map((t) => (t.variables === undefined ? undefined : JSON.parse(t.variables)))).toEqual(
      PLAYGROUND_EXAMPLES.map((e) => e.variables),
    );
    expect(tabs.map((t) => (t.headers === undefined ? undefined : JSON.parse(t.headers)))).toEqual(
      PLAYGROUND_EXAMPLES.map((e) => e.headers),
    );
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
