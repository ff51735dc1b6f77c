/**
 * Freshness through a CDN, measured:
 *
 *   npm run build && node dist/bench/freshness.js [--publishes 200] [--readers 10] [--edits 100]
 *
 * 1. Publish-to-visible through Varnish (deploy/varnish.vcl, a private varnishd): `--readers`
 *    clients read a section feed through Varnish without pause while `--publishes` articles are
 *    published one after another; for each, the time from sending publishArticle until the feed
 *    served by Varnish shows it. Reports p50/p99/max.
 * 2. A purge endpoint that hangs: `--edits` updates with a healthy endpoint, then as many with
 *    one that never answers, in the same run; reports each p99 and their ratio.
 * 3. Webhooks: `--edits` publishes with no webhook and as many with one (alternating rounds);
 *    reports each p99 and their ratio.
 *
 * DATABASE_URL names a MySQL server (a database `courant_fresh_<pid>` is made and dropped), or
 * `sqlite:` (the default: a temporary file).
 */
import http from "node:http";
import { flag, freePort, startChild } from "./processes";
import { PrivateVarnish } from "./varnish";
import { BIN, gql, percentile, scratchDatabase } from "./scratch";

const log = (line: string) => console.log(`[freshness] ${line}`);

async function main() {
  const publishes = flag("publishes", 200);
  const readers = flag("readers", 10);
  const edits = flag("edits", 100);
  const db = await scratchDatabase("fresh", "sqlite:");
  const env = { DATABASE_URL: db.url, LOG_LEVEL: "warn" };
  const cli = db.cli;
  const stops: Array<() => Promise<void>> = [];
  try {
    cli(["migrate"]);
    cli(["seed", "--demo"]);
    const key = cli(["api-key", "create", "--role", "editor", "--name", "freshness"]).split("\n").pop()!;
    const adminKey = cli(["api-key", "create", "--role", "admin", "--name", "freshness-admin"]).split("\n").pop()!;
    const limits = { RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000", RATE_LIMIT_QUERIES_PER_MINUTE: "1000000" };

    // 1. Publish-to-visible through Varnish.
    const varnishPort = await freePort();
    const port = await freePort();
    const gateway = await startChild(
      "gateway",
      BIN,
      ["serve"],
      {
        ...env,
        ...limits,
        PORT: String(port),
        NODE_ENV: "production",
        CDN_PURGE: "varnish",
        CDN_PURGE_URL: `http://127.0.0.1:${varnishPort}`,
      },
      port,
      "/readyz",
    );
    stops.push(() => gateway.stop());
    const varnish = await PrivateVarnish.start({ host: "127.0.0.1", port }, varnishPort);
    stops.push(() => varnish.stop());
    const section = (await gql(gateway.url, "{ sections { id slug } }", {})).sections[0] as {
      id: string;
      slug: string;
    };
    const feed = `${varnish.url}/graphql?query=${encodeURIComponent(
      `{ articles(filter: { section: "${section.slug}" }, first: 5) { nodes { id } } }`,
    )}`;
    const read = async () => {
      const res = await fetch(feed, { headers: { "apollo-require-preflight": "true" } });
      const body = (await res.json()) as { data: { articles: { nodes: Array<{ id: string }> } } };
      return { ids: body.data.articles.nodes.map((n) => n.id), hit: res.headers.get("x-varnish-cache") === "HIT" };
    };
    let reading = true;
    let reads = 0;
    let hits = 0;
    const readerLoops = Array.from({ length: readers }, async () => {
      while (reading) {
        const r = await read();
        reads += 1;
        if (r.hit) hits += 1;
      }
    });
    const visibleMs: number[] = [];
    for (let i = 0; i < publishes; i++) {
      const created = await gql(
        gateway.url,
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        { input: { title: `Fresh ${i}`, language: "en", sectionId: section.id, authorIds: [], body: "<p>x</p>" } },
        key,
      );
      const id = created.createArticle.id as string;
      const started = performance.now();
      await gql(gateway.url, `mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, key);
      for (;;) {
        if ((await read()).ids.includes(id)) break;
        if (performance.now() - started > 10_000) throw new Error(`article ${i} never became visible through Varnish`);
      }
      visibleMs.push(performance.now() - started);
    }
    reading = false;
    await Promise.all(readerLoops);
    log(
      `publish-to-visible through Varnish, ${publishes} publishes under ${readers} readers (${reads} reads, ${((100 * hits) / Math.max(1, reads)).toFixed(0)}% Varnish hits): ` +
        `p50 ${percentile(visibleMs, 50).toFixed(1)} ms, p99 ${percentile(visibleMs, 99).toFixed(1)} ms, max ${Math.max(...visibleMs).toFixed(1)} ms (goal: p99 < 1000 ms)`,
    );

    // 2. Editorial latency with a healthy, then a hanging purge endpoint (same process, same minute).
    let hang = false;
    let purges = 0;
    const endpoint = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (hang) return;
        purges += 1;
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((r) => endpoint.listen(0, "127.0.0.1", r));
    stops.push(() => new Promise<void>((r) => (endpoint.closeAllConnections(), endpoint.close(() => r()))));
    const port2 = await freePort();
    const second = await startChild(
      "gateway-http-purge",
      BIN,
      ["serve"],
      {
        ...env,
        ...limits,
        PORT: String(port2),
        NODE_ENV: "production",
        CDN_PURGE: "http",
        // The bench's webhook receiver listens on loopback.
        WEBHOOK_ALLOW_PRIVATE: "true",
        CDN_PURGE_URL: `http://127.0.0.1:${(endpoint.address() as { port: number }).port}/purge`,
      },
      port2,
      "/readyz",
    );
    stops.push(() => second.stop());
    const target = (
      await gql(
        second.url,
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        { input: { title: "Edited", language: "en", sectionId: section.id, authorIds: [], body: "<p>x</p>" } },
        key,
      )
    ).createArticle.id as string;
    const editsMs = async () => {
      const ms: number[] = [];
      for (let i = 0; i < Math.ceil(edits / 4); i++) {
        const started = performance.now();
        await gql(
          second.url,
          `mutation($id: ID!, $t: String!) { updateArticle(id: $id, input: { title: $t }) { id } }`,
          { id: target, t: `Edited ${i}` },
          key,
        );
        ms.push(performance.now() - started);
      }
      return ms;
    };
    // Alternating rounds, so warm-up and machine noise fall on both sides alike.
    const healthy: number[] = [];
    const hanging: number[] = [];
    for (let round = 0; round < 4; round++) {
      hang = false;
      healthy.push(...(await editsMs()));
      hang = true;
      hanging.push(...(await editsMs()));
    }
    const purgedHealthy = purges;
    log(
      `updateArticle p99 with a healthy purge endpoint ${percentile(healthy, 99).toFixed(1)} ms (${purgedHealthy} purges taken), ` +
        `with one that never answers ${percentile(hanging, 99).toFixed(1)} ms: ratio ${(percentile(hanging, 99) / percentile(healthy, 99)).toFixed(2)}x`,
    );

    // 3. Publishing with a webhook against without one (alternating rounds, same gateway): the
    //    deliveries are written in the publish's transaction and sent outside it.
    hang = false;
    let received = 0;
    const hookReceiver = http.createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        received += 1;
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hookReceiver.listen(0, "127.0.0.1", r));
    stops.push(() => new Promise<void>((r) => (hookReceiver.closeAllConnections(), hookReceiver.close(() => r()))));
    const hook = (
      await gql(
        second.url,
        `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`,
        {
          input: {
            url: `http://127.0.0.1:${(hookReceiver.address() as { port: number }).port}/hook`,
            events: ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED"],
          },
        },
        adminKey,
      )
    ).createWebhook.webhook.id as string;
    const toggle = (enabled: boolean) =>
      gql(
        second.url,
        `mutation($id: ID!, $on: Boolean!) { updateWebhook(id: $id, input: { enabled: $on }) { id } }`,
        { id: hook, on: enabled },
        adminKey,
      );
    const published = async () => {
      const ms: number[] = [];
      for (let i = 0; i < Math.ceil(edits / 4); i++) {
        const id = (
          await gql(
            second.url,
            `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
            { input: { title: `Hooked ${i}`, language: "en", sectionId: section.id, authorIds: [], body: "<p>x</p>" } },
            key,
          )
        ).createArticle.id as string;
        const started = performance.now();
        await gql(second.url, `mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id }, key);
        ms.push(performance.now() - started);
      }
      return ms;
    };
    const without: number[] = [];
    const withHook: number[] = [];
    for (let round = 0; round < 4; round++) {
      await toggle(false);
      without.push(...(await published()));
      await toggle(true);
      withHook.push(...(await published()));
    }
    log(
      `publishArticle p99 without webhooks ${percentile(without, 99).toFixed(1)} ms, with one ${percentile(withHook, 99).toFixed(1)} ms: ` +
        `ratio ${(percentile(withHook, 99) / percentile(without, 99)).toFixed(2)}x (${received} deliveries received)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
