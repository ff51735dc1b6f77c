import { PrivateSearchd } from "../../bench/searchd";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COURANT_BIN, cleanEnv, post, runCli, serve } from "../helpers/cli";
import { canConnect, freePort } from "../helpers/private-mariadb";
import { counterValue, until } from "../helpers/wait";
import { DATABASES } from "../helpers/databases";
import { DEFAULT_NOW, gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";

/**
 * Search through the engine (SEARCH_ENGINE_URL, a private Sphinx searchd) as editors and readers
 * drive it: what the editorial API changes is searchable in the mutation's answer, cached answers
 * hear of it, an outage falls back to the database and catches up after, and writes past the
 * event stream need `courant search rebuild`. The search behaviour itself (ranking, filters,
 * pages, visibility, hostile input) is search.e2e.test.ts, run through the engine as well.
 */
const run = PrivateSearchd.available() || process.env.CI ? describe : describe.skip;
if (!PrivateSearchd.available())
  console.warn("search engine tests skipped: searchd (Debian package sphinxsearch) is not installed");

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`;
const PUBLISH = `mutation($id: ID!, $at: DateTimeISO) { publishArticle(id: $id, at: $at) { id status } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id } }`;
const UNPUBLISH = `mutation($id: ID!) { unpublishArticle(id: $id) { id status } }`;
const DELETE = `mutation($id: ID!) { deleteArticle(id: $id) }`;
const SEARCH = `query($q: String!, $first: Int, $after: String) {
  search(query: $q, first: $first, after: $after) { totalCount edges { cursor node { id title } } pageInfo { hasNextPage endCursor } }
}`;

const codeOf = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;

async function searchesBy(gw: TestGateway): Promise<{ engine: number; database: number }> {
  const count = async (by: string) => (await counterValue(gw.url, "courant_searches_total", `by="${by}"`)) || 0;
  return { engine: await count("engine"), database: await count("database") };
}

run.each(DATABASES)("the search engine on %s", (kind) => {
  let searchd: PrivateSearchd;
  let gw: TestGateway;
  let editor: Record<string, string>;
  let sectionId: string;

  beforeAll(async () => {
    searchd = await PrivateSearchd.start();
    gw = await startGateway(kind, {
      env: {
        SEARCH_ENGINE_URL: searchd.url,
        SEARCH_ENGINE_RETRY_MS: "100",
        RESPONSE_CACHE: "true",
        EVENTS_POLL_MS: "100",
      },
    });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    sectionId = gid("Section", (await gw.factory.section({ slug: "news", name: "News" })).id);
    // Filled at start (an empty database here); searches wait for that before the engine answers.
    await until(
      async () => gw.courant.deps.searchEngine!.feeder.ready,
      (ready) => ready,
    );
  });

  afterAll(async () => {
    await gw?.close();
    await searchd?.destroy();
  });

  const search = async (q: string, variables: Record<string, unknown> = {}) => {
    const res = await gw.gql(SEARCH, { q, ...variables });
    expect(res.body.errors).toBeUndefined();
    return {
      res,
      titles: (res.body.data.search.edges as Array<{ node: { title: string } }>).map((e) => e.node.title),
      data: res.body.data.search as { totalCount: number; pageInfo: { endCursor: string } },
    };
  };

  const create = async (title: string, body: string) => {
    const res = await gw.gql(
      CREATE,
      { input: { title, language: "en", sectionId, authorIds: [], body: `<p>${body}</p>` } },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    return res.body.data.createArticle.id as string;
  };

  it("finds what an editor publishes in the mutation's answer, and follows updates, unpublishing and deletion", async () => {
    const id = await create("Okapi spotted near the border", "A rare okapi was seen.");
    expect((await search("okapi")).titles).toEqual([]);
    const before = await searchesBy(gw);
    await gw.gql(PUBLISH, { id }, editor);
    // No waiting: the writer's instance indexes the change before it answers.
    expect((await search("okapi")).titles).toEqual(["Okapi spotted near the border"]);
    expect((await searchesBy(gw)).engine).toBeGreaterThan(before.engine);

    await gw.gql(UPDATE, { id, input: { title: "Tapir spotted near the border", body: "<p>A tapir.</p>" } }, editor);
    expect((await search("tapir")).titles).toEqual(["Tapir spotted near the border"]);
    expect((await search("okapi")).titles).toEqual([]);

    await gw.gql(UNPUBLISH, { id }, editor);
    expect((await search("tapir")).titles).toEqual([]);
    await gw.gql(PUBLISH, { id }, editor);
    expect((await search("tapir")).titles).toEqual(["Tapir spotted near the border"]);
    await gw.gql(DELETE, { id }, editor);
    expect((await search("tapir")).titles).toEqual([]);
  });

  it("never serves a cached answer older than the engine's index", async () => {
    const first = await search("quokka");
    expect(first.titles).toEqual([]);
    expect((await search("quokka")).res.headers.get("x-cache")).toBe("HIT");
    const id = await create("Quokka smiles for the camera", "The quokka.");
    await gw.gql(PUBLISH, { id }, editor);
    const after = await search("quokka");
    expect(after.titles).toEqual(["Quokka smiles for the camera"]);
    expect(after.res.headers.get("x-cache")).toBe("MISS");
  });

  it("keeps a scheduled article out of search until its moment, then finds it without any write", async () => {
    const id = await create("Narwhal census announced", "The narwhal count.");
    const moment = new Date(DEFAULT_NOW.getTime() + 3_600_000);
    expect((await gw.gql(PUBLISH, { id, at: moment.toISOString() }, editor)).body.data.publishArticle.status).toBe(
      "SCHEDULED",
    );
    expect((await search("narwhal census")).titles).toEqual([]);
    gw.clock.now = new Date(moment.getTime() + 1000);
    try {
      // Another page size: an answer the response cache has not kept (moments and the cache: freshness.e2e).
      expect((await search("narwhal census", { first: 7 })).titles).toEqual(["Narwhal census announced"]);
    } finally {
      gw.clock.now = DEFAULT_NOW;
    }
  });

  it("answers from the database while the engine is down, refuses its cursors, and catches up once it is back", async () => {
    for (const n of [1, 2, 3]) await gw.gql(PUBLISH, { id: await create(`Zebu market ${n}`, "zebu trade") }, editor);
    const page = await search("zebu", { first: 2 });
    expect(page.data.totalCount).toBe(3);

    await searchd.stop();
    const before = await searchesBy(gw);
    const down = await search("zebu market", { first: 10 });
    expect(down.titles.sort()).toEqual(["Zebu market 1", "Zebu market 2", "Zebu market 3"]);
    expect((await searchesBy(gw)).database).toBe(before.database + 1);
    const later = await gw.gql(SEARCH, { q: "zebu", first: 2, after: page.data.pageInfo.endCursor });
    expect(codeOf(later)).toBe("SERVICE_UNAVAILABLE");
    expect(later.body.errors?.[0]?.message).not.toMatch(/ECONNREFUSED|sphinx|select/i);
    // Editors keep working; what they change is indexed when the engine is back.
    const fourth = await create("Zebu market 4", "zebu trade");
    expect((await gw.gql(PUBLISH, { id: fourth }, editor)).body.errors).toBeUndefined();

    await searchd.start();
    await until(
      async () => gw.courant.deps.searchEngine!.feeder.ready,
      (ready) => ready,
    );
    const back = await searchesBy(gw);
    const caught = await search("zebu market", { first: 10 });
    expect(caught.titles.sort()).toEqual(["Zebu market 1", "Zebu market 2", "Zebu market 3", "Zebu market 4"]);
    expect((await searchesBy(gw)).engine).toBe(back.engine + 1);
  });

  it("holds writes made past the event stream only after `courant search rebuild`", async () => {
    const f = gw.factory;
    const raw = await f.section({ slug: "raw", name: "Raw" });
    await f.article({ title: "Wombat burrows mapped", body: "<p>Wombat.</p>", sectionId: raw.id });
    expect((await search("wombat burrows")).titles).toEqual([]);
    // The operator's rebuild runs beside the serving gateway, which keeps answering meanwhile.
    const child = spawn(process.execPath, [COURANT_BIN, "search", "rebuild"], {
      env: cleanEnv({ DATABASE_URL: gw.courant.deps.config.databaseUrl, SEARCH_ENGINE_URL: searchd.url }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    let answered = 0;
    while (child.exitCode === null) {
      expect((await search("zebu market", { first: 9 })).titles).toHaveLength(4);
      answered++;
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = { status: await exited, stdout, stderr };
    expect(answered).toBeGreaterThan(0);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout).toMatch(/^indexed \d+ articles in [\d.]+ s$/m);
    // The factory's write announced nothing, so the cached miss above is still served until it expires:
    // ask with a variable the cache has not seen.
    // The gateway saw the engine emptied and refilled; it answers from the engine again.
    expect(
      await until(
        async () => gw.courant.deps.searchEngine!.feeder.ready,
        (ready) => ready,
      ),
    ).toBe(true);
    const before = await searchesBy(gw);
    expect((await search("wombat burrows", { first: 5 })).titles).toEqual(["Wombat burrows mapped"]);
    expect((await searchesBy(gw)).engine).toBe(before.engine + 1);
    expect((await search("zebu market", { first: 10 })).titles).toHaveLength(4);
  });

  it("keeps one engine current for every instance: a write on one is searchable on the other at once", async () => {
    const other = await startGateway(kind, {
      databaseUrl: gw.courant.deps.config.databaseUrl,
      env: { SEARCH_ENGINE_URL: searchd.url, RESPONSE_CACHE: "true", EVENTS_POLL_MS: "100" },
    });
    try {
      await until(
        async () => other.courant.deps.searchEngine!.feeder.ready,
        (ready) => ready,
      );
      const ask = async () =>
        ((await other.gql(SEARCH, { q: "pangolin" })).body.data.search.edges as Array<{ node: { title: string } }>).map(
          (e) => e.node.title,
        );
      expect(await ask()).toEqual([]);
      await gw.gql(PUBLISH, { id: await create("Pangolin rescued", "A pangolin.") }, editor);
      // The other instance hears of the change within its poll; its cached miss is evicted only
      // once its own feeder has indexed the change, so it never caches the old answer again.
      expect(await until(ask, (titles) => titles.length === 1, 5000)).toEqual(["Pangolin rescued"]);
    } finally {
      await other.close();
    }
  });
});

run("the README's search engine commands", () => {
  it("config, searchd, serve: the embedded demo is searchable in the engine it filled at start", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "courant-readme-search-"));
    const port = await freePort();
    let searchd: ChildProcess | undefined;
    let server: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      // npx courant search config --dir ... --port ... > sphinx.conf
      const config = runCli(["search", "config", "--dir", path.join(cwd, "search"), "--port", String(port)], {}, cwd);
      expect({ status: config.status, stderr: config.stderr }).toEqual({ status: 0, stderr: "" });
      fs.mkdirSync(path.join(cwd, "search"));
      fs.writeFileSync(path.join(cwd, "sphinx.conf"), config.stdout);
      // searchd --config sphinx.conf (kept in the foreground here, so the test can stop it)
      searchd = spawn("searchd", ["--config", "sphinx.conf", "--nodetach"], { cwd, stdio: "ignore" });
      for (let i = 0; i < 100 && !(await canConnect(port)); i++) await new Promise((r) => setTimeout(r, 50));
      // SEARCH_ENGINE_URL=... npx courant serve (the embedded default: SQLite with the demo)
      server = await serve({ SEARCH_ENGINE_URL: `sphinx://127.0.0.1:${port}` }, cwd);
      const s = server;
      const ask = () =>
        post(
          s.url,
          `{ search(query: "Baku Yerevan", filter: { language: "en" }) { totalCount edges { node { title } } } }`,
        );
      const byEngine = async () => (await counterValue(s.url, "courant_searches_total", 'by="engine"')) || 0;
      // Filled at start, in the background (the database answers until then, and the response
      // cache keeps those answers: they are the same).
      expect(
        await until(
          async () => s.output(),
          (out) => /search engine: filled/.test(out),
        ),
      ).toMatch(/search engine: filled/);
      const before = await byEngine();
      const res = await ask();
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.search.totalCount).toBeGreaterThan(0);
      expect(await byEngine()).toBe(before + 1);
    } finally {
      await server?.stop();
      searchd?.kill("SIGTERM");
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
