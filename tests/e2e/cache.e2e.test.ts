import { createHash } from "node:crypto";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import { PrivateRedis } from "../helpers/private-redis";

const code = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;

describe.each(DATABASES)("cache hints, response cache and invalidation on %s", (kind) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  const ids: Record<string, number> = {};
  const gids: Record<string, string> = {};

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { RESPONSE_CACHE: "true", MAX_QUERY_COST: "300" } });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    const f = gw.factory;
    const eu = await f.section({ slug: "eu", name: "EU" });
    const parl = await f.section({ slug: "parliament", name: "Parliament", parentId: eu.id });
    const world = await f.section({ slug: "world", name: "World" });
    const alex = await f.author({ slug: "alex" });
    const maria = await f.author({ slug: "maria" });
    const russia = await f.tag({ slug: "russia" });
    const climate = await f.tag({ slug: "climate" });
    Object.assign(ids, {
      eu: eu.id,
      parl: parl.id,
      world: world.id,
      alex: alex.id,
      maria: maria.id,
      russia: russia.id,
      climate: climate.id,
    });
    await f.article({
      sectionId: parl.id,
      authorIds: [alex.id],
      tagIds: [russia.id],
      language: "en",
      title: "Seed EN",
    });
    await f.article({
      sectionId: world.id,
      authorIds: [maria.id],
      tagIds: [climate.id],
      language: "de",
      title: "Seed DE",
    });
    gids.parl = gid("Section", parl.id);
    gids.alex = gid("Author", alex.id);
  });
  afterAll(() => gw?.close());

  it("turns cache hints into Cache-Control: the shortest age in the response wins; editors, mutations and errors are never public", async () => {
    const feed = await gw.gql(`{ articles(first: 1) { nodes { title } } }`);
    expect(feed.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=60, stale-while-revalidate=60");
    const site = await gw.gql(`{ site { name } }`);
    expect(site.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=3600, stale-while-revalidate=3600");
    const sections = await gw.gql(`{ sections { name } site { name } }`);
    expect(sections.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=300, stale-while-revalidate=300");
    const asEditor = await gw.gql(`{ site { name } }`, undefined, editor);
    expect(asEditor.headers.get("cache-control")).toBe("private, no-store");
    const mutation = await gw.gql(
      `mutation { confirmNewsletterSubscription(token: "nope-nope-nope-nope-nope") { status } }`,
    );
    expect(mutation.headers.get("cache-control")).toBe("no-store");
    const error = await gw.gql(`{ articles(first: 500) { totalCount } }`);
    expect(error.headers.get("cache-control")).toBe("no-store");
  });

  it("serves a repeated public query from the cache without SQL, and never caches editors' answers", async () => {
    const q = `{ articles(first: 5) { totalCount nodes { title section { name } authors { name } } } }`;
    const first = await gw.gql(q);
    expect(first.headers.get("x-cache")).toBe("MISS");
    expect(first.statements).toBeGreaterThan(0);
    const second = await gw.gql(q);
    expect(second.headers.get("x-cache")).toBe("HIT");
    expect(second.statements).toBe(0);
    expect(second.body.data).toEqual(first.body.data);
    const asEditor = await gw.gql(q, undefined, editor);
    expect(asEditor.headers.get("x-cache")).toBeNull();
    expect(asEditor.statements).toBeGreaterThan(0);
    // A hit answered before GraphQL still obeys CSRF prevention for GETs.
    const url = `${gw.url}/graphql?query=${encodeURIComponent(q)}`;
    expect((await fetch(url)).status).toBe(400);
    const viaGet = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(viaGet.headers.get("x-cache")).toBe("HIT");
    expect(((await viaGet.json()) as any).data).toEqual(first.body.data);
  });

  it("answers a hit before the web framework with the route's own guards: CORS, rate limit (charged once), request id, body limit", async () => {
    const q = `{ sections { name } }`;
    const post = (headers: Record<string, string> = {}, body = JSON.stringify({ query: q })) =>
      fetch(`${gw.url}/graphql`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const miss = await post({ origin: "http://localhost:3000", "x-request-id": "fast-1" });
    const hit = await post({ origin: "http://localhost:3000", "x-request-id": "fast-2" });
    expect([miss.headers.get("x-cache"), hit.headers.get("x-cache")]).toEqual(["MISS", "HIT"]);
    expect(await hit.json()).toEqual(await miss.json());
    for (const h of ["cache-control", "access-control-allow-origin", "vary", "ratelimit-limit", "surrogate-key"])
      expect([h, hit.headers.get(h)]).toEqual([h, miss.headers.get(h)]);
    expect(hit.headers.get("x-request-id")).toBe("fast-2");
    // One request, one token: the miss that went on to express was not charged twice.
    const remaining = [miss, hit].map((r) => Number(r.headers.get("ratelimit-remaining")));
    expect(remaining[0]! - remaining[1]!).toBe(1);
    const third = await post();
    expect(Number(hit.headers.get("ratelimit-remaining")) - Number(third.headers.get("ratelimit-remaining"))).toBe(1);
    // An origin off the allow-list gets no CORS grant, hit or not.
    expect((await post({ origin: "https://evil.example" })).headers.get("access-control-allow-origin")).toBeNull();
    // The body limit and JSON errors are the route's, in JSON with a code.
    const big = await post({}, JSON.stringify({ query: q, variables: { pad: "x".repeat(110_000) } }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].extensions.code).toBe("BAD_REQUEST");
    const bad = await post({}, "{nope");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("evicts exactly the responses a publish touches, at once, and keeps unrelated ones cached", async () => {
    const queries: Record<string, string> = {
      all: `{ articles(first: 10) { totalCount nodes { title } } }`,
      parentSection: `{ articles(filter: { section: "eu" }) { totalCount nodes { title } } }`,
      section: `query { section(slug: "parliament") { articles { totalCount nodes { title } } } }`,
      author: `{ author(slug: "alex") { articles { totalCount nodes { title } } } }`,
      authorBySlugFilter: `{ articles(filter: { author: "alex" }) { totalCount } }`,
      tag: `{ tag(slug: "russia") { articles { totalCount } } }`,
      language: `{ articles(filter: { language: "en" }) { totalCount } }`,
      otherSection: `{ articles(filter: { section: "world" }) { totalCount nodes { title } } }`,
      otherAuthor: `{ author(slug: "maria") { articles { totalCount } } }`,
      otherTag: `{ tag(slug: "climate") { articles { totalCount } } }`,
      otherLanguage: `{ articles(filter: { language: "de" }) { totalCount } }`,
      site: `{ site { name } }`,
    };
    const touched = ["all", "parentSection", "section", "author", "authorBySlugFilter", "tag", "language"];
    const warm: Record<string, GqlResponse> = {};
    for (const [name, q] of Object.entries(queries)) {
      warm[name] = await gw.gql(q);
      expect((await gw.gql(q)).headers.get("x-cache")).toBe("HIT");
    }
    const created = await gw.gql(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
      {
        input: {
          title: "Fresh story",
          language: "en",
          sectionId: gids.parl,
          authorIds: [gids.alex],
          tags: ["Russia"],
          body: "<p>New.</p>",
        },
      },
      editor,
    );
    const id = created.body.data.createArticle.id as string;
    const lookup = `{ article(id: "${id}") { title } }`;
    expect((await gw.gql(lookup)).body.data.article).toBeNull();
    expect((await gw.gql(lookup)).headers.get("x-cache")).toBe("HIT");

    await gw.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    for (const [name, q] of Object.entries(queries)) {
      const res = await gw.gql(q);
      if (touched.includes(name)) {
        expect([name, res.headers.get("x-cache")]).toEqual([name, "MISS"]);
        expect(JSON.stringify(res.body.data)).not.toEqual(JSON.stringify(warm[name]!.body.data));
      } else {
        expect([name, res.headers.get("x-cache")]).toEqual([name, "HIT"]);
      }
    }
    const afterPublish = await gw.gql(lookup);
    expect(afterPublish.body.data.article).toEqual({ title: "Fresh story" });

    // Unpublishing makes it leave the same lists, visibly at once.
    await gw.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id }, editor);
    expect((await gw.gql(lookup)).body.data.article).toBeNull();
    const feed = await gw.gql(queries.all!);
    expect(JSON.stringify(feed.body.data)).not.toContain("Fresh story");
    expect((await gw.gql(queries.otherSection!)).headers.get("x-cache")).toBe("HIT");
  });

  it("prices operations by page size, variables included, and refuses those over the limit before running them", async () => {
    const q = `query($n: Int) { articles(first: $n) { nodes { title authors { name } } } }`;
    const small = await gw.gql(q, { n: 10 });
    expect(small.body.errors).toBeUndefined();
    expect((small.body as any).extensions.cost).toEqual({ requested: expect.any(Number), limit: 300 });
    const big = await gw.gql(q, { n: 100 });
    expect(big.status).toBe(400);
    expect(code(big)).toBe("QUERY_TOO_COMPLEX");
    expect(big.body.errors![0]!.extensions).toMatchObject({ cost: expect.any(Number), limit: 300 });
    expect(big.statements).toBe(0);
  });

  it("serves automatic persisted queries over GET, cacheable by a CDN", async () => {
    const query = `{ sections { slug } }`;
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash } }));
    const get = () =>
      fetch(`${gw.url}/graphql?extensions=${extensions}`, { headers: { "apollo-require-preflight": "true" } });
    const unknown = await get();
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    await gw.gql(query, undefined, {});
    await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
    });
    const known = await get();
    expect(known.status).toBe(200);
    expect(((await known.json()) as any).data.sections.length).toBeGreaterThan(0);
    expect(known.headers.get("cache-control")).toMatch(/^public, .*s-maxage=300/);
  });
});

describe("cache invalidation across instances", () => {
  it("evicts on every instance through Redis when one instance publishes", async () => {
    // A private redis-server of its own, never the shared one.
    const redisServer = await PrivateRedis.start();
    const redis = redisServer.url;
    const a = await startGateway("sqlite", { env: { RESPONSE_CACHE: "true", REDIS_URL: redis } });
    const b = await startGateway("sqlite", {
      databaseUrl: a.courant.deps.config.databaseUrl,
      env: { RESPONSE_CACHE: "true", REDIS_URL: redis },
    });
    try {
      const key = await a.courant.deps.services.auth.create("desk", "editor");
      const s = await a.factory.section({ slug: "shared" });
      const q = `{ articles(filter: { section: "shared" }) { totalCount } }`;
      expect((await b.gql(q)).body.data.articles.totalCount).toBe(0);
      expect((await b.gql(q)).headers.get("x-cache")).toBe("HIT");
      const created = await a.gql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        {
          input: { title: "Shared", language: "en", sectionId: gid("Section", s.id), authorIds: [], body: "<p>x</p>" },
        },
        { authorization: `Bearer ${key}` },
      );
      await a.gql(
        `mutation($id: ID!) { publishArticle(id: $id) { id } }`,
        { id: created.body.data.createArticle.id },
        { authorization: `Bearer ${key}` },
      );
      let after: GqlResponse | undefined;
      for (let i = 0; i < 50; i++) {
        after = await b.gql(q);
        if (after.body.data.articles.totalCount === 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(after!.body.data.articles.totalCount).toBe(1);
    } finally {
      await b.close();
      await a.close();
      await redisServer.destroy();
    }
  });
});
