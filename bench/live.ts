/**
 * Live coverage at scale, measured:
 *
 *   npm run build && node dist/bench/live.js [--subscribers 2000] [--seconds 60] [--rate 1]
 *
 * Two gateways (`courant serve`, production defaults) on one database and a private Redis. Gateway
 * B gets `--subscribers` WebSocket clients (graphql-ws, one socket each, as readers' pages open
 * them), all on liveBlogUpdated of one live blog; gateway A gets `--rate` addLivePost a second for
 * `--seconds`. For every post and subscriber: the time from sending the mutation to A until the
 * subscriber on B has it (the post's title carries its number), and every post a subscriber never
 * got. Memory per subscriber: B's resident memory with the subscribers connected, less before, over
 * their number. Baseline, same run: the mutation's own round trip (what a write costs on A), so
 * the delivery figures read as a ratio of it.
 *
 * DATABASE_URL names a MySQL server (a database `courant_live_<pid>` is made and dropped), or
 * `sqlite:` (the default: a temporary file). Needs redis-server on PATH.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";
import { flag, freePort, startChild } from "./processes";
import { BIN, gql, percentile, scratchDatabase } from "./scratch";

const log = (line: string) => console.log(`[live] ${line}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rss(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-live-redis-"));
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const stop = () => {
    child.kill("SIGKILL");
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stop);
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => (s.end(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (up) return { url: `redis://127.0.0.1:${port}/0`, stop };
    await sleep(50);
  }
  stop();
  throw new Error("redis-server did not start");
}

const SUBSCRIPTION = `subscription($id: ID!) { liveBlogUpdated(articleId: $id) { event post { title } } }`;
const ADD = `mutation($id: ID!, $title: String!) { addLivePost(articleId: $id, input: { title: $title, body: "<p>Update.</p>" }) { id } }`;

async function main() {
  const subscribers = flag("subscribers", 2000);
  const seconds = flag("seconds", 60);
  const rate = flag("rate", 1);
  const db = await scratchDatabase("live", "sqlite:");
  const stops: Array<() => Promise<void> | void> = [];
  try {
    db.cli(["migrate"]);
    db.cli(["seed", "--demo"]);
    const key = db.cli(["api-key", "create", "--role", "editor", "--name", "live-bench"]).split("\n").pop()!;
    const redis = await startRedis();
    stops.push(redis.stop);
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: redis.url,
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000",
      SUBSCRIPTIONS_MAX_CONNECTIONS_PER_ADDRESS: String(subscribers + 10),
    };
    const start = async (name: string) => {
      const port = await freePort();
      const child = await startChild(name, BIN, ["serve"], { ...env, PORT: String(port) }, port, "/readyz");
      stops.push(() => child.stop());
      return child;
    };
    const a = await start("gateway-a");
    const b = await start("gateway-b");
    const article = (await gql(a.url, "{ articles(first: 1) { nodes { id } } }", {})).articles.nodes[0].id as string;
    await gql(a.url, `mutation($id: ID!) { startLiveBlog(articleId: $id) { status } }`, { id: article }, key);

    await sleep(1000);
    const before = rss(b.pid);
    log(`gateway B before subscribers: ${(before / 1048576).toFixed(1)} MB resident`);

    // One socket per subscriber; each records when it got post n.
    const received: Array<Map<number, number>> = [];
    const clients: Client[] = [];
    let errors = 0;
    const connected = { n: 0 };
    const wsUrl = `${b.url.replace(/^http/, "ws")}/graphql`;
    for (let i = 0; i < subscribers; i++) {
      const got = new Map<number, number>();
      received.push(got);
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        keepAlive: 0,
        on: { connected: () => void (connected.n += 1) },
        onNonLazyError: () => void (errors += 1),
      });
      clients.push(client);
      client.subscribe(
        { query: SUBSCRIPTION, variables: { id: article } },
        {
          next: (m) => {
            const title = (m.data as { liveBlogUpdated?: { post?: { title?: string } } })?.liveBlogUpdated?.post?.title;
            const n = Number(/^#(\d+)$/.exec(title ?? "")?.[1]);
            if (Number.isInteger(n)) got.set(n, performance.now());
          },
          error: () => void (errors += 1),
          complete: () => undefined,
        },
      );
      if (i % 100 === 99) await sleep(20);
    }
    const deadline = Date.now() + 60_000;
    while (connected.n < subscribers && Date.now() < deadline) await sleep(100);
    log(`${connected.n} of ${subscribers} subscribers connected to B (${errors} errors)`);

    // Warm-up post #0: when every subscriber has it, every subscription is in place.
    await gql(a.url, ADD, { id: article, title: "#0" }, key);
    const warm = Date.now() + 30_000;
    while (received.some((g) => !g.has(0)) && Date.now() < warm) await sleep(100);
    await sleep(1000);
    const after = rss(b.pid);
    const perSubscriber = (after - before) / subscribers;
    log(
      `gateway B with ${subscribers} subscribers: ${(after / 1048576).toFixed(1)} MB resident: ${(perSubscriber / 1024).toFixed(1)} kB per subscriber`,
    );

    // The measured period: `rate` posts a second on A.
    const sentAt = new Map<number, number>();
    const writeMs: number[] = [];
    const posts = Math.round(seconds * rate);
    const t0 = performance.now();
    for (let n = 1; n <= posts; n++) {
      const due = t0 + ((n - 1) * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const sent = performance.now();
      sentAt.set(n, sent);
      await gql(a.url, ADD, { id: article, title: `#${n}` }, key);
      writeMs.push(performance.now() - sent);
    }
    // Stragglers get 5 s.
    const end = Date.now() + 5000;
    while (received.some((g) => g.size < posts + 1) && Date.now() < end) await sleep(100);

    const latencies: number[] = [];
    let missed = 0;
    for (const got of received)
      for (let n = 1; n <= posts; n++) {
        const at = got.get(n);
        if (at === undefined) missed += 1;
        else latencies.push(at - sentAt.get(n)!);
      }
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    const w50 = percentile(writeMs, 50);
    const w99 = percentile(writeMs, 99);
    const result = {
      subscribers,
      posts,
      seconds,
      database: db.url.startsWith("sqlite:") ? "sqlite" : "mysql",
      deliveryMs: { p50: +p50.toFixed(1), p99: +p99.toFixed(1), max: +Math.max(...latencies).toFixed(1) },
      baselineWriteMs: { p50: +w50.toFixed(1), p99: +w99.toFixed(1) },
      ratioToWrite: { p50: +(p50 / w50).toFixed(2), p99: +(p99 / w99).toFixed(2) },
      missed,
      expected: posts * subscribers,
      errors,
      memoryPerSubscriberKB: +(perSubscriber / 1024).toFixed(1),
      gatewayBMB: { before: +(before / 1048576).toFixed(1), with: +(after / 1048576).toFixed(1) },
    };
    log(
      `delivery A -> B: p50 ${result.deliveryMs.p50} ms, p99 ${result.deliveryMs.p99} ms (goal: p99 < 1000 ms: ${p99 < 1000 ? "PASS" : "MISS"})`,
    );
    log(`baseline, the write itself on A: p50 ${w50.toFixed(1)} ms, p99 ${w99.toFixed(1)} ms`);
    log(`missed ${missed} of ${posts * subscribers} (goal 0: ${missed === 0 ? "PASS" : "MISS"})`);
    console.log(JSON.stringify(result));
    await Promise.all(clients.map((c) => c.dispose()));
  } finally {
    for (const stop of stops.reverse()) await stop();
    await db.drop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
