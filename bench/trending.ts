import { flag } from "./processes";
import { mulberry32 } from "../src/seed/bench";
/**
 * Trending: view ingestion over HTTP and uncached ranking latency, against a gateway started
 * here on the given database (the 100k-article bench set), with baselines measured in the same
 * run: GET /healthz for ingestion, the plain full-window SQL aggregate for ranking.
 *
 *   npm run build && DATABASE_URL=mysql://root@127.0.0.1:3306/courant_bench node dist/bench/trending.js \
 *     [--seconds 10] [--connections 10] [--samples 300]
 *
 * It REPLACES the view history of that database: article_view_buckets and trending_scores are
 * emptied and refilled with a deterministic history of about 10 million views: 8 days of 5-minute
 * buckets ending now. (Ending at the real time, not at the bench data's own "now": any gateway on
 * the database prunes views older than 8 days by its clock.)
 */
import "reflect-metadata";
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";
import type { DataSource } from "typeorm";
import { loadConfig } from "../src/config";
import { openDataSource } from "../src/db/data-source";
import { readDate, sqlDate } from "../src/db/sql";
import { createLogger } from "../src/log";
import { startCourant, type Courant } from "../src/main";
import { toGlobalId } from "../src/graphql/global-id";
import { BUCKET_MS } from "../src/trending/trending.buffer";

export interface BenchTrendingOptions {
  databaseUrl: string;
  /** Roughly how long the ingestion load runs (default 10). */
  seconds?: number;
  /** autocannon connections (default 10). */
  connections?: number;
  /** Trending queries per kind for the latency percentiles (default 300). */
  samples?: number;
  /** Seed of the view history and of the beacon traffic (default 1). */
  seed?: number;
}

export interface Latency {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export interface BenchTrendingResult {
  history: { views: number; rows: number; seconds: number };
  ingestion: {
    sent: number;
    acknowledged: number;
    stored: number;
    lost: number;
    viewsPerSecond: number;
    latencyP99Ms: number;
    baselineHealthzPerSecond: number;
  };
  queries: Record<string, Latency>;
  baseline: Record<string, Latency>;
}

const HISTORY_BUCKETS = (8 * 24 * 60 * 60_000) / BUCKET_MS;
const VIEWS_PER_BUCKET = 4400;
/** Most views go to the newest articles; the rest spread over everything published before. */
const HOT_ARTICLES = 600;
const HOT_SHARE = 0.8;
const ROWS_PER_INSERT = 5000;
/** The pace at which the history pretends articles appear, about what the bench data set has (100k in two years). */
const PUBLISH_EVERY_MS = (24 * 60 * 60_000) / 130;

function latency(ms: number[]): Latency {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  const round = (n: number) => Math.round(n * 10) / 10;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1]!), samples: ms.length };
}

/** Public articles as of `now`, newest first: [id, publishedAt ms]. */
export async function publicArticles(ds: DataSource, now: number): Promise<Array<[number, number]>> {
  const rows: Array<{ id: unknown; published_at: unknown }> = await ds.query(
    "SELECT id, published_at FROM articles WHERE status IN ('published', 'scheduled') AND published_at <= ?" +
      " AND deleted_at IS NULL ORDER BY published_at DESC, id DESC",
    [sqlDate(new Date(now))],
  );
  return rows.map((r) => [Number(r.id), readDate(r.published_at)!.getTime()]);
}

/** Replaces the view history with a deterministic one of HISTORY_BUCKETS × VIEWS_PER_BUCKET views. */
export async function loadHistory(ds: DataSource, articles: Array<[number, number]>, end: number, seed: number) {
  const started = performance.now();
  const mysql = ds.options.type !== "better-sqlite3";
  for (const table of ["article_view_buckets", "trending_scores"]) {
    await ds.query(mysql ? `TRUNCATE TABLE ${table}` : `DELETE FROM ${table}`);
  }
  // Without the fingerprint the gateway rebuilds every score key from the buckets when it starts.
  await ds.query("DELETE FROM trending_state");
  const random = mulberry32(seed);
  let views = 0;
  let rows = 0;
  let batch: unknown[] = [];
  const insert = async () => {
    if (batch.length === 0) return;
    await ds.query(
      `INSERT INTO article_view_buckets (bucket_start, article_id, views) VALUES ${Array.from(
        { length: batch.length / 3 },
        () => "(?, ?, ?)",
      ).join(", ")}`,
      batch,
    );
    batch = [];
  };
  for (let b = HISTORY_BUCKETS; b >= 1; b--) {
    const start = end - b * BUCKET_MS;
    // Articles are newest first. Traffic follows a steady publishing pace (not the bench data's
    // real dates), so the hot set turns over through the week as on a news site.
    const lo = Math.min(articles.length - 1, Math.ceil((end - start) / PUBLISH_EVERY_MS));
    const eligible = articles.length - lo;
    const counts = new Map<number, number>();
    for (let i = 0; i < VIEWS_PER_BUCKET; i++) {
      const offset =
        random() < HOT_SHARE
          ? Math.floor(random() ** 3 * Math.min(HOT_ARTICLES, eligible))
          : Math.floor(random() * eligible);
      const id = articles[lo + offset]![0];
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const at = sqlDate(new Date(start));
    for (const [id, n] of counts) {
      batch.push(at, id, n);
      views += n;
      rows += 1;
    }
    if (batch.length >= ROWS_PER_INSERT * 3) await insert();
  }
  await insert();
  return { views, rows, seconds: Math.round((performance.now() - started) / 100) / 10 };
}

async function storedSince(ds: DataSource, from: number): Promise<number> {
  const [row] = await ds.query(
    "SELECT COALESCE(SUM(views), 0) AS n FROM article_view_buckets WHERE bucket_start >= ?",
    [sqlDate(new Date(from))],
  );
  return Number(row.n);
}

function start(databaseUrl: string, connections: number): Promise<Courant> {
  const config = loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    MIGRATE_ON_START: "false",
    SEED_DEMO_ON_START: "false",
    DB_POOL_SIZE: String(Math.max(4, connections)),
    // Uncached: every trending request ranks (neither the trending list cache nor the response cache).
    TRENDING_CACHE_SECONDS: "0",
    RESPONSE_CACHE: "false",
    // One machine sends every view here: per-client dedupe and limits would measure themselves.
    TRENDING_VIEW_DEDUPE_MINUTES: "0",
    TRENDING_VIEW_RATE_PER_MINUTE: "0",
    RATE_LIMIT_BEACONS_PER_MINUTE: "10000000",
    RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
  });
  return startCourant(config, { log: createLogger({ logLevel: "warn" }) });
}

/** Runs autocannon and resolves with its result. */
function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

const TRENDING = `query($window: TrendingWindow, $section: String, $language: Locale) {
  trending(window: $window, first: 10, section: $section, language: $language) {
    generatedAt items { rank score views article { id title url section { name } } }
  }
}`;

async function queryLatency(url: string, variables: Record<string, unknown>, samples: number): Promise<Latency> {
  const body = JSON.stringify({ query: TRENDING, variables });
  const ms: number[] = [];
  for (let i = 0; i < samples + 5; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const json = (await res.json()) as { errors?: unknown; data?: { trending: { items: unknown[] } } };
    if (!res.ok || json.errors)
      throw new Error(`trending failed (${res.status}): ${JSON.stringify(json).slice(0, 300)}`);
    if (json.data!.trending.items.length === 0) throw new Error(`empty trending list for ${JSON.stringify(variables)}`);
    // The first few warm the pool and the buffer pool.
    if (i >= 5) ms.push(performance.now() - t0);
  }
  return latency(ms);
}

/** What the ranking replaces: the window's decayed sum over every bucket, grouped per article. */
async function naiveLatency(ds: DataSource, window: "DAY" | "WEEK", runs: number): Promise<Latency> {
  const at = Date.now();
  const length = window === "DAY" ? 24 * 3600 : 7 * 24 * 3600;
  const halfLife = window === "DAY" ? 6 * 3600 : 2 * 24 * 3600;
  const now = sqlDate(new Date(at));
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await ds.query(
      `SELECT v.article_id, v.score, v.views FROM (SELECT b.article_id, SUM(b.views * POW(2, -TIMESTAMPDIFF(SECOND, b.bucket_start, ?) / ${halfLife}e0)) AS score, SUM(b.views) AS views` +
        " FROM article_view_buckets b WHERE b.bucket_start >= ? AND b.bucket_start <= ? GROUP BY b.article_id) v" +
        " JOIN articles a ON a.id = v.article_id WHERE a.status IN ('published', 'scheduled') AND a.published_at <= ?" +
        " AND a.deleted_at IS NULL ORDER BY v.score DESC, a.published_at DESC, a.id DESC LIMIT 60",
      [now, sqlDate(new Date(at - length * 1000)), now, now],
    );
    ms.push(performance.now() - t0);
  }
  return latency(ms);
}

export async function benchTrending(opts: BenchTrendingOptions): Promise<BenchTrendingResult> {
  const seconds = opts.seconds ?? 10;
  const connections = opts.connections ?? 10;
  const samples = opts.samples ?? 300;
  const seed = opts.seed ?? 1;
  // The history ends at the current bucket; the views sent below land at or after it.
  const end = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
  const setup = await openDataSource(loadConfig({ DATABASE_URL: opts.databaseUrl, LOG_LEVEL: "warn" }));
  let articles: Array<[number, number]>;
  let history: BenchTrendingResult["history"];
  try {
    if (setup.options.type === "better-sqlite3")
      throw new Error("the trending bench measures MySQL: set DATABASE_URL=mysql://...");
    articles = await publicArticles(setup, end);
    if (articles.length < 1000)
      throw new Error(`only ${articles.length} public articles: load the bench data set first`);
    console.log(`loading the view history over ${articles.length} public articles...`);
    history = await loadHistory(setup, articles, end, seed);
    console.log(`history: ${history.views} views in ${history.rows} bucket rows (${history.seconds} s)`);
  } finally {
    await setup.destroy();
  }

  const courant = await start(opts.databaseUrl, connections);
  let closed = false;
  try {
    const t0 = performance.now();
    await courant.ready;
    console.log(`gateway ready in ${Math.round(performance.now() - t0)} ms (score keys rebuilt from the history)`);
    const ds = courant.deps.db.dataSource;

    // (b) Uncached ranking latency, sequential requests over HTTP.
    const sectionSlug = "bench-section-1";
    const queries: Record<string, Latency> = {
      "DAY (default)": await queryLatency(courant.url, {}, samples),
      HOUR: await queryLatency(courant.url, { window: "HOUR" }, samples),
      WEEK: await queryLatency(courant.url, { window: "WEEK" }, samples),
      [`DAY, section ${sectionSlug}`]: await queryLatency(courant.url, { section: sectionSlug }, samples),
      "DAY, language lt": await queryLatency(courant.url, { language: "lt" }, samples),
      [`WEEK, section ${sectionSlug} + lt`]: await queryLatency(
        courant.url,
        { window: "WEEK", section: sectionSlug, language: "lt" },
        samples,
      ),
    };
    const baseline = {
      "DAY full scan": await naiveLatency(ds, "DAY", 5),
      "WEEK full scan": await naiveLatency(ds, "WEEK", 3),
    };

    // (a) Beacon ingestion. Distinct viewIds ([<id>]) and no per-client limits, so every view must count.
    const random = mulberry32(seed + 1);
    const requests = Array.from({ length: 2000 }, (_, i) => {
      const offset =
        random() < HOT_SHARE ? Math.floor(random() ** 3 * HOT_ARTICLES) : Math.floor(random() * articles.length);
      return {
        method: "POST" as const,
        path: "/beacon/view",
        headers: { "content-type": "text/plain;charset=UTF-8", "user-agent": `bench-browser-${i % 100}` },
        body: JSON.stringify({ articleId: toGlobalId("Article", articles[offset]![0]), viewId: "[<id>]" }),
      };
    });
    const common = { url: courant.url, connections, workers: 1, idReplacement: true };
    const health = await cannon({ ...common, url: `${courant.url}/healthz`, duration: Math.max(3, seconds / 2) });
    const before = await storedSince(ds, end);
    // Calibrate, then send a fixed amount sized for `seconds`: a fixed amount means every request
    // is answered before the count, so "sent" is exact.
    const warm = await cannon({ ...common, requests, amount: 20_000 });
    const amount = Math.max(20_000, Math.round((warm.requests.average || 1000) * seconds));
    const run = await cannon({ ...common, requests, amount });
    const sent = warm.requests.sent + run.requests.sent;
    const acknowledged = warm["2xx"] + run["2xx"];
    await courant.close();
    closed = true;

    const check = await openDataSource(loadConfig({ DATABASE_URL: opts.databaseUrl, LOG_LEVEL: "warn" }));
    let stored: number;
    try {
      stored = (await storedSince(check, end)) - before;
    } finally {
      await check.destroy();
    }
    const ingestion = {
      sent,
      acknowledged,
      stored,
      lost: sent - stored,
      viewsPerSecond: Math.round(run.requests.average),
      latencyP99Ms: run.latency.p99,
      baselineHealthzPerSecond: Math.round(health.requests.average),
    };

    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : "n/a");
    console.log(
      `ingestion: ${ingestion.viewsPerSecond} views/s over ${connections} connections (p99 ${ingestion.latencyP99Ms} ms);` +
        ` sent ${sent}, 204 ${acknowledged}, stored after the final flush ${stored}, lost ${ingestion.lost};` +
        ` baseline GET /healthz ${ingestion.baselineHealthzPerSecond} req/s, beacon/healthz x${ratio(ingestion.viewsPerSecond, ingestion.baselineHealthzPerSecond)}`,
    );
    for (const [name, l] of Object.entries(queries)) {
      console.log(
        `trending ${name}, first 10, uncached: p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms (${l.samples} requests)`,
      );
    }
    for (const [name, l] of Object.entries(baseline)) {
      console.log(`baseline ${name} (SQL only, no HTTP): p50 ${l.p50} ms, max ${l.max} ms (${l.samples} runs)`);
    }
    console.log(
      `trending DAY p50 / full-scan DAY p50: x${ratio(queries["DAY (default)"]!.p50, baseline["DAY full scan"].p50)};` +
        ` WEEK: x${ratio(queries.WEEK!.p50, baseline["WEEK full scan"].p50)}`,
    );
    return { history, ingestion, queries, baseline };
  } finally {
    if (!closed) await courant.close();
  }
}

if (require.main === module) {
  benchTrending({
    databaseUrl: loadConfig().databaseUrl,
    seconds: flag("seconds", 10),
    connections: flag("connections", 10),
    samples: flag("samples", 300),
  }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
