import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { serve } from "../helpers/cli";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";
import { PrivateRedis } from "../helpers/private-redis";
import { subscribe, wsClient } from "../helpers/subscriber";

const LIVE = `subscription($id: ID!) { liveBlogUpdated(articleId: $id) {
  event postId post { id title pinned body { text } } liveBlog { status pinned { id } } } }`;
const PUBLISHED = `subscription($section: String, $language: String) {
  articlePublished(section: $section, language: $language) { id title status section { slug } } }`;
const ADD = `mutation($id: ID!, $input: AddLivePostInput!) { addLivePost(articleId: $id, input: $input) { id } }`;

/** Lets the other side's event tail and feed run: Redis wakes it at once, polling within 500 ms. */
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

/** Waits until `more` subscriptions than `from` listen on the gateway's live feed (a busy machine may take a while). */
async function listening(gw: TestGateway, from: number, more: number): Promise<void> {
  const feed = gw.courant.deps.services.liveFeed;
  for (let i = 0; i < 250 && feed.subscribers < from + more; i++) await settle(20);
  expect(feed.subscribers).toBeGreaterThanOrEqual(from + more);
}
const listeners = (gw: TestGateway) => gw.courant.deps.services.liveFeed.subscribers;

/** Resolves once the gateway's event tail has passed on a change of this type (whoever made it). */
function heard(gw: TestGateway, type: string): Promise<void> {
  return new Promise((resolve) => {
    const stop = gw.courant.deps.events.onChange((change) => {
      if (change.type !== type) return;
      stop();
      resolve();
    });
  });
}

describe.each(DATABASES)("subscriptions across two gateways on %s", (kind) => {
  let redis: PrivateRedis;
  let a: TestGateway;
  let b: TestGateway;
  let editor: Record<string, string>;
  let sectionId: number;
  const clients: Array<ReturnType<typeof wsClient>> = [];
  const client = (gw: TestGateway, onClose?: (code: number, reason: string) => void) => {
    const c = wsClient(gw.url, { onClose });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    // Polling is slow on purpose: delivery within the test's time proves the Redis wake-up.
    const env = { REDIS_URL: redis.url, EVENTS_POLL_MS: "30000" };
    a = await startGateway(kind, { env });
    b = await startGateway(kind, { env, databaseUrl: a.courant.deps.config.databaseUrl });
    editor = { authorization: `Bearer ${await a.courant.deps.services.auth.create("desk", "editor")}` };
    sectionId = (await a.factory.section({ slug: "world" })).id;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await b?.close();
    await a?.close();
    await redis?.destroy();
  });

  it("a post written on A reaches a subscriber on B; updated, pinned, deleted and ended likewise", async () => {
    const article = gid("Article", (await a.factory.article({ sectionId, title: "Summit" })).id);
    // Coverage starts before anyone listens: both gateways must have passed that event on first,
    // or a subscriber could be told of the start it subscribed after.
    const started = Promise.all([heard(a, "live.started"), heard(b, "live.started")]);
    await a.gql(`mutation($id: ID!) { startLiveBlog(articleId: $id) { status } }`, { id: article }, editor);
    await started;
    const [onB0, onA0] = [listeners(b), listeners(a)];
    const sub = subscribe(client(b), LIVE, { id: article });
    // A second reader on B (its answer is computed once and shared) and one on A itself.
    const twin = subscribe(client(b), LIVE, { id: article });
    const onA = subscribe(client(a), LIVE, { id: article });
    await listening(b, onB0, 2);
    await listening(a, onA0, 1);
    // Operators see the same count (the metrics registry is per process: here B's gateway, started last).
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    expect(Number(/^courant_subscriptions (\d+)$/m.exec(metrics)?.[1])).toBe(listeners(b));
    const added = await a.gql(ADD, { id: article, input: { title: "Leaders arrive", body: "<p>First</p>" } }, editor);
    const postId = added.body.data.addLivePost.id;
    const [first] = await sub.waitFor(1);
    expect(first).toEqual({
      data: {
        liveBlogUpdated: {
          event: "POST_ADDED",
          postId,
          post: { id: postId, title: "Leaders arrive", pinned: false, body: { text: "First" } },
          liveBlog: { status: "LIVE", pinned: null },
        },
      },
    });
    await a.gql(
      `mutation($id: ID!) { updateLivePost(id: $id, input: { title: "Leaders arrived" }) { id } }`,
      { id: postId },
      editor,
    );
    await a.gql(`mutation($id: ID!) { pinLivePost(id: $id) { id } }`, { id: postId }, editor);
    await a.gql(`mutation($id: ID!) { deleteLivePost(id: $id) }`, { id: postId }, editor);
    await a.gql(`mutation($id: ID!) { endLiveBlog(articleId: $id) { status } }`, { id: article }, editor);
    const all = await sub.waitFor(5);
    expect(all.map((m) => m.data.liveBlogUpdated.event)).toEqual([
      "POST_ADDED",
      "POST_UPDATED",
      "POST_PINNED",
      "POST_DELETED",
      "ENDED",
    ]);
    expect(all[1]!.data.liveBlogUpdated.post.title).toBe("Leaders arrived");
    expect(all[2]!.data.liveBlogUpdated.liveBlog.pinned).toEqual({ id: postId });
    expect(all[3]!.data.liveBlogUpdated).toMatchObject({ postId, post: null, liveBlog: { pinned: null } });
    expect(all[4]!.data.liveBlogUpdated.liveBlog.status).toBe("ENDED");
    expect(await twin.waitFor(5)).toEqual(all);
    expect(await onA.waitFor(5)).toEqual(all);
  });

  it("a draft article's live blog sends nothing to the public, until it is published", async () => {
    const row = await a.factory.article({ sectionId, status: "draft", publishedAt: null });
    const article = gid("Article", row.id);
    const started = heard(b, "live.started");
    await a.gql(`mutation($id: ID!) { startLiveBlog(articleId: $id) { status } }`, { id: article }, editor);
    await started;
    const onB0 = listeners(b);
    const sub = subscribe(client(b), LIVE, { id: article });
    await listening(b, onB0, 1);
    const embargoed = heard(b, "live.post_added");
    await a.gql(ADD, { id: article, input: { body: "<p>Embargoed</p>" } }, editor);
    // B has the post's event and had time to judge it (as the public sees the article: a draft).
    await embargoed;
    await settle(600);
    expect(sub.messages).toEqual([]);
    await a.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id: article }, editor);
    await a.gql(ADD, { id: article, input: { body: "<p>Public now</p>" } }, editor);
    const [only] = await sub.waitFor(1);
    expect(only!.data.liveBlogUpdated.post.body.text).toBe("Public now");
    await settle(200);
    expect(sub.messages).toHaveLength(1);
  });

  it("articlePublished sends new public articles of the section and language asked for", async () => {
    const other = await a.factory.section({ slug: "sport" });
    const onB0 = listeners(b);
    const sub = subscribe(client(b), PUBLISHED, { section: "world", language: "en" });
    const any = subscribe(client(b), PUBLISHED, {});
    await listening(b, onB0, 2);
    const draft = async (section: number, language = "en", title = "x") =>
      gid(
        "Article",
        (await a.factory.article({ sectionId: section, language, title, status: "draft", publishedAt: null })).id,
      );
    const publish = (id: string) => a.gql(`mutation($id: ID!) { publishArticle(id: $id) { status } }`, { id }, editor);
    await publish(await draft(other.id, "en", "Cup final"));
    await publish(await draft(sectionId, "fr", "Sommet"));
    const wanted = await draft(sectionId, "en", "Breaking: summit collapses");
    await publish(wanted);
    const [got] = await sub.waitFor(1);
    expect(got!.data.articlePublished).toEqual({
      id: wanted,
      title: "Breaking: summit collapses",
      status: "PUBLISHED",
      section: { slug: "world" },
    });
    expect((await any.waitFor(3)).map((m) => m.data.articlePublished.title)).toEqual([
      "Cup final",
      "Sommet",
      "Breaking: summit collapses",
    ]);
    await settle(200);
    expect(sub.messages).toHaveLength(1);
  });

  it("bad subscriptions get clear errors with codes", async () => {
    const overHttp = await b.gql(PUBLISHED);
    expect(overHttp.status).toBe(400);
    expect(overHttp.body.errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    const c = client(b);
    const bad = subscribe(c, LIVE, { id: "nope" });
    await bad.waitFor(1);
    expect(
      bad.messages[0]?.errors?.[0]?.extensions?.code ??
        (bad.error as Array<{ extensions: { code: string } }>)?.[0]?.extensions?.code,
    ).toBe("BAD_USER_INPUT");
    const query = subscribe(c, `{ site { name } }`);
    await query.waitFor(1);
    expect((query.error as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe("BAD_REQUEST");
    const invalid = subscribe(c, `subscription { nothingHere }`);
    await invalid.waitFor(1);
    expect((invalid.error as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe(
      "GRAPHQL_VALIDATION_FAILED",
    );
    const section = subscribe(c, PUBLISHED, { section: "no-such-section" });
    await section.waitFor(1);
    expect(section.messages[0]?.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("subscription limits and shutdown", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite", {
      env: {
        SUBSCRIPTIONS_MAX_CONNECTIONS_PER_ADDRESS: "2",
        SUBSCRIPTIONS_MAX_PER_CONNECTION: "2",
        SUBSCRIPTIONS_IDLE_MS: "400",
        MAX_QUERY_COST: "200",
      },
    });
  });
  afterAll(() => gw?.close());
  const wsUrl = () => `${gw.url.replace(/^http/, "ws")}/graphql`;

  /** A raw WebSocket's handshake: open, or the HTTP answer that refused it. */
  const handshake = (url = wsUrl()) =>
    new Promise<{ ws?: WebSocket; status?: number; body?: string }>((resolve) => {
      const ws = new WebSocket(url, "graphql-transport-ws");
      ws.once("open", () => resolve({ ws }));
      ws.once("unexpected-response", (_req, res) => {
        let body = "";
        res.on("data", (d) => (body += d));
        res.on("end", () => resolve({ status: res.statusCode, body }));
      });
      ws.once("error", () => undefined);
    });

  it("refuses a third socket from one address with 429 and a JSON error; a closed one frees its place", async () => {
    const one = await handshake();
    const two = await handshake();
    expect(one.ws && two.ws).toBeTruthy();
    const three = await handshake();
    expect(three.status).toBe(429);
    expect(JSON.parse(three.body!).errors[0].extensions.code).toBe("RATE_LIMITED");
    one.ws!.close();
    await new Promise((r) => one.ws!.once("close", r));
    await settle(100);
    const again = await handshake();
    expect(again.ws).toBeTruthy();
    two.ws!.close();
    again.ws!.close();
    const other = await handshake(`${gw.url.replace(/^http/, "ws")}/elsewhere`);
    expect(other.status).toBe(404);
    await settle(100);
  });

  it("prices subscriptions like queries: past MAX_QUERY_COST, QUERY_TOO_COMPLEX", async () => {
    const c = wsClient(gw.url);
    const big = subscribe(
      c,
      `subscription($id: ID!) { liveBlogUpdated(articleId: $id) { liveBlog { posts(first: 100) { nodes { id title } } } } }`,
      { id: gid("Article", 1) },
    );
    await big.waitFor(1);
    expect((big.error as Array<{ extensions: { code: string } }>)[0]!.extensions).toMatchObject({
      code: "QUERY_TOO_COMPLEX",
      limit: 200,
    });
    await c.dispose();
    await settle(100);
  });

  it("refuses a third subscription on one socket with RATE_LIMITED, and closes sockets left idle", async () => {
    const article = gid("Article", (await gw.factory.article({ sectionId: (await gw.factory.section()).id })).id);
    const closes: number[] = [];
    const c = wsClient(gw.url, { onClose: (code) => closes.push(code) });
    const s1 = subscribe(c, LIVE, { id: article });
    const s2 = subscribe(c, LIVE, { id: article });
    const s3 = subscribe(c, LIVE, { id: article });
    await s3.waitFor(1);
    expect((s3.error as Array<{ message: string; extensions: { code: string } }>)[0]).toMatchObject({
      extensions: { code: "RATE_LIMITED" },
      message: expect.stringContaining("at most 2"),
    });
    expect(s1.error).toBeUndefined();
    s1.dispose();
    s2.dispose();
    // No subscription left: after SUBSCRIPTIONS_IDLE_MS the server closes the socket.
    const deadline = Date.now() + 5000;
    while (!closes.length && Date.now() < deadline) await settle(100);
    expect(closes).toEqual([1000]);
    await c.dispose();
  });

  it("pings every socket: one that answers stays, one that does not is dropped", async () => {
    const own = await startGateway("sqlite", { env: { SUBSCRIPTIONS_KEEPALIVE_MS: "200" } });
    try {
      const open = (autoPong: boolean) =>
        new Promise<{ ws: WebSocket; pings: () => number; closed: () => boolean }>((resolve) => {
          const ws = new WebSocket(`${own.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws", { autoPong });
          let pings = 0;
          let closed = false;
          ws.on("ping", () => (pings += 1));
          ws.once("close", () => (closed = true));
          ws.once("open", () => {
            ws.send(JSON.stringify({ type: "connection_init" }));
            resolve({ ws, pings: () => pings, closed: () => closed });
          });
        });
      const alive = await open(true);
      const mute = await open(false);
      await settle(1200);
      expect(alive.pings()).toBeGreaterThanOrEqual(2);
      expect(alive.closed()).toBe(false);
      expect(mute.closed()).toBe(true);
      alive.ws.close();
    } finally {
      await own.close();
    }
  });

  it("counts subscribes against the same per-address budget as HTTP queries", async () => {
    const own = await startGateway("sqlite", { env: { RATE_LIMIT_QUERIES_PER_MINUTE: "3" } });
    try {
      const c = wsClient(own.url);
      const subs = [1, 2, 3].map(() => subscribe(c, PUBLISHED, {}));
      await settle(300);
      expect(subs.map((s) => s.error)).toEqual([undefined, undefined, undefined]);
      const fourth = subscribe(c, PUBLISHED, {});
      await fourth.waitFor(1);
      expect((fourth.error as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe("RATE_LIMITED");
      // The budget is shared with HTTP: the same address is now refused there too.
      const http = await own.gql(`{ site { name } }`);
      expect(http.status).toBe(429);
      await c.dispose();
    } finally {
      await own.close();
    }
  });

  it("drops a subscriber that stops reading once more than SUBSCRIPTIONS_MAX_QUEUED updates wait for it", async () => {
    const own = await startGateway("sqlite", { env: { SUBSCRIPTIONS_MAX_QUEUED: "5" } });
    try {
      const editor = { authorization: `Bearer ${await own.courant.deps.services.auth.create("slow", "editor")}` };
      const article = gid("Article", (await own.factory.article({ sectionId: (await own.factory.section()).id })).id);
      await own.gql(`mutation($id: ID!) { startLiveBlog(articleId: $id) { status } }`, { id: article }, editor);
      // A raw graphql-ws client that subscribes, then stops reading its socket.
      const ws = new WebSocket(`${own.url.replace(/^http/, "ws")}/graphql`, "graphql-transport-ws");
      await new Promise((r) => ws.once("open", r));
      ws.send(JSON.stringify({ type: "connection_init" }));
      await new Promise((r) => ws.once("message", r));
      ws.send(
        JSON.stringify({
          id: "1",
          type: "subscribe",
          payload: {
            query: `subscription($id: ID!) { liveBlogUpdated(articleId: $id) { post { body { html } } } }`,
            variables: { id: article },
          },
        }),
      );
      const feed = own.courant.deps.services.liveFeed;
      for (let i = 0; i < 50 && feed.subscribers === 0; i++) await settle(20);
      expect(feed.subscribers).toBe(1);
      (ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const big = `<p>${"Words of a long live post. ".repeat(2300)}</p>`;
      let posts = 0;
      while (feed.subscribers > 0 && posts < 400) {
        await own.gql(
          `mutation($id: ID!, $b: String!) { addLivePost(articleId: $id, input: { body: $b }) { id } }`,
          { id: article, b: big },
          editor,
        );
        posts += 1;
      }
      for (let i = 0; i < 50 && feed.subscribers > 0; i++) await settle(20);
      expect(feed.subscribers).toBe(0);
      expect(posts).toBeLessThan(400);
      ws.terminate();
    } finally {
      await own.close();
    }
  });

  it("shutdown with subscribers connected: readiness turns 503, sockets close with 1001, close() finishes", async () => {
    const own = await startGateway("sqlite");
    const article = gid("Article", (await own.factory.article({ sectionId: (await own.factory.section()).id })).id);
    const closes: number[] = [];
    const c = wsClient(own.url, { onClose: (code) => closes.push(code) });
    const sub = subscribe(c, LIVE, { id: article });
    await settle(200);
    expect((await fetch(`${own.url}/readyz`)).status).toBe(200);
    const closing = own.close();
    const ready = await fetch(`${own.url}/readyz`).then(
      (r) => r.status,
      () => "refused",
    );
    await closing;
    expect(ready).toBe(503);
    expect(closes).toEqual([1001]);
    expect(sub.error ?? sub.completed).toBeTruthy();
    await c.dispose();
  });

  it("courant serve exits 0 on SIGTERM with subscribers connected, after closing their sockets with 1001", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-ws-stop-"));
    try {
      const server = await serve({ DATABASE_URL: `sqlite:${path.join(dir, "c.sqlite")}` }, dir);
      const closes: number[] = [];
      const c = wsClient(server.url, { onClose: (code) => closes.push(code) });
      const sub = subscribe(c, PUBLISHED, {});
      await settle(300);
      expect(sub.error).toBeUndefined();
      expect(await server.stop()).toBe(0);
      expect(closes).toEqual([1001]);
      await c.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
