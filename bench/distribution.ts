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
import fs from "node:fs";
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

/** Current resident memory of a process, in bytes. */
function rss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kb ?? 0) * 1024;
}

type Load = Awaited<ReturnType<typeof load>>;

function start(responseCache: boolean, port: number, extra: Record<string, string> = {}): Promise<Child> {
  return startChild(
    `distribution-gateway-${responseCache ? "cached" : "uncached"}${extra.NODE_OPTIONS ? "-capped" : ""}`,
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
      RESPONSE_CACHE: String(responseCache),
      ...extra,
    },
    port,
    "/readyz",
  );
}

const feedPage = {
  method: "POST" as const,
  path: "/graphql",
  body: JSON.stringify({ query: "{ articles(first: 20) { nodes { id title url publishedAt } } }" }),
};

async function main(): Promise<void> {
  const seconds = flag("seconds", 10);
  const opts = { seconds, connections: 10 };
  const results: Array<[string, Load]> = [];
  let memory = "";
  let sitemapLine = "";
  let newsLine = "";

  // Without the output cache: every answer is built from the database.
  const uncached = await start(false, await freePort());
  try {
    const base = uncached.url;
    // Warm-up and the memory baseline: GraphQL feed pages, the gateway's everyday work.
    await load(base, [feedPage], { seconds: Math.max(3, seconds / 2), connections: 10 });
    const warmPeak = uncached.peakRss();
    const t0 = Date.now();
    const index = await drain(`${base}/sitemap.xml`);
    let urls = 0;
    let bytes = index.bytes;
    let largest = 0;
    const after: number[] = [];
    const peaks: number[] = [];
    for (const loc of index.locs) {
      const part = await drain(`${base}${new URL(loc).pathname}`);
      urls += part.urls;
      bytes += part.bytes;
      largest = Math.max(largest, part.bytes);
      after.push(rss(uncached.pid));
      peaks.push(uncached.peakRss());
    }
    const sitemapMs = Date.now() - t0;
    const peak = uncached.peakRss();
    // The whole archive once more: memory that grew with what was served would show here.
    for (const loc of [`${base}/sitemap.xml`, ...index.locs]) await drain(`${base}${new URL(loc).pathname}`);
    const secondPeak = uncached.peakRss();
    const secondRss = rss(uncached.pid);
    const fifth = after[Math.min(4, after.length - 1)]!;
    const fifthPeak = peaks[Math.min(4, peaks.length - 1)]!;
    sitemapLine =
      `sitemaps: index + ${index.locs.length} files, ${urls} URLs, ${mb(bytes)} MB (largest file ` +
      `${(largest / 1024 / 1024).toFixed(1)} MB) in ${(sitemapMs / 1000).toFixed(1)} s, one after another`;
    memory =
      `gateway RSS: peak ${mb(warmPeak)} MB after the GraphQL warm-up; while streaming every sitemap, ` +
      `${mb(fifth)} MB after the 5th file (peak so far ${mb(fifthPeak)} MB), ${mb(after[after.length - 1]!)} MB after the last, peak ${mb(peak)} MB ` +
      `(x${(peak / warmPeak).toFixed(2)} the warm-up peak, for ${mb(bytes)} MB served); ` +
      `all of them a second time: ${mb(secondRss)} MB after, peak ${mb(secondPeak)} MB`;
    results.push(["GET /healthz (HTTP floor)", await load(base, [{ method: "GET", path: "/healthz" }], opts)]);
    results.push(["GraphQL articles(first: 20)", await load(base, [feedPage], opts)]);
    const news = await drain(`${base}/sitemap-news.xml`);
    newsLine = `news sitemap: ${news.urls} URLs (${(news.bytes / 1024).toFixed(0)} kB), ${(await drain(`${base}/sitemap-news.xml?language=nl`)).urls} in Dutch`;
    results.push([
      "news sitemap, built each time",
      await load(base, [{ method: "GET", path: "/sitemap-news.xml" }], opts),
    ]);
    results.push([
      "news sitemap nl, built each time",
      await load(base, [{ method: "GET", path: "/sitemap-news.xml?language=nl" }], opts),
    ]);
  } finally {
    await uncached.stop();
  }

  // As deployed by default (RESPONSE_CACHE on): answers held until a change or a moment.
  const cached = await start(true, await freePort());
  try {
    const base = cached.url;
    results.push([
      "GET /healthz (HTTP floor), 2nd gateway",
      await load(base, [{ method: "GET", path: "/healthz" }], opts),
    ]);
    results.push([
      "news sitemap, output cache on",
      await load(base, [{ method: "GET", path: "/sitemap-news.xml" }], opts),
    ]);
    results.push([
      "news sitemap nl, output cache on",
      await load(base, [{ method: "GET", path: "/sitemap-news.xml?language=nl" }], opts),
    ]);
  } finally {
    await cached.stop();
  }

  // The same walk twice with the gateway's heap capped at 96 MB (the gateway itself, started, holds about 60): if streaming kept what it served,
  // this would run out of memory; it finishes with a far lower peak.
  const capped = await start(false, await freePort(), { NODE_OPTIONS: "--max-old-space-size=96" });
  let cappedLine = "";
  try {
    let served = 0;
    for (let pass = 0; pass < 2; pass++) {
      const index = await drain(`${capped.url}/sitemap.xml`);
      for (const loc of index.locs) served += (await drain(`${capped.url}${new URL(loc).pathname}`)).bytes;
    }
    cappedLine =
      `with the heap capped at 96 MB (--max-old-space-size=96): every sitemap twice, ${mb(served)} MB served, ` +
      `peak RSS ${mb(capped.peakRss())} MB, ${mb(rss(capped.pid))} MB after`;
  } finally {
    await capped.stop();
  }

  const floor = results[0]![1].p99;
  console.log(`\nSitemaps and the Google News sitemap on ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")}\n`);
  console.log(sitemapLine);
  console.log(memory);
  console.log(cappedLine);
  console.log(newsLine);
  console.log(`latency over HTTP, 10 connections, ${seconds} s each:`);
  for (const [name, r] of results)
    console.log(
      `  ${name.padEnd(40)} p50 ${String(r.p50).padStart(7)} ms  p99 ${String(r.p99).padStart(7)} ms  ` +
        `${String(r.rps).padStart(7)} req/s  failed ${r.failed}  p99 x${(r.p99 / floor).toFixed(1)} the floor`,
    );
  const newsRows = results.filter(([n]) => n.startsWith("news sitemap"));
  const best = results.filter(([n]) => n.includes("output cache on"));
  const pass = best.every(([, r]) => r.p99 < 100 && r.failed === 0);
  console.log(
    `\nnews sitemap p99 < 100 ms (as deployed, output cache on): ${pass ? "PASS" : "MISS"}; built each time: ` +
      newsRows
        .filter(([n]) => n.includes("built"))
        .map(([n, r]) => `${n.includes(" nl") ? "nl" : "all"} ${r.p99} ms`)
        .join(", "),
  );
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
