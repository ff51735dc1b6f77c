import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { drillWxr } from "../../bench/writers-drill";
import { COURANT_BIN, cleanEnv } from "../helpers/cli";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import { PrivateRedis } from "../helpers/private-redis";

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug version } }`;
const PUBLISH = `mutation($id: ID!, $at: DateTimeISO, $unpublishAt: DateTimeISO) { publishArticle(id: $id, at: $at, unpublishAt: $unpublishAt) { id status unpublishAt } }`;
const POLL_MS = 100;

/** Asks again until `done` holds, at most `ms`; returns the last answer and how long it took. */
async function until(ask: () => Promise<GqlResponse>, done: (r: GqlResponse) => boolean, ms = 3000) {
  const started = Date.now();
  let last = await ask();
  while (!done(last) && Date.now() - started < ms) {
    await new Promise((r) => setTimeout(r, 20));
    last = await ask();
  }
  return { last, ms: Date.now() - started };
}

/** Runs `courant import wordpress --from-file` as a user would, against `databaseUrl`. */
function importFile(databaseUrl: string, xml: string): Promise<{ code: number | null; out: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-fresh-import-"));
  const file = path.join(dir, "export.xml");
  fs.writeFileSync(file, xml);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [COURANT_BIN, "import", "wordpress", "--from-file", file], {
      env: cleanEnv({ DATABASE_URL: databaseUrl }),
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.once("exit", (code) => {
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code, out });
    });
  });
}

describe.each(DATABASES)("freshness through the response cache on %s", (kind) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let sectionId: string;

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { RESPONSE_CACHE: "true", EVENTS_POLL_MS: String(POLL_MS) } });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    sectionId = gid("Section", (await gw.factory.section({ slug: "fresh", name: "Fresh" })).id);
  });
  afterAll(() => gw?.close());

  const create = async (title: string, extra: Record<string, unknown> = {}) =>
    (
      await gw.gql(
        CREATE,
        { input: { title, language: "en", sectionId, authorIds: [], body: "<p>x</p>", ...extra } },
        editor,
      )
    ).body.data.createArticle as { id: string; slug: string; version: number };

  it("a lookup by slug that found a draft's slug nothing is evicted when the draft is published", async () => {
    const a = await create("Fresh from the desk");
    const lookup = () => gw.gql(`query($s: String!) { article(slug: $s, language: "en") { title } }`, { s: a.slug });
    const miss = await lookup();
    expect(miss.body.data.article).toBeNull();
    expect(miss.headers.get("x-cache")).toBe("MISS");
    const hit = await lookup();
    expect(hit.body.data.article).toBeNull();
    expect(hit.headers.get("x-cache")).toBe("HIT");
    await gw.gql(PUBLISH, { id: a.id }, editor);
    const after = await lookup();
    expect(after.body.data.article).toEqual({ title: "Fresh from the desk" });
    expect(after.headers.get("x-cache")).toBe("MISS");
  });

  it("a scheduled article appears in cached lookups and lists within a second of its moment, and answers before it are kept no longer than until it", async () => {
    const a = await create("Embargoed until three seconds from now");
    const moment = new Date(gw.clock.now.getTime() + 3000);
    await gw.gql(PUBLISH, { id: a.id, at: moment.toISOString() }, editor);
    const byId = () => gw.gql(`query($id: ID!) { article(id: $id) { title } }`, { id: a.id });
    const list = () => gw.gql(`{ articles(filter: { section: "fresh" }, first: 50) { nodes { id } } }`);
    expect((await byId()).body.data.article).toBeNull();
    const cached = await byId();
    expect(cached.headers.get("x-cache")).toBe("HIT");
    // Capped to the moment: no cache anywhere keeps this "not yet" past it.
    expect(cached.headers.get("cache-control")).toMatch(/s-maxage=[0-3]\b/);
    expect((await list()).body.data.articles.nodes.map((n: { id: string }) => n.id)).not.toContain(a.id);
    const saved = gw.clock.now;
    try {
      gw.clock.now = new Date(moment.getTime() + 1);
      const seen = await until(byId, (r) => r.body.data.article !== null, 1500);
      expect(seen.last.body.data.article).toEqual({ title: "Embargoed until three seconds from now" });
      expect(seen.ms).toBeLessThan(1000);
      expect((await list()).body.data.articles.nodes.map((n: { id: string }) => n.id)).toContain(a.id);
      // The moment was emitted as one event.
      const [row] = await gw.ds.query(
        "SELECT COUNT(*) AS n FROM content_events WHERE type = 'article.published' AND touches LIKE ?",
        [`%"articleIds":[${Buffer.from(a.id, "base64url").toString().split(":")[1]}]%`],
      );
      expect(Number(row.n)).toBe(1);
    } finally {
      gw.clock.now = saved;
    }
  });

  it("unpublishes by itself at unpublishAt: gone from cached lookups within a second, back to draft for editors", async () => {
    const a = await create("A story for one day");
    const end = new Date(gw.clock.now.getTime() + 2000);
    const published = (await gw.gql(PUBLISH, { id: a.id, unpublishAt: end.toISOString() }, editor)).body.data;
    expect(published.publishArticle).toMatchObject({ status: "PUBLISHED", unpublishAt: end.toISOString() });
    const byId = () => gw.gql(`query($id: ID!) { article(id: $id) { title } }`, { id: a.id });
    expect((await byId()).body.data.article).toEqual({ title: "A story for one day" });
    expect((await byId()).headers.get("x-cache")).toBe("HIT");
    const saved = gw.clock.now;
    try {
      gw.clock.now = new Date(end.getTime() + 1);
      const gone = await until(byId, (r) => r.body.data.article === null, 1500);
      expect(gone.last.body.data.article).toBeNull();
      expect(gone.ms).toBeLessThan(1000);
      const editorView = await gw.gql(
        `query($id: ID!) { article(id: $id) { status unpublishAt } }`,
        { id: a.id },
        editor,
      );
      expect(editorView.body.data.article).toEqual({ status: "DRAFT", unpublishAt: null });
    } finally {
      gw.clock.now = saved;
    }
    const bad = await gw.gql(
      PUBLISH,
      { id: a.id, unpublishAt: new Date(gw.clock.now.getTime() - 1000).toISOString() },
      editor,
    );
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "unpublishAt" });
  });

  it("writes made outside the gateway (an import run from the command line) evict its cache within the poll interval", async () => {
    const sections = () => gw.gql(`{ sections { slug } }`);
    const english = () => gw.gql(`{ articles(filter: { language: "en" }, first: 1) { totalCount } }`);
    const before = (await english()).body.data.articles.totalCount as number;
    expect((await sections()).body.data.sections.map((s: { slug: string }) => s.slug)).not.toContain("drill-news");
    expect((await sections()).headers.get("x-cache")).toBe("HIT");
    expect((await english()).headers.get("x-cache")).toBe("HIT");
    const run = await importFile(gw.courant.deps.config.databaseUrl, drillWxr(5, `fresh-${kind}`));
    expect(run.code).toBe(0);
    const started = Date.now();
    const seenSections = await until(sections, (r) =>
      r.body.data.sections.some((s: { slug: string }) => s.slug === "drill-news"),
    );
    const seenArticles = await until(english, (r) => r.body.data.articles.totalCount === before + 5);
    expect(seenSections.last.body.data.sections.map((s: { slug: string }) => s.slug)).toContain("drill-news");
    expect(seenArticles.last.body.data.articles.totalCount).toBe(before + 5);
    expect(Date.now() - started).toBeLessThan(POLL_MS * 10);
  });

  it("records exactly one event for a committed write and none for one that failed", async () => {
    const a = await create("Counted");
    const count = async () => Number((await gw.ds.query("SELECT COUNT(*) AS n FROM content_events"))[0].n);
    const before = await count();
    const ok = await gw.gql(
      `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Counted once", version: 1 }) { version } }`,
      { id: a.id },
      editor,
    );
    expect(ok.body.data.updateArticle.version).toBe(2);
    expect(await count()).toBe(before + 1);
    const stale = await gw.gql(
      `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Lost", version: 1 }) { version } }`,
      { id: a.id },
      editor,
    );
    expect(stale.body.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    expect(await count()).toBe(before + 1);
  });
});

describe.each(DATABASES)("scheduled moments across two gateways on %s", (kind) => {
  it("emits each moment exactly once, whichever gateway claims it", async () => {
    const a = await startGateway(kind, { env: { EVENTS_POLL_MS: "40" } });
    const b = await startGateway(kind, {
      databaseUrl: a.courant.deps.config.databaseUrl,
      env: { EVENTS_POLL_MS: "40" },
    });
    try {
      const editor = { authorization: `Bearer ${await a.courant.deps.services.auth.create("desk", "editor")}` };
      const s = gid("Section", (await a.factory.section({ slug: "moments" })).id);
      const moment = new Date(a.clock.now.getTime() + 60_000);
      const ids: number[] = [];
      for (let i = 0; i < 20; i++) {
        const c = await a.gql(
          CREATE,
          { input: { title: `Moment ${i}`, language: "en", sectionId: s, authorIds: [], body: "<p>x</p>" } },
          editor,
        );
        await a.gql(PUBLISH, { id: c.body.data.createArticle.id, at: moment.toISOString() }, editor);
        ids.push(Number(Buffer.from(c.body.data.createArticle.id, "base64url").toString().split(":")[1]));
      }
      a.clock.now = new Date(moment.getTime() + 1);
      b.clock.now = new Date(moment.getTime() + 1);
      const pending = async () =>
        Number((await a.ds.query("SELECT COUNT(*) AS n FROM content_moments WHERE done_at IS NULL"))[0].n);
      for (let i = 0; i < 100 && (await pending()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await pending()).toBe(0);
      const rows: Array<{ touches: string }> = await a.ds.query(
        "SELECT touches FROM content_events WHERE type = 'article.published'",
      );
      const published = rows.flatMap((r) => JSON.parse(r.touches).articleIds as number[]);
      expect(published.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
    } finally {
      await b.close();
      await a.close();
    }
  });
});

const withRedis = PrivateRedis.available() || process.env.CI ? describe : describe.skip;
if (!PrivateRedis.available()) console.log("SKIPPED the Redis freshness test: redis-server is not installed here");

withRedis("two gateways, an import and Redis", () => {
  it("every writer's change evicts on both gateways at once through Redis, and within the poll interval with Redis stopped", async () => {
    const redis = await PrivateRedis.start();
    // A long poll, so that only Redis can make eviction fast.
    const env = { RESPONSE_CACHE: "true", REDIS_URL: redis.url, EVENTS_POLL_MS: "1500" };
    const a = await startGateway("sqlite", { env });
    const b = await startGateway("sqlite", { databaseUrl: a.courant.deps.config.databaseUrl, env });
    try {
      const key = { authorization: `Bearer ${await a.courant.deps.services.auth.create("desk", "editor")}` };
      const s = await a.factory.section({ slug: "shared" });
      const q = `{ articles(filter: { section: "shared" }) { totalCount } }`;
      const count = (gw: TestGateway) => async () => gw.gql(q);
      for (const gw of [a, b]) {
        expect((await gw.gql(q)).body.data.articles.totalCount).toBe(0);
        expect((await gw.gql(q)).headers.get("x-cache")).toBe("HIT");
      }
      const write = async (title: string) => {
        const c = await a.gql(
          CREATE,
          { input: { title, language: "en", sectionId: gid("Section", s.id), authorIds: [], body: "<p>x</p>" } },
          key,
        );
        await a.gql(PUBLISH, { id: c.body.data.createArticle.id }, key);
      };
      await write("Shared one");
      // a evicted before answering the mutation; b heard it through Redis, well before its poll.
      expect((await a.gql(q)).body.data.articles.totalCount).toBe(1);
      const onB = await until(count(b), (r) => r.body.data.articles.totalCount === 1, 1400);
      expect(onB.last.body.data.articles.totalCount).toBe(1);
      expect(onB.ms).toBeLessThan(700);
      // An import run from the command line: both gateways evict (its events wake neither, the poll does).
      const imported = await importFile(a.courant.deps.config.databaseUrl, drillWxr(3, "redis-import"));
      expect(imported.code).toBe(0);
      const sectionsQ = `{ sections { slug } }`;
      for (const gw of [a, b]) {
        const seen = await until(
          () => gw.gql(sectionsQ),
          (r) => r.body.data.sections.some((x: { slug: string }) => x.slug === "drill-news"),
          4000,
        );
        expect(seen.last.body.data.sections.map((x: { slug: string }) => x.slug)).toContain("drill-news");
      }
      // The third writer: gateway b. a hears it through Redis, well before its poll.
      const c = await b.gql(
        CREATE,
        {
          input: { title: "From b", language: "en", sectionId: gid("Section", s.id), authorIds: [], body: "<p>x</p>" },
        },
        key,
      );
      await b.gql(PUBLISH, { id: c.body.data.createArticle.id }, key);
      const onA = await until(count(a), (r) => r.body.data.articles.totalCount === 2, 1400);
      expect(onA.last.body.data.articles.totalCount).toBe(2);
      expect(onA.ms).toBeLessThan(700);
      // Redis stopped: b still hears, by polling, within its interval.
      await redis.stop();
      await write("Shared three");
      const late = await until(count(b), (r) => r.body.data.articles.totalCount === 3, 4000);
      expect(late.last.body.data.articles.totalCount).toBe(3);
      expect(late.ms).toBeLessThan(1500 + 1000);
    } finally {
      await b.close();
      await a.close();
      await redis.destroy();
    }
  }, 30_000);
});
