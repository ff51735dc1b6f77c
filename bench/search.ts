import { flag } from "./processes";
/**
 * Search latency over HTTP: two-word queries drawn from the bench vocabulary, against a gateway
 * started here on the given database (e.g. the 100k-article bench set), with the plain article
 * feed measured in the same run as the baseline.
 *
 *   npm run build && DATABASE_URL=mysql://root@127.0.0.1:3306/courant_bench node dist/bench/search.js \
 *     [--duration 30] [--concurrency 2] [--queries 500] [--index-only] [--function-words]
 */
import "reflect-metadata";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config";
import { benchSearchQueries } from "../src/seed/bench";
import { createLogger } from "../src/log";
import { startCourant } from "../src/main";

export interface BenchSearchOptions {
  databaseUrl: string;
  durationSeconds: number;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** Seed of the query sequence (default 1), so runs are comparable. */
  seed?: number;
  /**
   * Distinct queries sent in turn (default 500). The full bench sends 20, which stay in the
   * database's buffer pool; 500 also measure rows read from disk.
   */
  queries?: number;
  /** SEARCH_WORD_SAMPLE_SIZE for the gateway; 0 runs every word through the index. */
  wordSampleSize?: number;
  /** Queries with "the", "and", "of" around the two words, as readers also type them. */
  functionWords?: boolean;
}

export interface BenchResult {
  /** Latency percentiles in milliseconds. */
  p50: number;
  p99: number;
  rps: number;
  queries: number;
  /** The slowest requests: query text (search words) and milliseconds. */
  slowest: Array<[string, number]>;
}

const SEARCH = `query Search($q: String!) {
  search(query: $q, first: 20) { totalCount edges { score highlight node { title url section { name } } } }
}`;
const FEED = `{ articles(first: 20) { totalCount nodes { title url section { name } } } }`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** Runs `concurrency` request loops for `seconds`; fails loudly on any GraphQL or HTTP error. */
async function load(
  url: string,
  seconds: number,
  concurrency: number,
  next: () => { query: string; variables?: Record<string, unknown> },
): Promise<BenchResult> {
  const latencies: number[] = [];
  const timed: Array<[string, number]> = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const request = next();
      const body = JSON.stringify(request);
      const t0 = performance.now();
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
      const json = (await res.json()) as { errors?: unknown[] };
      const ms = performance.now() - t0;
      latencies.push(ms);
      timed.push([String(request.variables?.q ?? "feed"), Math.round(ms)]);
      if (!res.ok || json.errors)
        throw new Error(`request failed (${res.status}): ${JSON.stringify(json).slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    p50: round(percentile(latencies, 0.5)),
    p99: round(percentile(latencies, 0.99)),
    rps: round(latencies.length / elapsed),
    queries: latencies.length,
    slowest: timed.sort((a, b) => b[1] - a[1]).slice(0, 5),
  };
}

export async function benchSearch(opts: BenchSearchOptions): Promise<BenchResult> {
  const concurrency = opts.concurrency ?? 2;
  const config = loadConfig({
    NODE_ENV: "production",
    DATABASE_URL: opts.databaseUrl,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "error",
    MIGRATE_ON_START: "false",
    SEED_DEMO_ON_START: "false",
    DB_POOL_SIZE: String(Math.max(4, concurrency * 2)),
    // One client sends everything here: the per-client limit would measure itself.
    RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
    // Uncached: every search runs.
    RESPONSE_CACHE: "false",
    SQL_STATEMENT_TIMEOUT_MS: "60000",
    REQUEST_TIMEOUT_MS: "60000",
    ...(opts.wordSampleSize !== undefined ? { SEARCH_WORD_SAMPLE_SIZE: String(opts.wordSampleSize) } : {}),
  });
  const courant = await startCourant(config, { log: createLogger({ logLevel: "error" }) });
  try {
    await courant.ready;
    const url = `${courant.url}/graphql`;
    const queries = benchSearchQueries(opts.seed ?? 1, opts.queries ?? 500, { functionWords: opts.functionWords });
    let next = 0;
    const twoWords = () => ({ query: SEARCH, variables: { q: queries[next++ % queries.length] } });
    // Warm the pool and the caches the same way for both.
    await load(url, Math.min(3, opts.durationSeconds / 10), 1, twoWords);
    await load(url, 1, 1, () => ({ query: FEED }));

    const baseline = await load(url, Math.max(2, Math.min(10, opts.durationSeconds / 4)), concurrency, () => ({
      query: FEED,
    }));
    const result = await load(url, opts.durationSeconds, concurrency, twoWords);
    const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(1) : "n/a");
    console.log(
      `search (two words, first: 20, concurrency ${concurrency}, ${queries.length} queries in turn` +
        `${opts.functionWords ? ", with function words" : ""}${opts.wordSampleSize === 0 ? ", index only" : ""}): p50 ${result.p50} ms, p99 ${result.p99} ms,` +
        ` ${result.rps} req/s, ${result.queries} queries; slowest: ` +
        result.slowest.map(([q, ms]) => `"${q}" ${ms} ms`).join(", "),
    );
    console.log(
      `baseline articles(first: 20): p50 ${baseline.p50} ms, p99 ${baseline.p99} ms, ${baseline.rps} req/s;` +
        ` search/baseline p50 x${ratio(result.p50, baseline.p50)}, p99 x${ratio(result.p99, baseline.p99)}`,
    );
    return result;
  } finally {
    await courant.close();
  }
}

if (require.main === module) {
  benchSearch({
    databaseUrl: loadConfig().databaseUrl,
    durationSeconds: flag("duration", 30),
    concurrency: flag("concurrency", 2),
    queries: flag("queries", 500),
    // --index-only: SEARCH_WORD_SAMPLE_SIZE=0, the baseline for the common-word plan.
    wordSampleSize: process.argv.includes("--index-only") ? 0 : undefined,
    functionWords: process.argv.includes("--function-words"),
  }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
