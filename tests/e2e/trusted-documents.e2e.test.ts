import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";
import { subscribe, wsClient } from "../helpers/subscriber";
import { cleanEnv, COURANT_BIN } from "../helpers/cli";
import { PrivateRedis } from "../helpers/private-redis";
import { TrustedDocumentEntity } from "../../src/documents/trusted-document.entity";

const root = path.join(__dirname, "..", "..");
// Asynchronous on purpose where a gateway of this process must answer the child.
const run = promisify(execFile);
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * `courant ARGS`, asynchronously: the gateways under test run in this process, and a synchronous
 * child would stall their timers (a keep-alive socket then closes just as fetch reuses it).
 */
async function runCli(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [COURANT_BIN, ...args], {
      env: cleanEnv(env),
      timeout: 120_000,
    });
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { status: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

const SITE_NAME = "query SiteName { site { name } }";
const FEED = "query Feed($n: Int) { articles(first: $n) { nodes { title } } }";
/** A Relay `persisted-queries.json`: id to text. "gone" asks for a field the schema does not have. */
const RELAY_MANIFEST = { r1: SITE_NAME, r2: FEED, gone: "query Gone { site { circulation } }" };

function tempFile(name: string, content: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-documents-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** GET as an app or a CDN sends it (Apollo's CSRF rule wants a preflight-forcing header). */
async function get(gw: TestGateway, params: Record<string, unknown>, headers: Record<string, string> = {}) {
  const search = new URLSearchParams(
    Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === "string" ? v : JSON.stringify(v)]),
  );
  const res = await fetch(`${gw.url}/graphql?${search}`, { headers: { "apollo-require-preflight": "1", ...headers } });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

async function post(gw: TestGateway, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${gw.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const metric = async (gw: TestGateway, pattern: RegExp): Promise<number> => {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const line = text.split("\n").find((l) => pattern.test(l));
  return line ? Number(line.split(" ").pop()) : 0;
};

describe.each(DATABASES)("trusted documents (%s)", (kind) => {
  let gw: TestGateway;
  const logs: string[] = [];
  let dbEnv: Record<string, string>;

  beforeAll(async () => {
    gw = await startGateway(kind, {
      seedDemo: true,
      logs,
      env: {
        TRUSTED_DOCUMENTS: "enforce",
        // The website moves to enforce later than the apps: audited meanwhile.
        TRUSTED_DOCUMENTS_CLIENTS: "website=audit",
        TRUSTED_DOCUMENTS_REFRESH_SECONDS: "1",
      },
    });
    dbEnv = { DATABASE_URL: gw.courant.deps.config.databaseUrl };
  });
  afterAll(() => gw?.close());

  it("`documents add` loads a Relay manifest, rejecting (and reporting) the operation that does not validate", async () => {
    const r = await runCli(
      ["documents", "add", tempFile("persisted-queries.json", RELAY_MANIFEST), "--client", "ios"],
      {
        ...dbEnv,
        LOG_LEVEL: "warn",
      },
    );
    expect(r.stderr).toContain('rejected gone (Gone): Cannot query field "circulation" on type "Site".');
    expect(r.stdout.trim()).toBe("relay manifest for ios: 2 added, 0 updated, 0 already known, 1 rejected");
    expect(r.status).toBe(1);

    const list = await runCli(["documents", "list"], dbEnv);
    expect(list.status).toBe(0);
    expect(list.stdout.trim().split("\n").sort()).toEqual(["ios\t-\tr1\tSiteName\tok", "ios\t-\tr2\tFeed\tok"]);

    // Again, as the next app version: nothing new, both now belong to 2.0.
    const again = await runCli(
      ["documents", "add", tempFile("q.json", { r1: SITE_NAME, r2: FEED }), "--client", "ios", "--version", "2.0"],
      dbEnv,
    );
    expect(again.stdout.trim()).toBe("relay manifest for ios 2.0: 0 added, 2 updated, 0 already known, 0 rejected");
    expect(again.status).toBe(0);
  });

  it("enforce: serves a listed document by GET with public Cache-Control and by POST; refuses an ad-hoc query", async () => {
    const byGet = await get(gw, { documentId: "r1" });
    expect(byGet.status).toBe(200);
    expect(byGet.body.data).toEqual({ site: { name: "EU Reporter" } });
    expect(byGet.headers.get("cache-control")).toMatch(/^public, .*s-maxage=\d+/);

    const byPost = await post(gw, { documentId: "r2", variables: { n: 2 } });
    expect(byPost.status).toBe(200);
    expect(byPost.body.data.articles.nodes).toHaveLength(2);

    // Apollo's persisted-query form, hash only, and the registered text itself are trusted too.
    const apq = await get(gw, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(SITE_NAME) } } });
    expect(apq.body.data).toEqual({ site: { name: "EU Reporter" } });
    expect((await post(gw, { query: SITE_NAME })).body.data).toEqual({ site: { name: "EU Reporter" } });
    expect(
      (await get(gw, { documentId: `sha256:${sha256(FEED)}`, variables: { n: 1 } })).body.data.articles.nodes,
    ).toHaveLength(1);

    const before = await metric(
      gw,
      /^courant_untrusted_operations_total\{mode="enforce",outcome="refused",client="\(none\)",operation="Probe"\}/,
    );
    const adHoc = await post(gw, { query: "query Probe { site { name } }", variables: { secret: "s3cret" } });
    expect(adHoc.status).toBe(403);
    expect(adHoc.body.errors[0].extensions.code).toBe("QUERY_NOT_IN_SAFELIST");
    expect(adHoc.headers.get("cache-control")).toBe("no-store");
    expect(
      await metric(
        gw,
        /^courant_untrusted_operations_total\{mode="enforce",outcome="refused",client="\(none\)",operation="Probe"\}/,
      ),
    ).toBe(before + 1);
    // An unknown hash is refused the same way, not asked to register (PERSISTED_QUERY_NOT_FOUND).
    const unknownHash = await get(gw, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ x }") } } });
    expect(unknownHash.body.errors[0].extensions.code).toBe("QUERY_NOT_IN_SAFELIST");

    const unknownId = await get(gw, { documentId: "r9" });
    expect(unknownId.status).toBe(404);
    expect(unknownId.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    const both = await post(gw, { documentId: "r1", query: SITE_NAME });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].extensions.code).toBe("BAD_REQUEST");
  });

  it("audit for one client: serves a listed and an unknown document, counts and logs the unknown one (name and hash only)", async () => {
    const website = { "apollographql-client-name": "website" };
    const counted =
      /^courant_untrusted_operations_total\{mode="audit",outcome="served",client="website",operation="WebsiteOnly"\}/;
    const before = await metric(gw, counted);
    const text = "query WebsiteOnly($slug: String) { article(slug: $slug) { title } }";
    const unknown = await post(gw, { query: text, variables: { slug: "s3cret-variable" } }, website);
    expect(unknown.status).toBe(200);
    expect(unknown.body.data).toEqual({ article: null });
    expect((await get(gw, { documentId: "r1" }, website)).body.data).toEqual({ site: { name: "EU Reporter" } });
    expect(await metric(gw, counted)).toBe(before + 1);
    const line = logs.find((l) => l.includes('"untrusted operation"') && l.includes('"WebsiteOnly"'));
    expect(JSON.parse(line!)).toMatchObject({
      operationName: "WebsiteOnly",
      hash: sha256(text),
      client: "website",
      mode: "audit",
    });
    expect(logs.join("\n")).not.toContain("s3cret-variable");
  });

  it("an id two clients registered for different operations answers each client with its own", async () => {
    const android = { "apollographql-client-name": "android" };
    const r = await runCli(
      ["documents", "add", tempFile("a.json", { r1: "query Languages { site { languages } }" }), "--client", "android"],
      dbEnv,
    );
    expect(r.status).toBe(0);
    const own = await get(gw, { documentId: "r1" }, android);
    expect(Object.keys(own.body.data.site)).toEqual(["languages"]);
    expect((await get(gw, { documentId: "r1" }, { "apollographql-client-name": "ios" })).body.data).toEqual({
      site: { name: "EU Reporter" },
    });
    const odd = await get(gw, { documentId: "x".repeat(500) });
    expect(odd.status).toBe(404);
    expect(odd.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");
  });

  it("enforce: an editor's API key may still send a new document", async () => {
    const key = await gw.courant.deps.services.auth.create(`desk-${kind}`, "editor");
    const res = await post(gw, { query: "query Desk { site { name } }" }, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({ site: { name: "EU Reporter" } });
  });

  it("holds over WebSocket too: a listed subscription runs, an ad-hoc one is refused (enforce) or counted (audit)", async () => {
    const BREAKING = "subscription Breaking { articlePublished { title } }";
    const LISTED_QUERY = "query Listed { site { name } }";
    const added = await runCli(
      ["documents", "add", tempFile("ws.json", { w1: BREAKING, w2: LISTED_QUERY }), "--client", "ios"],
      dbEnv,
    );
    expect(added.status).toBe(0);
    // Texts are judged from memory, refreshed every second: wait until the new ones are known.
    for (let i = 0; i < 50 && (await post(gw, { query: LISTED_QUERY })).status !== 200; i++)
      await new Promise((r) => setTimeout(r, 100));

    const clients = [
      wsClient(gw.url),
      wsClient(gw.url, { connectionParams: { "apollographql-client-name": "website" } }),
    ];
    try {
      const listed = subscribe(clients[0]!, BREAKING);
      const adHoc = subscribe(clients[0]!, "subscription Sneaky { articlePublished { id } }");
      await adHoc.waitFor(1);
      expect(adHoc.error).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: "QUERY_NOT_IN_SAFELIST" }) }),
      ]);

      const counted =
        /^courant_untrusted_operations_total\{mode="audit",outcome="served",client="website",operation="WebsiteBreaking"\}/;
      const before = await metric(gw, counted);
      const audited = subscribe(clients[1]!, "subscription WebsiteBreaking { articlePublished { title } }");
      const feed = gw.courant.deps.services.liveFeed;
      for (let i = 0; i < 250 && feed.subscribers < 2; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await metric(gw, counted)).toBe(before + 1);

      const key = await gw.courant.deps.services.auth.create(`ws-desk-${kind}`, "editor");
      const section = await gw.factory.section({ slug: `breaking-${kind}` });
      const draft = await gw.factory.article({
        sectionId: section.id,
        title: "Breaking over the socket",
        status: "draft",
        publishedAt: null,
      });
      const published = await post(
        gw,
        {
          query: "mutation($id: ID!) { publishArticle(id: $id) { status } }",
          variables: { id: gid("Article", draft.id) },
        },
        { authorization: `Bearer ${key}` },
      );
      expect(published.body.data.publishArticle.status).toBe("PUBLISHED");
      expect((await listed.waitFor(1))[0]).toEqual({
        data: { articlePublished: { title: "Breaking over the socket" } },
      });
      expect((await audited.waitFor(1))[0]).toEqual({
        data: { articlePublished: { title: "Breaking over the socket" } },
      });
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
    }
  });

  it("`documents remove` retires a document on every instance within the refresh interval", async () => {
    const r = await runCli(["documents", "remove", "--client", "ios", "--id", "r2"], dbEnv);
    expect(r.stdout.trim()).toBe("removed 1 document(s) of ios");
    const started = Date.now();
    let status = 200;
    while (status !== 404 && Date.now() - started < 5000) {
      status = (await post(gw, { documentId: "r2", variables: { n: 1 } })).status;
      if (status !== 404) await new Promise((res) => setTimeout(res, 100));
    }
    expect(status).toBe(404);
    expect((await get(gw, { documentId: "r1" })).status).toBe(200);
  });

  it("a stored document that no longer validates (the schema changed) is reported by `documents add` and at start", async () => {
    // As registered when the schema still had the field; TypeORM writes it as `documents add` would have.
    await gw.ds.getRepository(TrustedDocumentEntity).insert({
      clientName: "android",
      documentId: "old-1",
      hash: sha256("query Old { site { subscriberCount } }"),
      operationName: "Old",
      body: "query Old { site { subscriberCount } }",
      clientVersion: "0.9",
      addedAt: new Date(),
    });
    const r = await runCli(["documents", "add", tempFile("q.json", { r1: SITE_NAME }), "--client", "ios"], dbEnv);
    expect(r.stderr).toContain(
      'stored document old-1 (Old) of android no longer validates: Cannot query field "subscriberCount" on type "Site".',
    );
    expect(r.status).toBe(1);
    expect((await runCli(["documents", "list", "--client", "android"], dbEnv)).stdout).toContain(
      "android\t0.9\told-1\tOld\tINVALID: Cannot query field",
    );

    const startLogs: string[] = [];
    const second = await startGateway(kind, { databaseUrl: dbEnv.DATABASE_URL, logs: startLogs });
    try {
      const line = startLogs.find((l) => l.includes("trusted document no longer validates"));
      expect(JSON.parse(line!)).toMatchObject({ client: "android", documentId: "old-1", operationName: "Old" });
      expect(await metric(second, /^courant_trusted_documents\{state="invalid"\}/)).toBe(1);
    } finally {
      await second.close();
    }
  });
});

describe("trusted documents with the response cache on", () => {
  it("a cached answer is not handed to a client whose mode refuses or audits the text", async () => {
    const gw = await startGateway("sqlite", {
      seedDemo: true,
      env: {
        RESPONSE_CACHE: "true",
        TRUSTED_DOCUMENTS: "enforce",
        TRUSTED_DOCUMENTS_CLIENTS: "legacy=off,website=audit",
      },
    });
    try {
      const text = "query CachedElsewhere { site { name } }";
      const as = (client: string): Record<string, string> => ({ "apollographql-client-name": client });
      const first = await post(gw, { query: text }, as("legacy"));
      expect(first.status).toBe(200);
      const again = await post(gw, { query: text }, as("legacy"));
      expect(again.headers.get("x-cache")).toBe("HIT");

      // The answer is cached, but an enforced client sending the text is refused all the same...
      const refused = await post(gw, { query: text });
      expect(refused.status).toBe(403);
      expect(refused.body.errors[0].extensions.code).toBe("QUERY_NOT_IN_SAFELIST");
      // ...and an audited one is served from the cache and counted.
      const counted =
        /^courant_untrusted_operations_total\{mode="audit",outcome="served",client="website",operation="CachedElsewhere"\}/;
      const before = await metric(gw, counted);
      const audited = await post(gw, { query: text }, as("website"));
      expect(audited.body.data).toEqual({ site: { name: "EU Reporter" } });
      expect(audited.headers.get("x-cache")).toBe("HIT");
      expect(await metric(gw, counted)).toBe(before + 1);
    } finally {
      await gw.close();
    }
  });
});

describe("the web client example with a manifest from @apollo/generate-persisted-query-manifest", () => {
  it("is generated from examples/web-client, loads, and the example runs with ids only in enforce mode", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-manifest-"));
    const manifest = path.join(dir, "persisted-query-manifest.json");
    const config = path.join(dir, "persisted-query-manifest.config.json");
    fs.writeFileSync(config, JSON.stringify({ documents: ["examples/web-client/**/*.graphql"], output: manifest }));
    await run(path.join(root, "node_modules", ".bin", "generate-persisted-query-manifest"), ["--config", config], {
      cwd: root,
      timeout: 60_000,
    });
    const generated = JSON.parse(fs.readFileSync(manifest, "utf8"));
    expect(generated).toMatchObject({ format: "apollo-persisted-query-manifest", version: 1 });
    expect(generated.operations.map((o: { name: string }) => o.name)).toEqual(["SectionFeed"]);

    const gw = await startGateway("sqlite", { seedDemo: true, env: { TRUSTED_DOCUMENTS: "enforce" } });
    try {
      const env = { DATABASE_URL: gw.courant.deps.config.databaseUrl };
      const added = await runCli(["documents", "add", manifest, "--client", "web", "--version", "1.0.0"], env);
      expect(added.stdout.trim()).toBe(
        "apollo manifest for web 1.0.0: 1 added, 0 updated, 0 already known, 0 rejected",
      );
      expect(added.status).toBe(0);

      const { stdout } = await run(
        process.execPath,
        [
          path.join(root, "examples", "web-client", "feed.mjs"),
          ...["--url", `${gw.url}/graphql`, "--manifest", manifest, "--client-name", "web"],
        ],
        { cwd: root, timeout: 30_000 },
      );
      expect(stdout.split("\n").filter((l) => l.startsWith("request: "))).toEqual([
        "request: GET (id only) -> data",
        "request: GET (id only) -> data",
      ]);
      expect(stdout).toContain("cached feed: 6 articles, 6 distinct");
      // The same client without its manifest, sending an operation of its own, is refused.
      const adHoc = await gw.gql("{ site { name } }", undefined, { "apollographql-client-name": "web" });
      expect(adHoc.status).toBe(403);
    } finally {
      await gw.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

const withRedis = PrivateRedis.available() || process.env.CI ? describe : describe.skip;
if (!PrivateRedis.available())
  console.log("SKIPPED the shared persisted-query test: redis-server is not installed here");

withRedis("automatic persisted queries shared through Redis", () => {
  it("a hash registered on one gateway is served by the other on the first GET, and expires after APQ_TTL_SECONDS", async () => {
    const redis = await PrivateRedis.start();
    const env = { REDIS_URL: redis.url, APQ_TTL_SECONDS: "600" };
    const a = await startGateway("sqlite", { seedDemo: true, env });
    const b = await startGateway("sqlite", { databaseUrl: a.courant.deps.config.databaseUrl, env });
    const client = new Redis(redis.url);
    try {
      const query = "query SharedName { site { name } }";
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      expect((await get(b, { extensions })).body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
      const registered = await post(a, { query, extensions });
      expect(registered.body.data).toEqual({ site: { name: "EU Reporter" } });

      // Apollo sends the write to Redis before it executes the operation, so it is there by the answer.
      const first = await get(b, { extensions });
      expect(first.status).toBe(200);
      expect(first.body.data).toEqual({ site: { name: "EU Reporter" } });

      const keys = await client.keys("*");
      const key = keys.find((k) => k.includes(sha256(query)));
      expect(key).toBeDefined();
      const ttl = await client.ttl(key!);
      expect(ttl).toBeGreaterThan(500);
      expect(ttl).toBeLessThanOrEqual(600);

      // Redis away: a hash is unknown (the client sends its text again), never an error or a wait.
      await redis.stop();
      const started = Date.now();
      const away = await get(b, { extensions });
      expect(away.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
      expect((await post(b, { query, extensions })).body.data).toEqual({ site: { name: "EU Reporter" } });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      client.disconnect();
      await b.close();
      await a.close();
      await redis.destroy();
    }
  });
});
