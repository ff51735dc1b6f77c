import http from "node:http";
import { Webhook } from "standardwebhooks";
import { gid, startGateway } from "../helpers/gateway";

/** Collects every POST: its webhook headers and body. */
async function collector() {
  const got: Array<{ id: string; headers: Record<string, string>; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      got.push({
        id: String(req.headers["webhook-id"]),
        headers: {
          "webhook-id": String(req.headers["webhook-id"]),
          "webhook-timestamp": String(req.headers["webhook-timestamp"]),
          "webhook-signature": String(req.headers["webhook-signature"]),
        },
        body,
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    got,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

async function until(done: () => boolean, ms = 10_000) {
  const started = Date.now();
  while (!done() && Date.now() - started < ms) await new Promise((r) => setTimeout(r, 25));
}

const CREATE_HOOK = `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret webhook { id } } }`;
const ENV = { EVENTS_POLL_MS: "50", WEBHOOK_RETRY_SCHEDULE: "1,1,1" };

describe("webhook administration and delivery across instances", () => {
  it("rotating the secret signs what follows with the new one only; section and author changes are events too", async () => {
    const gw = await startGateway("sqlite", { env: ENV });
    const r = await collector();
    try {
      const admin = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("chief", "admin")}` };
      const made = (
        await gw.gql(CREATE_HOOK, { input: { url: r.url, events: ["SECTION_CHANGED", "AUTHOR_CHANGED"] } }, admin)
      ).body.data.createWebhook;
      const section = await gw.gql(`mutation { createSection(input: { name: "Baltics" }) { id } }`, undefined, admin);
      await until(() => r.got.length >= 1);
      const first = r.got[0]!;
      expect(new Webhook(made.secret).verify(first.body, first.headers)).toMatchObject({
        type: "section.changed",
        data: { sections: [{ id: section.body.data.createSection.id, slug: "baltics", name: "Baltics" }] },
      });
      const rotated = await gw.gql(
        `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret webhook { id } } }`,
        { id: made.webhook.id },
        admin,
      );
      const secret2 = rotated.body.data.rotateWebhookSecret.secret as string;
      expect(secret2).toMatch(/^whsec_/);
      expect(secret2).not.toBe(made.secret);
      await gw.gql(`mutation { createAuthor(input: { name: "Rūta Kazlauskaitė" }) { id } }`, undefined, admin);
      await until(() => r.got.length >= 2);
      const second = r.got[1]!;
      expect(new Webhook(secret2).verify(second.body, second.headers)).toMatchObject({
        type: "author.changed",
        data: { authors: [{ slug: "ruta-kazlauskaite" }] },
      });
      expect(() => new Webhook(made.secret).verify(second.body, second.headers)).toThrow();
      // A patch: narrowing the events keeps the URL; the webhook then hears no author changes.
      const updated = await gw.gql(
        `mutation($id: ID!) { updateWebhook(id: $id, input: { events: [SECTION_CHANGED] }) { url events } }`,
        { id: made.webhook.id },
        admin,
      );
      expect(updated.body.data.updateWebhook).toEqual({ url: r.url, events: ["SECTION_CHANGED"] });
      await gw.gql(`mutation { createAuthor(input: { name: "Unheard" }) { id } }`, undefined, admin);
      await new Promise((res) => setTimeout(res, 400));
      expect(r.got.length).toBe(2);
    } finally {
      await gw.close();
      await r.close();
    }
  });

  it("two gateways on one database deliver each event once: a claimed delivery is nobody else's", async () => {
    const a = await startGateway("sqlite", { env: ENV });
    const b = await startGateway("sqlite", { databaseUrl: a.courant.deps.config.databaseUrl, env: ENV });
    const r = await collector();
    try {
      const auth = a.courant.deps.services.auth;
      const admin = { authorization: `Bearer ${await auth.create("chief", "admin")}` };
      const editor = { authorization: `Bearer ${await auth.create("desk", "editor")}` };
      await a.gql(CREATE_HOOK, { input: { url: r.url, events: ["ARTICLE_PUBLISHED"] } }, admin);
      const s = gid("Section", (await a.factory.section({ slug: "twice" })).id);
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const gw = i % 2 ? a : b;
        const c = await gw.gql(
          `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
          { input: { title: `Once ${i}`, language: "en", sectionId: s, authorIds: [], body: "<p>x</p>" } },
          editor,
        );
        await gw.gql(
          `mutation($id: ID!) { publishArticle(id: $id) { id } }`,
          { id: c.body.data.createArticle.id },
          editor,
        );
        ids.push(c.body.data.createArticle.id);
      }
      await until(() => new Set(r.got.map((x) => x.id)).size >= 60);
      await new Promise((res) => setTimeout(res, 300));
      const byId = new Map<string, number>();
      for (const x of r.got) byId.set(x.id, (byId.get(x.id) ?? 0) + 1);
      expect(byId.size).toBe(60);
      expect([...byId].filter(([, n]) => n > 1)).toEqual([]);
      const titles = new Set(r.got.map((x) => JSON.parse(x.body).data.article.id));
      expect(ids.filter((id) => !titles.has(id))).toEqual([]);
    } finally {
      await b.close();
      await a.close();
      await r.close();
    }
  }, 30_000);
});
