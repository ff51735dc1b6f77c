/**
 * `npm run bench:scale`: the same scenarios against a small and a large multilingual archive
 * (by default 100,000 and 2.4 million article rows, both `seed --bench --languages 24`), the same
 * run shape, one after the other: p50/p99 and req/s for each, and the ratio large / small. Then
 * every SQL statement each scenario sends, on the large set: its plan (EXPLAIN) and the index
 * entries and rows it read (InnoDB handler reads) against the rows it returned, listing those
 * that read far more than they return. See bench/README.md ("Scale").
 *
 *   node dist/bench/scale.js [--small URL] [--large URL] [--seconds 5] [--warmup 2] [--connections 10]
 *                            [--only feed,author] [--no-load] [--no-explain] [--views] [--json FILE]
 *                            [--search-engine DIR]
 *
 * The databases must be loaded first (`courant seed --bench --articles N --languages 24
 * --body-words 120`, see the README); they are migrated here. `--views` loads the trending
 * bench's view history (about 10 million views) into each before measuring. `--search-engine DIR`
 * runs each gateway with search in a private Sphinx searchd whose indexes are kept under DIR (one
 * per archive, filled by `courant search rebuild` when empty, which is timed).
 */
import "reflect-metadata";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { createConnection, type Connection } from "mysql2/promise";
import { loadConfig } from "../src/config";
import { migrate, openDataSource } from "../src/db/data-source";
import { createLogger } from "../src/log";
import { startCourant } from "../src/main";
import { BUCKET_MS } from "../src/trending/trending.buffer";
import { searchQueries } from "./dataset";
import { load } from "./load";
import { PrivateSearchd } from "./searchd";
import { SphinxEngine } from "../src/search/engine/sphinx";
import { GATEWAY_NODE_ARGS, freePort, startChild, type Child } from "./processes";
import { ARTICLE_PAGE_QUERY, SEARCH_QUERY, TRENDING_QUERY, gql, type HttpRequestSpec } from "./scenarios";
import { loadHistory, publicArticles } from "./trending";

const ROOT = path.resolve(__dirname, "..", "..");
const GATEWAY_BIN = path.join(ROOT, "bin", "courant.js");
const log = (line: string) => console.log(`[scale] ${line}`);

/** A statement reading more than this many times the rows it returns (and more than FLOOR) is listed. */
const FACTOR = 10;
const FLOOR = 1000;

const FEED = `query Feed($filter: ArticleFilter, $after: String) {
  articles(first: 20, after: $after, filter: $filter) {
    edges { cursor node { title standfirst publishedAt heroImage { url alt width height } section { name slug } authors { name } } }
  }
}`;
const COUNT = `query Count($filter: ArticleFilter) { articles(first: 1, filter: $filter) { totalCount totalCountIsEstimate } }`;

interface Fixtures {
  leaf: string;
  parent: string;
  author: string;
  tag: string;
  article: { slug: string; language: string };
}

interface ScaleScenario {
  name: string;
  title: string;
  requests: HttpRequestSpec[];
  /** Keyset reads: the goal is within 1.5x of the small figure. */
  keyset: boolean;
}

function scenarios(f: Fixtures, deep: string): ScaleScenario[] {
  const feed = (filter: Record<string, unknown>, after?: string) => gql(FEED, { filter, after });
  return [
    { name: "feed", title: `section feed (${f.leaf})`, requests: [feed({ section: f.leaf })], keyset: true },
    { name: "deep", title: "section feed, page 51", requests: [feed({ section: f.leaf }, deep)], keyset: true },
    {
      name: "parent",
      title: `parent-section feed (${f.parent})`,
      requests: [feed({ section: f.parent })],
      keyset: true,
    },
    { name: "language", title: "language feed (lt)", requests: [feed({ language: "lt" })], keyset: true },
    {
      name: "fallback",
      title: "fallback feed (lt, then en, de)",
      requests: [feed({ language: "lt", fallbackLanguages: ["en", "de"] })],
      keyset: true,
    },
    { name: "author", title: `author feed (${f.author})`, requests: [feed({ author: f.author })], keyset: true },
    { name: "tag", title: `tag feed (${f.tag})`, requests: [feed({ tag: f.tag })], keyset: true },
    { name: "article", title: "article page", requests: [gql(ARTICLE_PAGE_QUERY, f.article)], keyset: true },
    { name: "trending", title: "trending (DAY)", requests: [gql(TRENDING_QUERY)], keyset: false },
    {
      name: "search",
      title: "search, 20 two-word queries",
      requests: searchQueries(1, 20).map((q) => gql(SEARCH_QUERY, { q })),
      keyset: false,
    },
    {
      name: "count",
      title: `totalCount, largest section (${f.parent})`,
      requests: [gql(COUNT, { filter: { section: f.parent } })],
      keyset: false,
    },
    { name: "sitemap", title: "sitemap index", requests: [{ method: "GET", path: "/sitemap.xml" }], keyset: false },
  ];
}

/** Fixtures by fixed rules, the same slugs at every size (the generator streams: the small set is the large one's start). */
async function pickFixtures(url: string): Promise<Fixtures> {
  const conn = await createConnection({ uri: url });
  try {
    const visible =
      "a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL AND a.published_at <= UTC_TIMESTAMP(3) AND a.deleted_at IS NULL";
    // The first bench article (lowest id) in the fallback languages' story with hero, tags and at least three versions.
    const [rows] = await conn.query(
      `SELECT a.slug, a.language FROM articles a WHERE ${visible} AND a.hero_image_url IS NOT NULL AND a.language = 'en'` +
        ` AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id)` +
        ` AND (SELECT COUNT(*) FROM articles v WHERE v.story_key = a.story_key) >= 3 ORDER BY a.id LIMIT 1`,
    );
    const article = (rows as Array<{ slug: string; language: string }>)[0];
    if (!article) throw new Error(`${url}: no bench article with translations: load the data set first`);
    return {
      leaf: "bench-section-7",
      parent: "bench-section-1",
      author: "bench-author-1",
      tag: "bench-tag-1",
      article,
    };
  } finally {
    await conn.end();
  }
}

async function post(base: string, spec: HttpRequestSpec): Promise<{ status: number; text: string }> {
  const res = await fetch(`${base}${spec.path}`, {
    method: spec.method,
    headers: { "content-type": "application/json" },
    body: spec.body,
    signal: AbortSignal.timeout(120_000),
  });
  return { status: res.status, text: await res.text() };
}

async function deepCursor(base: string, section: string): Promise<string> {
  let after: string | undefined;
  for (let page = 1; page <= 50; page++) {
    const r = await post(base, gql(FEED, { filter: { section }, after }));
    const edges = (JSON.parse(r.text) as { data: { articles: { edges: Array<{ cursor: string }> } } }).data.articles
      .edges;
    if (edges.length < 20) throw new Error(`page ${page} of ${section} has ${edges.length} articles`);
    after = edges[edges.length - 1]!.cursor;
  }
  return after!;
}

async function startGateway(url: string, searchEngineUrl?: string): Promise<Child> {
  const port = await freePort();
  return startChild(
    "scale-gateway",
    GATEWAY_BIN,
    ["serve"],
    {
      NODE_ENV: "production",
      DATABASE_URL: url,
      PORT: String(port),
      HOST: "127.0.0.1",
      SQL_STATEMENT_HEADER: "true",
      MIGRATE_ON_START: "false",
      SEED_DEMO_ON_START: "false",
      RESPONSE_CACHE: "false",
      LOG_LEVEL: "warn",
      RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "10000000",
      RATE_LIMIT_BEACONS_PER_MINUTE: "10000000",
      ...(searchEngineUrl ? { SEARCH_ENGINE_URL: searchEngineUrl } : {}),
    },
    port,
    "/readyz",
    300_000,
    GATEWAY_NODE_ARGS,
  );
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  failed: number;
}

async function measureSize(
  label: string,
  url: string,
  opts: Options,
): Promise<{ fixtures: Fixtures; figures: Map<string, Figures>; list: ScaleScenario[]; deep: string }> {
  const fixtures = await pickFixtures(url);
  const searchd = opts.searchEngine ? await filledSearchd(label, url, opts.searchEngine) : undefined;
  const gateway = await startGateway(url, searchd?.url);
  try {
    log(`${label}: walking 50 pages of ${fixtures.leaf} for the deep cursor`);
    const deep = await deepCursor(gateway.url, fixtures.leaf);
    const list = scenarios(fixtures, deep).filter((s) => !opts.only || opts.only.includes(s.name));
    const figures = new Map<string, Figures>();
    for (const s of list) {
      const check = await post(gateway.url, s.requests[0]!);
      if (check.status !== 200 || check.text.startsWith('{"errors"') || check.text.includes('"errors":[')) {
        log(`${label} ${s.name}: answered ${check.status} ${check.text.slice(0, 300)}: skipped`);
        continue;
      }
      await load(gateway.url, s.requests, { seconds: opts.warmup, connections: opts.connections });
      const r = await load(gateway.url, s.requests, { seconds: opts.seconds, connections: opts.connections });
      figures.set(s.name, { rps: r.rps, p50: r.p50, p99: r.p99, failed: r.failed });
      log(
        `${label} ${s.title.padEnd(44)} ${String(r.rps).padStart(8)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms${r.failed ? `  FAILED ${r.failed}` : ""}`,
      );
    }
    return { fixtures, figures, list, deep };
  } finally {
    await gateway.stop();
    await searchd?.stop();
  }
}

/** A private searchd holding this archive's articles (kept under DIR between runs; filled when empty). */
async function filledSearchd(label: string, url: string, dir: string): Promise<PrivateSearchd> {
  const searchd = await PrivateSearchd.start({ dir: path.join(dir, new URL(url).pathname.slice(1)), memLimitMb: 1024 });
  const engine = new SphinxEngine(searchd.url);
  try {
    if ((await engine.checkpoint()) === null) {
      log(`${label}: filling the search engine (courant search rebuild)`);
      const started = Date.now();
      const child = spawnSync(process.execPath, [GATEWAY_BIN, "search", "rebuild"], {
        env: { ...process.env, DATABASE_URL: url, SEARCH_ENGINE_URL: searchd.url },
        encoding: "utf8",
      });
      if (child.status !== 0) throw new Error(`search rebuild failed: ${child.stderr}`);
      log(`${label}: ${child.stdout.trim()} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
    }
    const du = spawnSync("du", ["-sh", searchd.dir], { encoding: "utf8" }).stdout.split("\t")[0];
    log(`${label}: search engine holds ${await engine.size()} articles in ${du} on disk`);
  } finally {
    await engine.close();
  }
  return searchd;
}

interface StatementReport {
  scenario: string;
  sql: string;
  returned: number;
  examined: number;
  ms: number;
  plan: Array<Record<string, unknown>>;
}

/** Sum of InnoDB handler reads of this session: index entries and rows read, whatever the access. */
async function handlerReads(conn: Connection): Promise<number> {
  const [rows] = await conn.query("SHOW SESSION STATUS LIKE 'Handler_read%'");
  return (rows as Array<{ Variable_name: string; Value: string }>).reduce((n, r) => n + Number(r.Value), 0);
}

/**
 * Sends each scenario's first request once to an in-process gateway whose data source records
 * every statement, then replays each SELECT on its own connection: EXPLAIN, and the handler
 * reads it costs against the rows it returns.
 */
async function explainAll(url: string, list: ScaleScenario[]): Promise<StatementReport[]> {
  const config = loadConfig({
    DATABASE_URL: url,
    NODE_ENV: "production",
    PORT: "0",
    HOST: "127.0.0.1",
    MIGRATE_ON_START: "false",
    SEED_DEMO_ON_START: "false",
    RESPONSE_CACHE: "false",
    LOG_LEVEL: "silent",
    RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
  });
  const courant = await startCourant(config, { log: createLogger({ logLevel: "silent" }) });
  const conn = await createConnection({ uri: url });
  const out: StatementReport[] = [];
  try {
    await courant.ready;
    const logger = courant.deps.db.dataSource.logger;
    let captured: Array<{ sql: string; params: unknown[] }> = [];
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (query: string, parameters?: unknown[], runner?: never) => {
      captured.push({ sql: query, params: parameters ?? [] });
      return original(query, parameters, runner);
    };
    for (const s of list) {
      // Warm: caches inside the gateway (section tree, site) fill on the first request.
      await post(courant.url, s.requests[0]!);
      captured = [];
      await post(courant.url, s.requests[0]!);
      for (const c of captured) {
        if (!/^\s*(\(?\s*SELECT|WITH)/i.test(c.sql)) continue;
        const [plan] = await conn.query(`EXPLAIN ${c.sql}`, c.params);
        await conn.query("FLUSH STATUS");
        const before = await handlerReads(conn);
        const started = performance.now();
        const [rows] = await conn.query(c.sql, c.params);
        const ms = Math.round((performance.now() - started) * 10) / 10;
        const examined = (await handlerReads(conn)) - before;
        out.push({
          scenario: s.name,
          sql: c.sql,
          returned: Array.isArray(rows) ? rows.length : 0,
          examined,
          ms,
          plan: plan as Array<Record<string, unknown>>,
        });
      }
    }
  } finally {
    await conn.end();
    await courant.close();
  }
  return out;
}

function printStatements(reports: StatementReport[]): void {
  const heavy = reports.filter((r) => r.examined > FLOOR && r.examined > FACTOR * Math.max(1, r.returned));
  log(
    `statements: ${reports.length}; reading more than ${FACTOR}x what they return (and over ${FLOOR}): ${heavy.length}`,
  );
  for (const r of reports) {
    const flag = heavy.includes(r) ? "!!" : "  ";
    console.log(
      `${flag} ${r.scenario.padEnd(9)} read ${String(r.examined).padStart(9)}  returned ${String(r.returned).padStart(5)}  ${String(r.ms).padStart(8)} ms  ${r.sql.replace(/\s+/g, " ").slice(0, 150)}`,
    );
    if (heavy.includes(r)) {
      for (const p of r.plan)
        console.log(
          `      plan: ${p.table} type=${p.type} key=${p.key} rows=${p.rows} ${p.Extra ? `(${String(p.Extra)})` : ""}`,
        );
    }
  }
}

async function ensureReady(url: string, views: boolean): Promise<void> {
  const ds = await openDataSource(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }), undefined, {
    uncapped: true,
  });
  try {
    const started = Date.now();
    const ran = await migrate(ds);
    if (ran.length) log(`${url}: applied ${ran.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    if (views) {
      const end = Math.floor(Date.now() / BUCKET_MS) * BUCKET_MS;
      const articles = await publicArticles(ds, end);
      const h = await loadHistory(ds, articles, end, 1);
      log(`${url}: view history ${h.views} views in ${h.rows} rows (${h.seconds} s)`);
    }
  } finally {
    await ds.destroy();
  }
}

interface Options {
  small: string;
  large: string;
  seconds: number;
  warmup: number;
  connections: number;
  only?: string[];
  load: boolean;
  explain: boolean;
  views: boolean;
  json?: string;
  searchEngine?: string;
}

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 100) / 100 : NaN);

async function main(opts: Options): Promise<void> {
  log(`load average ${os.loadavg()[0]!.toFixed(2)} on ${os.cpus().length} cores`);
  for (const url of [opts.small, opts.large]) await ensureReady(url, opts.views);
  const result: Record<string, unknown> = { options: { ...opts }, at: new Date().toISOString() };
  if (opts.load) {
    const small = await measureSize("small", opts.small, opts);
    const large = await measureSize("large", opts.large, opts);
    const rows: Array<Record<string, unknown>> = [];
    console.log("");
    console.log(
      `${"scenario".padEnd(40)} ${"small p50/p99 ms".padStart(18)} ${"large p50/p99 ms".padStart(18)} ${"small req/s".padStart(11)} ${"large req/s".padStart(11)}  ratio p50  p99  req/s`,
    );
    for (const s of large.list) {
      const a = small.figures.get(s.name);
      const b = large.figures.get(s.name);
      if (!a || !b) continue;
      const r = { p50: ratio(b.p50, a.p50), p99: ratio(b.p99, a.p99), rps: ratio(b.rps, a.rps) };
      rows.push({ name: s.name, title: s.title, small: a, large: b, ratio: r, keyset: s.keyset });
      const goal = s.keyset ? (r.p50 <= 1.5 ? " PASS" : " MISS") : "";
      console.log(
        `${s.title.padEnd(40)} ${`${a.p50} / ${a.p99}`.padStart(18)} ${`${b.p50} / ${b.p99}`.padStart(18)} ${String(a.rps).padStart(11)} ${String(b.rps).padStart(11)}  ${String(r.p50).padStart(9)} ${String(r.p99).padStart(4)} ${String(r.rps).padStart(6)}${goal}`,
      );
    }
    result.scenarios = rows;
    result.fixtures = large.fixtures;
  }
  if (opts.explain) {
    const fixtures = await pickFixtures(opts.large);
    const gateway = await startGateway(opts.large);
    let deep: string;
    try {
      deep = await deepCursor(gateway.url, fixtures.leaf);
    } finally {
      await gateway.stop();
    }
    const list = scenarios(fixtures, deep).filter((s) => !opts.only || opts.only.includes(s.name));
    const reports = await explainAll(opts.large, list);
    printStatements(reports);
    result.statements = reports.map(({ plan, ...r }) => ({ ...r, plan }));
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(result, null, 2) + "\n");
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
  return n;
}

if (require.main === module) {
  const program = new Command()
    .option("--small <url>", "the small archive", "mysql://root@127.0.0.1:3306/courant_scale_100k")
    .option("--large <url>", "the large archive", "mysql://root@127.0.0.1:3306/courant_scale_2m4")
    .option("--seconds <s>", "measured seconds per scenario", positive, 5)
    .option("--warmup <s>", "warm-up seconds per scenario", positive, 2)
    .option("--connections <n>", "connections", positive, 10)
    .option("--only <names>", "some scenarios", (v: string) => v.split(","))
    .option("--no-load", "skip the load measurements")
    .option("--search-engine <dir>", "search in a private Sphinx searchd, its indexes kept under DIR")
    .option("--no-explain", "skip the statement plans")
    .option("--views", "load the trending bench's view history (about 10 million views) first", false)
    .option("--json <file>", "write the results here");
  program.parse();
  main(program.opts<Options>()).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
