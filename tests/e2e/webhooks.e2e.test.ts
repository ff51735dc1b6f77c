import http from "node:http";
import { Webhook } from "standardwebhooks";
import { runCli, serve } from "../helpers/cli";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";
import { freePort, PrivateMariaDb } from "../helpers/private-mariadb";
import { until } from "../helpers/wait";

interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
}

/** A real HTTP receiver on a fixed port, which can be stopped and started again. */
function receiver(port: number) {
  const received: Received[] = [];
  let server: http.Server | undefined;
  let answer = 204;
  return {
    received,
    url: `http://127.0.0.1:${port}/hook`,
    answerWith: (status: number) => (answer = status),
    start: () =>
      new Promise<void>((resolve) => {
        server = http.createServer((req, res) => {
          let body = "";
          req.setEncoding("utf8");
          req.on("data", (d) => (body += d));
          req.on("end", () => {
            if (answer < 300)
              received.push({
                id: String(req.headers["webhook-id"]),
                timestamp: String(req.headers["webhook-timestamp"]),
                signature: String(req.headers["webhook-signature"]),
                body,
              });
            res.writeHead(answer).end();
          });
        });
        server.listen(port, "127.0.0.1", () => resolve());
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.closeAllConnections();
        server.close(() => resolve());
        server = undefined;
      }),
  };
}

const CREATE_HOOK = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id enabled } } }`;
const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`;
const PUBLISH = `mutation($id: ID!) { publishArticle(id: $id) { id } }`;
const FAST_RETRIES = { WEBHOOK_RETRY_SCHEDULE: "1,1,1,1,1,1,1,1", EVENTS_POLL_MS: "50" };

describe.each(DATABASES)("webhooks on %s", (kind) => {
  let gw: TestGateway;
  let admin: Record<string, string>;
  let editor: Record<string, string>;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { ...FAST_RETRIES, WEBHOOK_DISABLE_AFTER: "2" } });
    const auth = gw.courant.deps.services.auth;
    admin = { authorization: `Bearer ${await auth.create("chief", "admin")}` };
    editor = { authorization: `Bearer ${await auth.create("desk", "editor")}` };
    const eu = await gw.factory.section({ slug: "eu", name: "EU" });
    ids.eu = eu.id;
    ids.euPolitics = (await gw.factory.section({ slug: "eu-politics", name: "EU politics", parentId: eu.id })).id;
    ids.world = (await gw.factory.section({ slug: "world", name: "World" })).id;
    ids.ana = (await gw.factory.author({ slug: "ana", name: "Ana" })).id;
  });
  afterAll(() => gw?.close());

  const article = async (title: string, section: number, language = "en") =>
    (
      await gw.gql(
        CREATE,
        {
          input: {
            title,
            language,
            sectionId: gid("Section", section),
            authorIds: [gid("Author", ids.ana!)],
            body: "<p>x</p>",
          },
        },
        editor,
      )
    ).body.data.createArticle.id as string;

  it("signs in the Standard Webhooks form: the standardwebhooks package verifies it; a tampered body or an old timestamp does not", async () => {
    const r = receiver(await freePort());
    await r.start();
    try {
      const made = await gw.gql(CREATE_HOOK, { input: { url: r.url, events: ["ARTICLE_PUBLISHED"] } }, admin);
      expect(made.body.errors).toBeUndefined();
      const { secret, webhook } = made.body.data.createWebhook;
      expect(secret).toMatch(/^whsec_/);
      const a = await article("Signed story", ids.eu!);
      await gw.gql(PUBLISH, { id: a }, editor);
      const [got] = await until(
        () => r.received,
        (x) => x.length > 0,
      );
      const wh = new Webhook(secret);
      const headers = {
        "webhook-id": got!.id,
        "webhook-timestamp": got!.timestamp,
        "webhook-signature": got!.signature,
      };
      const payload = wh.verify(got!.body, headers) as any;
      expect(payload).toMatchObject({
        type: "article.published",
        data: {
          article: {
            id: a,
            title: "Signed story",
            language: "en",
            url: expect.stringMatching(/\/en\/signed-story$/),
            section: { slug: "eu", name: "EU" },
            authors: [{ slug: "ana", name: "Ana" }],
            publishedAt: expect.any(String),
          },
        },
      });
      expect(got!.id).toBe(`evt_${payload.data.eventId}`);
      expect(() => wh.verify(got!.body.replace("Signed story", "Forged story"), headers)).toThrow();
      const old = String(Number(got!.timestamp) - 3600);
      expect(() => wh.verify(got!.body, { ...headers, "webhook-timestamp": old })).toThrow();
      // Never shown again: the API has no field for it.
      const listed = await gw.gql(`{ webhooks { nodes { id url events enabled } } }`, undefined, admin);
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(listed.body.data.webhooks.nodes).toContainEqual({
        id: webhook.id,
        url: r.url,
        events: ["ARTICLE_PUBLISHED"],
        enabled: true,
      });
      // Editors may not manage webhooks.
      expect(
        (await gw.gql(`{ webhooks { nodes { id } } }`, undefined, editor)).body.errors?.[0]?.extensions?.code,
      ).toBe("FORBIDDEN");
      await gw.gql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhook.id }, admin);
    } finally {
      await r.stop();
    }
  });

  it("filters by section (children included) and language, and hears of drafts never", async () => {
    const r = receiver(await freePort());
    await r.start();
    try {
      const made = await gw.gql(
        CREATE_HOOK,
        {
          input: {
            url: r.url,
            events: ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED"],
            sections: [gid("Section", ids.eu!)],
            languages: ["nl"],
          },
        },
        admin,
      );
      const hookId = made.body.data.createWebhook.webhook.id;
      const euNl = await article("EU in Dutch", ids.euPolitics!, "nl");
      const euEn = await article("EU in English", ids.euPolitics!, "en");
      const worldNl = await article("World in Dutch", ids.world!, "nl");
      for (const id of [euNl, euEn, worldNl]) await gw.gql(PUBLISH, { id }, editor);
      // A draft's edit is nobody's news; a public article's edit of a public field is.
      const draft = await article("Draft in Dutch", ids.eu!, "nl");
      await gw.gql(
        `mutation($id: ID!) { updateArticle(id: $id, input: { title: "Still a draft" }) { id } }`,
        { id: draft },
        editor,
      );
      await gw.gql(
        `mutation($id: ID!) { updateArticle(id: $id, input: { title: "EU in Dutch, edited" }) { id } }`,
        { id: euNl },
        editor,
      );
      const got = await until(
        () => r.received.map((x) => JSON.parse(x.body)),
        (x) => x.length >= 2,
        5000,
      );
      await new Promise((res) => setTimeout(res, 300));
      const seen = r.received.map((x) => JSON.parse(x.body)).map((p) => [p.type, p.data.article.title]);
      expect(seen).toEqual([
        ["article.published", "EU in Dutch"],
        ["article.updated", "EU in Dutch, edited"],
      ]);
      expect(got.length).toBe(2);
      await gw.gql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: hookId }, admin);
    } finally {
      await r.stop();
    }
  });

  it("is disabled after repeated failures, says why, and redelivers once fixed", async () => {
    const r = receiver(await freePort());
    await r.start();
    r.answerWith(500);
    try {
      const made = await gw.gql(CREATE_HOOK, { input: { url: r.url, events: ["ARTICLE_PUBLISHED"] } }, admin);
      const hookId = made.body.data.createWebhook.webhook.id;
      for (const title of ["Failing one", "Failing two"])
        await gw.gql(PUBLISH, { id: await article(title, ids.eu!) }, editor);
      const HOOK = `query { webhooks { nodes { id enabled disabledReason consecutiveFailures deliveries(first: 10) { nodes { id status attempts { httpStatus error durationMs } } } } } }`;
      const state = await until(
        async () => (await gw.gql(HOOK, undefined, admin)).body.data.webhooks.nodes.find((n: any) => n.id === hookId),
        (h) => h && !h.enabled,
        25_000,
      );
      expect(state.enabled).toBe(false);
      expect(state.disabledReason).toMatch(/2 events in a row could not be delivered.*500/);
      expect(state.deliveries.nodes.map((d: any) => d.status)).toEqual(["FAILED", "FAILED"]);
      expect(state.deliveries.nodes[0].attempts.length).toBe(9);
      expect(state.deliveries.nodes[0].attempts[0]).toMatchObject({
        httpStatus: 500,
        error: expect.stringMatching(/500/),
      });
      r.answerWith(204);
      await gw.gql(
        `mutation($id: ID!) { updateWebhook(id: $id, input: { enabled: true }) { enabled } }`,
        { id: hookId },
        admin,
      );
      const redeliver = await gw.gql(
        `mutation($d: ID!) { redeliverWebhookEvent(deliveryId: $d) }`,
        { d: state.deliveries.nodes[1].id },
        admin,
      );
      expect(redeliver.body.data.redeliverWebhookEvent).toBe(true);
      const got = await until(
        () => r.received,
        (x) => x.length > 0,
        5000,
      );
      expect(JSON.parse(got[0]!.body).data.article.title).toBe("Failing one");
      await gw.gql(`mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: hookId }, admin);
    } finally {
      await r.stop();
    }
  }, 40_000);
});

describe("webhooks under load and outages", () => {
  it("1,000 publishes with the receiver down for part of the burst: every event arrives, duplicates only of the same id", async () => {
    // Retries span about 40 s, longer than the outage lasts even on a busy machine (where 400 publishes
    // can take well over the 8 s that FAST_RETRIES gives an event before it fails for good).
    const gw = await startGateway("sqlite", {
      env: { ...FAST_RETRIES, WEBHOOK_RETRY_SCHEDULE: "1,1,1,2,2,4,8,8,15" },
    });
    const r = receiver(await freePort());
    await r.start();
    try {
      const auth = gw.courant.deps.services.auth;
      const admin = { authorization: `Bearer ${await auth.create("chief", "admin")}` };
      const editor = { authorization: `Bearer ${await auth.create("desk", "editor")}` };
      const s = gid("Section", (await gw.factory.section({ slug: "burst" })).id);
      await gw.gql(CREATE_HOOK, { input: { url: r.url, events: ["ARTICLE_PUBLISHED"] } }, admin);
      const articles: string[] = [];
      for (let i = 0; i < 20; i++)
        articles.push(
          (
            await gw.gql(
              CREATE,
              { input: { title: `Burst ${i}`, language: "en", sectionId: s, authorIds: [], body: "<p>x</p>" } },
              editor,
            )
          ).body.data.createArticle.id,
        );
      for (let i = 0; i < 1000; i++) {
        if (i === 300) await r.stop();
        if (i === 700) await r.start();
        const res = await gw.gql(PUBLISH, { id: articles[i % 20] }, editor);
        expect(res.body.errors).toBeUndefined();
      }
      const events: Array<{ id: unknown }> = await gw.ds.query(
        "SELECT id FROM content_events WHERE type = 'article.published' ORDER BY id",
      );
      expect(events.length).toBe(1000);
      const want = new Set(events.map((e) => `evt_${e.id}`));
      const got = await until(
        () => new Set(r.received.map((x) => x.id)),
        (x) => [...want].every((id) => x.has(id)),
        60_000,
      );
      expect([...want].filter((id) => !got.has(id))).toEqual([]);
      expect([...got].filter((id) => !want.has(id))).toEqual([]);
      // A duplicate is the same event sent again: same id, same body.
      const bodies = new Map<string, string>();
      for (const x of r.received) {
        if (bodies.has(x.id)) expect(JSON.parse(x.body).data).toEqual(JSON.parse(bodies.get(x.id)!).data);
        bodies.set(x.id, x.body);
      }
      const metrics = await (await fetch(`${gw.url}/metrics`)).text();
      expect(metrics).toMatch(/^courant_webhook_deliveries_total\{outcome="delivered"\} [1-9]\d{2,}/m);
      expect(metrics).toMatch(/^courant_webhook_deliveries_total\{outcome="retrying"\} [1-9]/m);
      // All delivered: nothing pending, so the oldest pending delivery's age reads 0.
      expect(metrics).toMatch(/^courant_webhook_oldest_pending_seconds 0$/m);
    } finally {
      await gw.close();
      await r.stop();
    }
  }, 180_000);

  it("refuses a private address in production mode", async () => {
    const gw = await startGateway("sqlite", { env: { NODE_ENV: "production", PLAYGROUND: "false" } });
    try {
      const admin = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("chief", "admin")}` };
      for (const url of [
        "http://127.0.0.1:9/hook",
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
      ]) {
        const res = await gw.gql(CREATE_HOOK, { input: { url, events: ["ARTICLE_PUBLISHED"] } }, admin);
        expect([url, res.body.errors?.[0]?.extensions?.code, res.body.errors?.[0]?.extensions?.field]).toEqual([
          url,
          "BAD_USER_INPUT",
          "input.url",
        ]);
      }
    } finally {
      await gw.close();
    }
  });
});

const drills = PrivateMariaDb.available() ? describe : describe.skip;
if (!PrivateMariaDb.available()) console.log("SKIPPED the webhook outage drill: mariadbd is not installed here");

drills("webhooks with the database killed and restarted (private MariaDB)", () => {
  it("delivers the event of every acknowledged publish, and none for a write that did not commit", async () => {
    const db = await PrivateMariaDb.create();
    await db.start();
    const r = receiver(await freePort());
    await r.start();
    const env = { DATABASE_URL: db.url };
    try {
      expect(runCli(["migrate"], env).status).toBe(0);
      expect(runCli(["seed", "--demo"], env).status).toBe(0);
      const key = (role: string) =>
        runCli(["api-key", "create", "--role", role, "--name", `hooks-${role}`], env)
          .stdout.trim()
          .split("\n")
          .pop()!;
      const admin = { authorization: `Bearer ${key("admin")}` };
      const editor = { authorization: `Bearer ${key("editor")}` };
      const server = await serve({ ...env, ...FAST_RETRIES, RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000" });
      const post = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
        try {
          const res = await fetch(`${server.url}/graphql`, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: JSON.stringify({ query, variables }),
          });
          return (await res.json()) as any;
        } catch {
          return { errors: [{ extensions: { code: "NETWORK" } }] };
        }
      };
      try {
        await post(CREATE_HOOK, { input: { url: r.url, events: ["ARTICLE_PUBLISHED"] } }, admin);
        const sectionId = (await post(`{ sections { id } }`, {}, {})).data.sections[0].id;
        const acknowledged: string[] = [];
        let running = true;
        const writer = (async () => {
          for (let i = 0; running; i++) {
            const c = await post(
              CREATE,
              { input: { title: `Outage ${i}`, language: "en", sectionId, authorIds: [], body: "<p>x</p>" } },
              editor,
            );
            const id = c.data?.createArticle?.id;
            if (!id) continue;
            const p = await post(PUBLISH, { id }, editor);
            if (p.data?.publishArticle?.id) acknowledged.push(id);
          }
        })();
        await new Promise((res) => setTimeout(res, 1500));
        await db.kill();
        await new Promise((res) => setTimeout(res, 1500));
        await db.start();
        await new Promise((res) => setTimeout(res, 2000));
        running = false;
        await writer;
        expect(acknowledged.length).toBeGreaterThan(10);
        const published = () =>
          new Set(
            r.received
              .map((x) => JSON.parse(x.body))
              .filter((p) => p.type === "article.published")
              .map((p) => p.data.article.id as string),
          );
        const got = await until(published, (x) => acknowledged.every((id) => x.has(id)), 20_000);
        expect(acknowledged.filter((id) => !got.has(id))).toEqual([]);
        // Nothing was delivered that did not commit: every delivered event is in the stream.
        const mysql = await import("mysql2/promise");
        const c = await mysql.createConnection({ host: "127.0.0.1", port: db.port, user: "root", database: "drill" });
        const [rows] = (await c.query("SELECT id FROM content_events")) as any;
        await c.end();
        const committed = new Set((rows as Array<{ id: number }>).map((x) => `evt_${x.id}`));
        expect(r.received.map((x) => x.id).filter((id) => !committed.has(id))).toEqual([]);
      } finally {
        await server.stop();
      }
    } finally {
      await r.stop();
      await db.destroy();
    }
  }, 90_000);
});
