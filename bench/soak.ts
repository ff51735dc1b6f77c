/**
 * Memory over a sustained run: one production gateway (response cache on, its default bounds)
 * under a mixed load of many distinct requests (feeds of every section, thousands of article
 * pages, searches), RSS sampled every few seconds. Reports RSS at start, middle and end and the
 * peak, so growth shows as a rising line rather than a single number.
 *
 *   npm run build && node dist/bench/soak.js [--minutes 5] [--connections 10] [--no-heap-cap]
 *
 * The gateway runs with the production heap flags (GATEWAY_NODE_ARGS); --no-heap-cap leaves them out.
 *
 * DATABASE_URL as for `npm run bench` (the bench data set must be loaded: run the bench once).
 */
import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { createConnection } from "mysql2/promise";
import { DEFAULT_DATABASE_URL } from "./dataset";
import { load } from "./load";
import { GATEWAY_NODE_ARGS, flag, freePort, startChild } from "./processes";
import { ARTICLE_PAGE_QUERY, FEED_QUERY, SEARCH_QUERY, gql, type HttpRequestSpec } from "./scenarios";
import { benchSearchQueries } from "../src/seed/bench";

const ROOT = path.resolve(__dirname, "..", "..");

function rssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : 0;
  } catch {
    return 0;
  }
}

async function requests(databaseUrl: string): Promise<HttpRequestSpec[]> {
  const conn = await createConnection({ uri: databaseUrl });
  try {
    const [sections] = await conn.query("SELECT slug FROM sections");
    const [articles] = await conn.query(
      "SELECT slug, language FROM articles WHERE status = 'published' AND deleted_at IS NULL ORDER BY id DESC LIMIT 3000",
    );
    const out: HttpRequestSpec[] = [];
    for (const s of sections as Array<{ slug: string }>) out.push(gql(FEED_QUERY, { section: s.slug }));
    for (const a of articles as Array<{ slug: string; language: string }>)
      out.push(gql(ARTICLE_PAGE_QUERY, { slug: a.slug, language: a.language }));
    for (const q of benchSearchQueries(1, 200)) out.push(gql(SEARCH_QUERY, { q }));
    // Shuffled deterministically, so every connection walks a different mix.
    let seed = 7;
    for (let i = out.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  } finally {
    await conn.end();
  }
}

async function main(): Promise<void> {
  const minutes = flag("minutes", 5);
  const connections = flag("connections", 10);
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const list = await requests(databaseUrl);
  const port = await freePort();
  const gateway = await startChild(
    "soak-gateway",
    path.join(ROOT, "bin", "courant.js"),
    ["serve"],
    {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      MIGRATE_ON_START: "false",
      SEED_DEMO_ON_START: "false",
      LOG_LEVEL: "warn",
      RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
    },
    port,
    "/readyz",
    60_000,
    process.argv.includes("--no-heap-cap") ? [] : GATEWAY_NODE_ARGS,
  );
  const samples: Array<{ s: number; mb: number }> = [];
  const started = Date.now();
  const timer = setInterval(
    () => samples.push({ s: Math.round((Date.now() - started) / 1000), mb: rssMb(gateway.pid) }),
    5000,
  );
  samples.push({ s: 0, mb: rssMb(gateway.pid) });
  try {
    const result = await load(gateway.url, list, { seconds: minutes * 60, connections });
    clearInterval(timer);
    samples.push({ s: Math.round((Date.now() - started) / 1000), mb: rssMb(gateway.pid) });
    const at = (share: number) => samples[Math.min(samples.length - 1, Math.round(share * (samples.length - 1)))]!;
    const peak = Math.round(gateway.peakRss() / 1024 / 1024);
    console.log(`[soak] ${list.length} distinct requests, ${connections} connections, ${minutes} min`);
    console.log(`[soak] ${result.rps} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, failed ${result.failed}`);
    console.log(
      `[soak] RSS start ${at(0).mb} MB (after the first requests: ${samples[1]?.mb ?? "–"} MB), middle ${at(0.5).mb} MB, end ${at(1).mb} MB, peak ${peak} MB`,
    );
    console.log(`[soak] RSS every 5 s: ${samples.map((x) => x.mb).join(" ")}`);
    console.log(`[soak] ${peak < 300 ? "PASS" : "MISS"} peak RSS < 300 MB`);
  } finally {
    clearInterval(timer);
    await gateway.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
