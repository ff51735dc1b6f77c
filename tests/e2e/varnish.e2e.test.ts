import http from "node:http";
import { drillWxr } from "../../bench/writers-drill";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";
import { freePort } from "../helpers/private-mariadb";
import { PrivateVarnish } from "../helpers/private-varnish";
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COURANT_BIN, cleanEnv } from "../helpers/cli";

// In CI it always runs (.ci/run installs Varnish), so a missing install fails instead of skipping.
const run = PrivateVarnish.available() || process.env.CI ? describe : describe.skip;
if (!PrivateVarnish.available())
  console.log(
    "SKIPPED the Varnish tests: varnishd or varnish-modules (xkey) is not installed (apt-get install varnish varnish-modules)",
  );

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`;
const PUBLISH = `mutation($id: ID!, $at: DateTimeISO) { publishArticle(id: $id, at: $at) { id } }`;
/**
 * Past the purges of what was just written and their repeat (CDN_PURGE_REPEAT_MS=300), with room
 * for a busy machine: 400 ms once let a late repeat evict an answer just warmed.
 */
const settle = () => new Promise((r) => setTimeout(r, 1000));

interface Answer {
  status: number;
  body: any;
  cache: string | null;
}

/** A GraphQL GET through Varnish, as a web frontend's CDN-cached request would be. */
async function viaVarnish(varnish: PrivateVarnish, query: string, variables: Record<string, unknown> = {}) {
  const url = `${varnish.url}/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
  const res = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
  return { status: res.status, body: await res.json(), cache: res.headers.get("x-varnish-cache") } as Answer;
}

async function until<T>(ask: () => Promise<T>, done: (r: T) => boolean, ms = 3000) {
  const started = Date.now();
  let last = await ask();
  while (!done(last) && Date.now() - started < ms) {
    await new Promise((r) => setTimeout(r, 10));
    last = await ask();
  }
  return { last, ms: Date.now() - started };
}

function importFile(databaseUrl: string, xml: string): Promise<number | null> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-varnish-import-"));
  fs.writeFileSync(path.join(dir, "export.xml"), xml);
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [COURANT_BIN, "import", "wordpress", "--from-file", path.join(dir, "export.xml")],
      {
        env: cleanEnv({ DATABASE_URL: databaseUrl }),
      },
    );
    child.once("exit", (code) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve(code);
    });
  });
}

run.each(DATABASES)("Varnish in front of the gateway (deploy/varnish.vcl) on %s", (kind) => {
  let gw: TestGateway;
  let varnish: PrivateVarnish;
  let editor: Record<string, string>;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    const varnishPort = await freePort();
    gw = await startGateway(kind, {
      env: {
        RESPONSE_CACHE: "true",
        EVENTS_POLL_MS: "100",
        CDN_PURGE: "varnish",
        CDN_PURGE_URL: `http://127.0.0.1:${varnishPort}`,
        CDN_PURGE_REPEAT_MS: "300",
      },
    });
    varnish = await PrivateVarnish.start({ host: "127.0.0.1", port: Number(new URL(gw.url).port) }, varnishPort);
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    const f = gw.factory;
    Object.assign(ids, {
      eu: (await f.section({ slug: "eu", name: "EU" })).id,
      world: (await f.section({ slug: "world", name: "World" })).id,
      ana: (await f.author({ slug: "ana", name: "Ana" })).id,
      bo: (await f.author({ slug: "bo", name: "Bo" })).id,
      energy: (await f.tag({ slug: "energy", name: "Energy" })).id,
      farming: (await f.tag({ slug: "farming", name: "Farming" })).id,
    });
    // Background articles: the EU one in English with a Dutch version; one World article in German.
    const eu = await f.article({
      sectionId: ids.eu!,
      authorIds: [ids.ana!],
      tagIds: [ids.energy!],
      title: "Grid deal",
    });
    await f.article({
      sectionId: ids.eu!,
      authorIds: [ids.ana!],
      language: "nl",
      storyKey: eu.storyKey,
      title: "Netakkoord",
    });
    await f.article({
      sectionId: ids.world!,
      authorIds: [ids.bo!],
      tagIds: [ids.farming!],
      language: "de",
      title: "Ernte",
    });
  });
  afterAll(async () => {
    await varnish?.stop();
    await gw?.close();
  });

  const create = async (title: string) =>
    (
      await gw.gql(
        CREATE,
        {
          input: {
            title,
            language: "en",
            sectionId: gid("Section", ids.eu!),
            authorIds: [gid("Author", ids.ana!)],
            tags: ["Energy"],
            body: "<p>Energy ministers met.</p>",
          },
        },
        editor,
      )
    ).body.data.createArticle as { id: string; slug: string };

  it("caches public GET answers and passes editors through", async () => {
    const q = `{ sections { slug } }`;
    expect((await viaVarnish(varnish, q)).cache).toBe("MISS");
    const hit = await viaVarnish(varnish, q);
    expect(hit.cache).toBe("HIT");
    expect(hit.body.data.sections.map((s: { slug: string }) => s.slug)).toEqual(
      expect.arrayContaining(["eu", "world"]),
    );
    const res = await fetch(`${varnish.url}/graphql?query=${encodeURIComponent(q)}`, {
      headers: { "apollo-require-preflight": "true", ...editor },
    });
    expect(res.headers.get("x-varnish-cache")).toBe("MISS");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    // Purges only from Courant's addresses, and only with keys.
    expect((await fetch(varnish.url, { method: "PURGE" })).status).toBe(400);
  });

  it("a cached not-found lookup by slug is purged when the draft is published", async () => {
    const a = await create("Published through Varnish");
    await settle();
    const q = `query($s: String!) { article(slug: $s, language: "en") { title } }`;
    expect((await viaVarnish(varnish, q, { s: a.slug })).body.data.article).toBeNull();
    expect((await viaVarnish(varnish, q, { s: a.slug })).cache).toBe("HIT");
    await gw.gql(PUBLISH, { id: a.id }, editor);
    const seen = await until(
      () => viaVarnish(varnish, q, { s: a.slug }),
      (r) => r.body.data.article !== null,
    );
    expect(seen.last.body.data.article).toEqual({ title: "Published through Varnish" });
    expect(seen.ms).toBeLessThan(1000);
  });

  it("a scheduled article's moment purges what it changes, within a second", async () => {
    const a = await create("Scheduled through Varnish");
    const moment = new Date(gw.clock.now.getTime() + 60_000);
    await gw.gql(PUBLISH, { id: a.id, at: moment.toISOString() }, editor);
    await settle();
    const q = `query($id: ID!) { article(id: $id) { title } }`;
    expect((await viaVarnish(varnish, q, { id: a.id })).body.data.article).toBeNull();
    expect((await viaVarnish(varnish, q, { id: a.id })).cache).toBe("HIT");
    const saved = gw.clock.now;
    try {
      gw.clock.now = new Date(moment.getTime() + 1);
      const seen = await until(
        () => viaVarnish(varnish, q, { id: a.id }),
        (r) => r.body.data.article !== null,
      );
      expect(seen.last.body.data.article).toEqual({ title: "Scheduled through Varnish" });
      expect(seen.ms).toBeLessThan(1000);
    } finally {
      gw.clock.now = saved;
    }
  });

  it("an import run from the command line purges what it changes", async () => {
    const q = `{ sections { slug } }`;
    await viaVarnish(varnish, q);
    expect((await viaVarnish(varnish, q)).cache).toBe("HIT");
    expect(await importFile(gw.courant.deps.config.databaseUrl, drillWxr(2, `varnish-${kind}`))).toBe(0);
    const seen = await until(
      () => viaVarnish(varnish, q),
      (r) => r.body.data.sections.some((s: { slug: string }) => s.slug === "drill-news"),
    );
    expect(seen.last.body.data.sections.map((s: { slug: string }) => s.slug)).toContain("drill-news");
    expect(seen.ms).toBeLessThan(1500);
  });

  it("exact invalidation: after each kind of change every answer through Varnish is fresh within a second, and answers about other things stay hits", async () => {
    const a = await create("Matrix story");
    const other = await create("Unrelated bystander");
    await gw.gql(PUBLISH, { id: other.id }, editor);
    const warm: Record<string, { q: string; v?: Record<string, unknown>; stays?: boolean }> = {
      byId: { q: `query($id: ID!) { article(id: $id) { title status } }`, v: { id: a.id } },
      bySlug: { q: `query($s: String!) { article(slug: $s, language: "en") { title } }`, v: { s: a.slug } },
      section: { q: `{ articles(filter: { section: "eu" }, first: 50) { totalCount nodes { title } } }` },
      author: { q: `{ articles(filter: { author: "ana" }, first: 50) { totalCount nodes { title } } }` },
      tag: { q: `{ articles(filter: { tag: "energy" }, first: 50) { totalCount nodes { title } } }` },
      language: { q: `{ articles(filter: { language: "en" }, first: 50) { totalCount nodes { title } } }` },
      fallback: {
        q: `{ articles(filter: { language: "lt", fallbackLanguages: ["en"] }, first: 50) { totalCount nodes { title } } }`,
      },
      related: { q: `query($id: ID!) { article(id: $id) { related { title } } }`, v: { id: other.id } },
      search: { q: `{ search(query: "energy ministers") { totalCount edges { node { title } } } }` },
      trending: { q: `{ trending(window: DAY) { items { article { title } } } }` },
      notFound: { q: `{ article(slug: "no-such-story", language: "en") { title } }` },
      otherSection: { q: `{ articles(filter: { section: "world" }, first: 50) { nodes { title } } }`, stays: true },
      otherAuthor: { q: `{ articles(filter: { author: "bo" }, first: 50) { nodes { title } } }`, stays: true },
      otherTag: { q: `{ articles(filter: { tag: "farming" }, first: 50) { nodes { title } } }`, stays: true },
      otherLanguage: { q: `{ articles(filter: { language: "de" }, first: 50) { nodes { title } } }`, stays: true },
      otherLookup: { q: `query($id: ID!) { article(id: $id) { title } }`, v: { id: other.id }, stays: true },
      sectionsTree: { q: `{ sections { slug } }`, stays: true },
    };
    const fresh = async (name: string) => (await gw.gql(warm[name]!.q, warm[name]!.v)).body;
    const varnishOf = (name: string) => viaVarnish(varnish, warm[name]!.q, warm[name]!.v);
    const saved = gw.clock.now;
    const steps: Array<[string, () => Promise<unknown>]> = [
      ["publish", () => gw.gql(PUBLISH, { id: a.id }, editor)],
      [
        "update",
        () =>
          gw.gql(
            `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Matrix story, updated" }) { id } }`,
            { id: a.id },
            editor,
          ),
      ],
      ["unpublish", () => gw.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id: a.id }, editor)],
      [
        "schedule (moment passes)",
        async () => {
          const moment = new Date(gw.clock.now.getTime() + 30_000);
          await gw.gql(PUBLISH, { id: a.id, at: moment.toISOString() }, editor);
          // Re-warm: the schedule itself is a change; what the matrix checks is the moment.
          await settle();
          for (const name of Object.keys(warm)) await varnishOf(name);
          gw.clock.now = new Date(moment.getTime() + 1);
        },
      ],
      ["delete", () => gw.gql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id: a.id }, editor)],
    ];
    let overPurged = 0;
    let unaffected = 0;
    try {
      for (const [step, act] of steps) {
        await settle();
        const before: Record<string, string> = {};
        for (const name of Object.keys(warm)) {
          await varnishOf(name);
          const again = await varnishOf(name);
          expect([step, name, again.cache]).toEqual([step, name, "HIT"]);
          before[name] = JSON.stringify(again.body);
        }
        await act();
        const started = Date.now();
        for (const name of Object.keys(warm)) {
          const want = JSON.stringify(await fresh(name));
          const seen = await until(
            () => varnishOf(name),
            (r) => JSON.stringify(r.body) === want,
            1500,
          );
          // Under-purge: never. Every answer is the fresh one within a second of the change.
          expect([step, name, JSON.stringify(seen.last.body)]).toEqual([step, name, want]);
          if (want === before[name]) {
            unaffected += 1;
            if (seen.last.cache !== "HIT") overPurged += 1;
            if (warm[name]!.stays) expect([step, name, seen.last.cache]).toEqual([step, name, "HIT"]);
          }
        }
        expect([step, Date.now() - started < 1000 + 200 * Object.keys(warm).length]).toEqual([step, true]);
      }
    } finally {
      gw.clock.now = saved;
    }
    console.log(
      `Varnish matrix on ${kind}: ${overPurged} of ${unaffected} unchanged answers were purged anyway (over-purge ${((100 * overPurged) / Math.max(1, unaffected)).toFixed(0)}%); under-purge 0`,
    );
    expect(unaffected).toBeGreaterThan(20);
  }, 60_000);
});

/** A purge endpoint under the test's control: hangs, fails or records. */
function purgeEndpoint() {
  const received: Array<{ path: string; headers: http.IncomingHttpHeaders; body: any }> = [];
  let mode: "ok" | "hang" | "fail" = "ok";
  const server = http.createServer((req, res) => {
    let text = "";
    req.on("data", (d) => (text += d));
    req.on("end", () => {
      if (mode === "hang") return; // never answers
      if (mode === "fail") {
        res.writeHead(500).end("down");
        return;
      }
      received.push({ path: req.url ?? "", headers: req.headers, body: text ? JSON.parse(text) : null });
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","success":true}');
    });
  });
  return {
    received,
    set: (m: "ok" | "hang" | "fail") => (mode = m),
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as { port: number }).port}`)),
      ),
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

describe("CDN purges never hold a write, are retried until taken, and speak each CDN's API", () => {
  it("a hanging, then failing purge endpoint: writes answer at once, purges arrive once it recovers", async () => {
    const endpoint = purgeEndpoint();
    const url = await endpoint.listen();
    const gw = await startGateway("sqlite", {
      env: {
        CDN_PURGE: "http",
        CDN_PURGE_URL: `${url}/purge`,
        CDN_PURGE_TOKEN: "s3cret",
        CDN_PURGE_TIMEOUT_MS: "2000",
      },
    });
    try {
      const editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
      const s = gid("Section", (await gw.factory.section({ slug: "purge" })).id);
      endpoint.set("hang");
      const slowest: number[] = [];
      let lastId = "";
      for (let i = 0; i < 10; i++) {
        const started = Date.now();
        const res = await gw.gql(
          CREATE,
          { input: { title: `Held ${i}`, language: "en", sectionId: s, authorIds: [], body: "<p>x</p>" } },
          editor,
        );
        expect(res.body.errors).toBeUndefined();
        lastId = res.body.data.createArticle.id;
        slowest.push(Date.now() - started);
        if (i === 5) endpoint.set("fail");
      }
      // Not one write waited for the purge (each would have taken the 2 s timeout).
      expect(Math.max(...slowest)).toBeLessThan(2000);
      expect(endpoint.received).toEqual([]);
      endpoint.set("ok");
      const articleKey = `a-${Buffer.from(lastId, "base64url").toString().split(":")[1]}`;
      const delivered = await until(
        async () => endpoint.received.flatMap((r) => r.body.keys as string[]),
        (keys) => keys.includes(articleKey),
        10_000,
      );
      expect(delivered.last).toContain(articleKey);
      expect(endpoint.received[0]!.headers.authorization).toBe("Bearer s3cret");
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^courant_cdn_purge_requests_total\{outcome="failed"\} [1-9]/m);
      expect(metrics).toMatch(/^courant_cdn_purge_requests_total\{outcome="ok"\} [1-9]/m);
    } finally {
      await gw.close();
      await endpoint.close();
    }
  }, 30_000);

  it.each([
    [
      "fastly",
      "/service/svc-1/purge",
      (r: any) => r.headers["fastly-key"] === "tok" && Array.isArray(r.body.surrogate_keys),
    ],
    [
      "cloudflare",
      "/zones/zone-1/purge_cache",
      (r: any) => r.headers.authorization === "Bearer tok" && r.body.tags.length <= 30,
    ],
  ])("%s: purges by key in the form its API takes", async (cdn, expectedPath, wellFormed) => {
    const endpoint = purgeEndpoint();
    const url = await endpoint.listen();
    const gw = await startGateway("sqlite", {
      env: {
        CDN_PURGE: cdn,
        CDN_PURGE_URL: url,
        CDN_PURGE_TOKEN: "tok",
        CDN_PURGE_SERVICE: cdn === "fastly" ? "svc-1" : "zone-1",
      },
    });
    try {
      const editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
      const s = gid("Section", (await gw.factory.section({ slug: `cdn-${cdn}` })).id);
      await gw.gql(
        CREATE,
        { input: { title: "Keyed", language: "en", sectionId: s, authorIds: [], body: "<p>x</p>" } },
        editor,
      );
      const got = await until(
        async () => endpoint.received.length,
        (n) => n > 0,
        5000,
      );
      expect(got.last).toBeGreaterThan(0);
      expect(endpoint.received.every((r) => r.path === expectedPath && wellFormed(r))).toBe(true);
      const keys = endpoint.received.flatMap((r: any) => r.body.surrogate_keys ?? r.body.tags);
      expect(keys).toEqual(
        expect.arrayContaining([`ls-${Buffer.from(s, "base64url").toString().split(":")[1]}`, "l-all"]),
      );
    } finally {
      await gw.close();
      await endpoint.close();
    }
  });
});
