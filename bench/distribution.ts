/**
 * Sitemaps and the Google News sitemap on the 100k bench set (bench/README.md), against a gateway
 * in its own process whose clock stands at the bench set's "now" (2026-11-01), so the news
 * sitemap has its two days of articles:
 *
 * - peak RSS of the gateway while it streams the sitemap index and every file it lists, against
 *   its peak after a warm-up of GraphQL article pages in the same run;
 * - p50/p99 of /sitemap-news.xml (all languages, and one) under 10 connections, against the
 *   HTTP floor (/healthz) and a GraphQL feed page measured the same minute.
 *
 *   npm run build && nice node dist/bench/distribution.js [--seconds 10]
 *
 * DATABASE_URL names the bench database (default mysql://root@127.0.0.1:3306/courant_bench); it is
 * only read, never seeded or changed here (seed it with `npx courant seed --bench --articles 100000 --seed 1`).
 */
import { loadConfig } from "../src/config";
import { startCourant } from "../src/main";
import { load } from "./load";
import { flag, freePort, startChild, type Child } from "./processes";

const BENCH_NOW = new Date("2026-11-01T00:00:00Z");
const DATABASE_URL = process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/courant_bench";

/** The child: a production gateway whose clock starts at the bench set's "now" and runs on. */
async function serve(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  await startCourant(config, { clock: () => new Date(BENCH_NOW.getTime() + (Date.now() - started)) });
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Reads a response to its end, keeping only counts: what a crawler does. */
async function drain(url: string): Promise<{ bytes: number; urls: number; locs: string[] }> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  let bytes = 0;
  let urls = 0;
  let tail = "";
  const locs: string[] = [];
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    const text = tail + decoder.decode(chunk, { stream: true });
    urls += (text.match(/<url>/g) ?? []).length - (tail.match(/<url>/g) ?? []).length;
    for (const m of text.matchAll(/<sitemap><loc>([^<]+)<\/loc>/g)) locs.push(m[1]!);
    tail = text.slice(-64);
  }
  return { bytes, urls, locs };
}

async function main(): Promise<void> {
  const seconds = flag("seconds", 10);
  const port = await freePort();
  const gateway: Child = await startChild(
    "distribution-gateway",
    __filename,
    ["--serve"],
    {
      NODE_ENV: "production",
      DATABASE_URL,
      PORT: String(port),
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      PUBLIC_SITE_URL: "https://news.example",
      RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      RESPONSE_CACHE: "false",
    },
    port,
    "/readyz",
  );
  try {
    const base = gateway.url;
    const feedPage = {
      method: "POST" as const,
      path: "/graphql",
      body: JSON.stringify({ query: "{ articles(first: 20) { nodes { id title url publishedAt } } }" }),
    };
    // Warm-up and the memory baseline: GraphQL feed pages, the gateway's everyday work.
    await load(base, [feedPage], { seconds: Math.max(3, seconds / 2), connections: 10 });
    const warmPeak = gateway.peakRss();

    const t0 = Date.now();
    const index = await drain(`${base}/sitemap.xml`);
    let files = 0;
    let urls = 0;
    let bytes = index.bytes;
    let largest = 0;
    for (const loc of index.locs) {
      const part = await drain(`${base}${new URL(loc).pathname}`);
      files += 1;
      urls += part.urls;
      bytes += part.bytes;
      largest = Math.max(largest, part.bytes);
    }
    const sitemapMs = Date.now() - t0;
    const sitemapPeak = gateway.peakRss();

    const floor = await load(base, [{ method: "GET", path: "/healthz" }], { seconds, connections: 10 });
    const graphql = await load(base, [feedPage], { seconds, connections: 10 });
    const newsAll = await drain(`${base}/sitemap-news.xml`);
    const news = await load(base, [{ method: "GET", path: "/sitemap-news.xml" }], { seconds, connections: 10 });
    const newsNl = await load(base, [{ method: "GET", path: "/sitemap-news.xml?language=nl" }], {
      seconds,
      connections: 10,
    });

    const ratio = (x: number, y: number) => (y > 0 ? (x / y).toFixed(1) : "n/a");
    console.log(`\nSitemaps and the Google News sitemap on ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}\n`);
    console.log(
      `sitemaps: index + ${files} files, ${urls} URLs, ${mb(bytes)} MB (largest file ${(largest / 1024 / 1024).toFixed(1)} MB) in ${(sitemapMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `gateway peak RSS: ${mb(warmPeak)} MB after the GraphQL warm-up, ${mb(sitemapPeak)} MB after streaming every sitemap` +
        ` (x${(sitemapPeak / warmPeak).toFixed(2)}; the sitemaps were ${mb(bytes)} MB)`,
    );
    console.log(`news sitemap: ${newsAll.urls} URLs (${(newsAll.bytes / 1024).toFixed(0)} kB)`);
    const row = (name: string, r: Awaited<ReturnType<typeof load>>) =>
      console.log(
        `  ${name.padEnd(34)} p50 ${String(r.p50).padStart(6)} ms  p99 ${String(r.p99).padStart(6)} ms  ${String(r.rps).padStart(7)} req/s  failed ${r.failed}` +
          `  p99 x${ratio(r.p99, floor.p99)} the floor`,
      );
    console.log(`latency, 10 connections, ${seconds} s each:`);
    row("GET /healthz (HTTP floor)", floor);
    row("GraphQL articles(first: 20)", graphql);
    row("GET /sitemap-news.xml", news);
    row("GET /sitemap-news.xml?language=nl", newsNl);
    const pass = news.p99 < 100 && newsNl.p99 < 100 && news.failed === 0 && newsNl.failed === 0;
    console.log(`\nnews sitemap p99 < 100 ms: ${pass ? "PASS" : "MISS"}`);
  } finally {
    await gateway.stop();
  }
}

if (process.argv.includes("--serve")) {
  serve().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
