/**
 * `npm run bench`: the gateway in production mode against a hand-written server and the HTTP
 * floor, over the same MySQL/MariaDB data, in one run. See bench/README.md.
 *
 *   npm run bench -- [--quick] [--only feed,deep] [--duration 10] [--warmup 3] [--articles 100000] [--seed 1]
 *
 * DATABASE_URL (default mysql://root@127.0.0.1:3306/courant_bench) is created, migrated and
 * seeded when it lacks the bench rows.
 */
import "reflect-metadata";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { Command, InvalidArgumentError } from "commander";
import { createConnection } from "mysql2/promise";
import { loadConfig } from "../src/config";
import { DEEP_PAGE, DEFAULT_DATABASE_URL, PAGE_SIZE, ensureDataset, pickFixtures, type Fixtures } from "./dataset";
import { load } from "./load";
import { formatProfile, summariseProfile } from "./profile";
import { cpuMs, freePort, startChild, startGatewayProcess, type Child } from "./processes";
import {
  checkGoals,
  formatTable,
  ratiosOf,
  renderSvg,
  type BenchReport,
  type Measurement,
  type ScenarioResult,
  type Target,
} from "./report";
import {
  FEED_QUERY,
  SCENARIO_NAMES,
  gql,
  scenarios,
  type HttpRequestSpec,
  type Scenario,
  type ScenarioName,
} from "./scenarios";

const ROOT = path.resolve(__dirname, "..", "..");
const BASELINE_JS = path.join(__dirname, "baseline-server.js");
const RESULTS_DIR = path.join(ROOT, "bench", "results");

interface Options {
  articles: number;
  seed: number;
  duration: number;
  warmup: number;
  connections: number;
  quick: boolean;
  only?: ScenarioName[];
  cached: boolean;
  write?: boolean;
  /** Write a CPU profile of the uncached gateway to this folder and print its summary. */
  cpuProf?: string;
  /** Extra settings for the gateway (KEY=VALUE), e.g. EXECUTOR=graphql-js. */
  gatewayEnv: Record<string, string>;
  /** Uncached gateway and hand-written server measured in this many alternating rounds. */
  rounds: number;
  /** Load on each server, with every measured scenario's requests, before its first measurement. */
  processWarmup: number;
}

const log = (line: string) => console.log(`[bench] ${line}`);

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("must be a positive number");
  return n;
}

function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError("must be a number, 0 or more");
  return n;
}

function scenarioList(value: string): ScenarioName[] {
  const names = value.split(",").map((s) => s.trim());
  for (const n of names) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(n)) {
      throw new InvalidArgumentError(`unknown scenario ${n}; one of ${SCENARIO_NAMES.join(", ")}`);
    }
  }
  return names as ScenarioName[];
}

/** The response cache is a setting of the gateway; runs without it say so instead of guessing. */
function responseCacheSupported(): boolean {
  try {
    const config = loadConfig({ RESPONSE_CACHE: "false" }) as unknown as { cache?: { responseCache?: unknown } };
    return config.cache?.responseCache === false;
  } catch {
    return false;
  }
}

async function startGateway(
  databaseUrl: string,
  cached: boolean,
  cacheSetting: boolean,
  extra: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Child> {
  return startGatewayProcess(cached ? "gateway-cached" : "gateway", databaseUrl, {
    env: { ...(cacheSetting ? { RESPONSE_CACHE: cached ? "true" : "false" } : {}), ...extra },
    nodeArgs,
  });
}

interface Probe {
  status: number;
  text: string;
  statements: number | null;
  cache: string | null;
}

async function probe(baseUrl: string, spec: HttpRequestSpec): Promise<Probe> {
  const res = await fetch(`${baseUrl}${spec.path}`, {
    method: spec.method,
    headers: { "content-type": "application/json" },
    body: spec.body,
    signal: AbortSignal.timeout(60_000),
  });
  const header = res.headers.get("x-sql-statements");
  return {
    status: res.status,
    text: await res.text(),
    statements: header === null ? null : Number(header),
    cache: res.headers.get("x-cache"),
  };
}

function okBody(p: Probe, what: string): Record<string, unknown> {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(p.text) as Record<string, unknown>;
  } catch {
    // reported below
  }
  if (p.status !== 200 || !body || body.errors) {
    throw new Error(`${what} answered ${p.status}: ${p.text.slice(0, 500)}`);
  }
  return body;
}

/** Where two JSON values first differ, for a loud and useful failure. */
function firstDifference(a: unknown, b: unknown, at = "$"): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
      if (d) return d;
    }
  }
  return `${at}: gateway ${JSON.stringify(a)?.slice(0, 300)} vs hand-written ${JSON.stringify(b)?.slice(0, 300)}`;
}

/** Pages through the section feed on the gateway and returns the last cursor of page DEEP_PAGE. */
async function deepCursor(gatewayUrl: string, section: string): Promise<string> {
  let after: string | undefined;
  for (let page = 1; page <= DEEP_PAGE; page++) {
    const body = okBody(await probe(gatewayUrl, gql(FEED_QUERY, { section, after })), `feed page ${page}`);
    const edges = (body.data as { articles: { edges: Array<{ cursor: string }> } }).articles.edges;
    if (edges.length < PAGE_SIZE) throw new Error(`feed page ${page} of ${section} has only ${edges.length} articles`);
    after = edges[edges.length - 1]!.cursor;
  }
  return after!;
}

/**
 * Waits until the database runs no statement of ours: requests still in flight when a load
 * stops (slow searches) would otherwise eat into the next measurement.
 */
async function settle(databaseUrl: string, timeoutMs = 30_000): Promise<void> {
  const conn = await createConnection({ uri: databaseUrl });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [rows] = await conn.query(
        "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST" +
          " WHERE DB = DATABASE() AND COMMAND = 'Query' AND ID <> CONNECTION_ID()",
      );
      if (Number((rows as Array<{ n: unknown }>)[0]?.n) === 0 || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await conn.end();
  }
}

async function measure(
  baseUrl: string,
  requests: HttpRequestSpec[],
  opts: Options & { databaseUrl: string },
  what: string,
  server?: Child,
  /** The process whose CPU time per request is reported (default: `server`'s). */
  cpuPid = server?.pid,
): Promise<Measurement> {
  await settle(opts.databaseUrl);
  await load(baseUrl, requests, { seconds: opts.warmup, connections: opts.connections });
  await settle(opts.databaseUrl);
  // After the warm-up: a cached gateway answers this one from its cache, as it does under load.
  const p = await probe(baseUrl, requests[0]!);
  okBody(p, what);
  const dbPid = databasePid();
  const before = { server: cpuMs(cpuPid), db: cpuMs(dbPid) };
  const result = await load(baseUrl, requests, { seconds: opts.duration, connections: opts.connections });
  const m: Measurement = { ...result, statements: p.statements };
  const perRequest = (a: number | null, b: number | null) =>
    a !== null && b !== null && result.ok > 0 ? Math.round(((b - a) / result.ok) * 1000) / 1000 : undefined;
  m.cpuMsPerRequest = perRequest(before.server, cpuMs(cpuPid));
  m.dbCpuMsPerRequest = perRequest(before.db, cpuMs(dbPid));
  if (server) m.peakRssMb = Math.round(server.peakRss() / 1024 / 1024);
  log(
    `${what.padEnd(34)} ${String(m.rps).padStart(8)} req/s  p50 ${m.p50} ms  p99 ${m.p99} ms` +
      `  SQL/req ${m.statements ?? "–"}${m.failed ? `  FAILED ${m.failed}` : ""}${p.cache ? `  x-cache ${p.cache}` : ""}` +
      `${m.cpuMsPerRequest !== undefined ? `  CPU/req ${m.cpuMsPerRequest} ms` : ""}` +
      `${m.dbCpuMsPerRequest !== undefined ? ` (database ${m.dbCpuMsPerRequest} ms)` : ""}` +
      `${m.peakRssMb !== undefined ? `  peak RSS ${m.peakRssMb} MB` : ""}`,
  );
  return m;
}

/** The local MariaDB/MySQL server's pid, when it runs on this machine. */
function databasePid(): number | undefined {
  try {
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      const comm = fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim();
      if (comm === "mariadbd" || comm === "mysqld") return Number(entry);
    }
  } catch {
    // not Linux
  }
  return undefined;
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/**
 * A server just started runs its code unoptimised until V8 has compiled the hot paths: on a fresh
 * gateway, the feed's CPU per request in consecutive 2.5 s bursts was 3.5, 2.2, 1.7, 1.3 ms
 * (2026-12-03). Each server is loaded with every measured scenario's requests (in turn) for
 * `--process-warmup` seconds before anything is measured, so the figures are a running server's,
 * as in production, and not its first seconds.
 */
async function warmProcess(
  opts: Options & { databaseUrl: string },
  url: string,
  requests: HttpRequestSpec[],
): Promise<void> {
  if (opts.processWarmup <= 0 || requests.length === 0) return;
  await load(url, requests, { seconds: opts.processWarmup, connections: opts.connections });
  await settle(opts.databaseUrl);
}

/**
 * Two targets measured in alternating rounds (medians): both see the same minutes of a shared
 * machine, so their ratio does not move with load that comes and goes between two long
 * measurements. Logs the ratio of each round.
 */
async function alternate(
  opts: Options & { databaseUrl: string },
  a: (o: Options & { databaseUrl: string }, round: number) => Promise<Measurement>,
  b: (o: Options & { databaseUrl: string }, round: number) => Promise<Measurement>,
  label: string,
): Promise<[Measurement, Measurement]> {
  const as: Measurement[] = [];
  const bs: Measurement[] = [];
  const each = { ...opts, duration: opts.duration / opts.rounds };
  for (let r = 0; r < opts.rounds; r++) {
    const o = r === 0 ? each : { ...each, warmup: 1 };
    as.push(await a(o, r + 1));
    bs.push(await b(o, r + 1));
  }
  const ratios = as.map((m, i) => m.rps / bs[i]!.rps).sort((x, y) => x - y);
  log(`${label} per round ${ratios.map((x) => x.toFixed(2)).join(", ")}`);
  return [combine(as), combine(bs)];
}

const medianOf = (xs: Array<number | undefined>): number | undefined => {
  const known = xs.filter((x): x is number => x !== undefined);
  return known.length ? median(known) : undefined;
};

/** Rounds of one target as one measurement: medians of rate and percentiles, sums of counts. */
function combine(ms: Measurement[]): Measurement {
  const peaks = ms.map((m) => m.peakRssMb).filter((x): x is number => x !== undefined);
  return {
    rps: Math.round(median(ms.map((m) => m.rps)) * 10) / 10,
    p50: median(ms.map((m) => m.p50)),
    p90: median(ms.map((m) => m.p90)),
    p99: median(ms.map((m) => m.p99)),
    max: Math.max(...ms.map((m) => m.max)),
    ok: ms.reduce((n, m) => n + m.ok, 0),
    failed: ms.reduce((n, m) => n + m.failed, 0),
    bytesPerResponse: ms[0]!.bytesPerResponse,
    seconds: ms.reduce((n, m) => n + m.seconds, 0),
    statements: ms[0]!.statements,
    cpuMsPerRequest: medianOf(ms.map((m) => m.cpuMsPerRequest)),
    dbCpuMsPerRequest: medianOf(ms.map((m) => m.dbCpuMsPerRequest)),
    ...(peaks.length ? { peakRssMb: Math.max(...peaks) } : {}),
  };
}

/** Failures of a scenario the schema may not have yet (trending, search) are reported, not fatal. */
function missingField(p: Probe): string | null {
  if (p.status !== 400 && p.status !== 200) return null;
  try {
    const body = JSON.parse(p.text) as { errors?: Array<{ extensions?: { code?: string }; message?: string }> };
    const e = body.errors?.find((x) => x.extensions?.code === "GRAPHQL_VALIDATION_FAILED");
    return e ? (e.message ?? "validation failed") : null;
  } catch {
    return null;
  }
}

/** The summary of the profile the gateway wrote when it stopped (CPU.*.<pid>.*.cpuprofile). */
function printProfile(dir: string, pid: number, skipMs: number, which: string): void {
  const file = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile") && f.includes(`.${pid}.`))
    .map((f) => path.join(dir, f))[0];
  if (!file) {
    log(`no CPU profile of process ${pid} in ${dir}`);
    return;
  }
  const summary = formatProfile(summariseProfile(JSON.parse(fs.readFileSync(file, "utf8")), 25, skipMs));
  log(`CPU profile of the ${which} gateway: ${file}`);
  console.log(summary);
  fs.writeFileSync(file.replace(/\.cpuprofile$/, ".txt"), summary + "\n");
}

async function databaseVersion(databaseUrl: string): Promise<string> {
  const conn = await createConnection({ uri: databaseUrl });
  try {
    const [rows] = await conn.query("SELECT VERSION() AS v");
    const v = String((rows as Array<{ v: string }>)[0]?.v ?? "");
    return /mariadb/i.test(v) ? `MariaDB ${v.split("-")[0]}` : `MySQL ${v}`;
  } finally {
    await conn.end();
  }
}

async function run(options: Options): Promise<void> {
  const started = Date.now();
  const loadAtStart = Math.round(os.loadavg()[0]! * 100) / 100;
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const opts = { ...options, databaseUrl };
  log(`database ${databaseUrl.replace(/\/\/[^@/]*@/, "//***@")}`);
  const data = await ensureDataset(databaseUrl, { articles: opts.articles, seed: opts.seed, log });
  log(
    data.seeded ? `seeded ${data.articles} bench articles` : `bench data present (at least ${opts.articles} articles)`,
  );
  const fixtures: Fixtures = await pickFixtures(databaseUrl, opts.seed);
  log(`section ${fixtures.section}, article ${fixtures.article.language}/${fixtures.article.slug}`);

  const cacheSetting = responseCacheSupported();
  const cachedReason = !opts.cached
    ? "cached runs skipped (--no-cached)"
    : cacheSetting
      ? null
      : "not measured: src/config.ts has no RESPONSE_CACHE setting";
  const wanted = (s: Scenario) => !opts.only || opts.only.includes(s.name);
  const results = new Map<ScenarioName, ScenarioResult>();
  const peaks: BenchReport["peakRssMb"] = { gateway: null, cached: null, handWritten: null };
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  let searchLatency: Measurement | null = null;

  const children: Child[] = [];
  const stopAll = async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
  };
  try {
    const baselinePort = await freePort();
    const baseline = await startChild(
      "baseline",
      BASELINE_JS,
      ["--port", String(baselinePort), "--database-url", databaseUrl],
      { NODE_ENV: "production" },
      baselinePort,
      "/healthz",
    );
    children.push(baseline);
    const profileDir = opts.cpuProf ? path.resolve(opts.cpuProf) : undefined;
    if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
    const profileArgs = profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
    /** The HTTP floor: the gateway's own stored answer, served by the baseline process. */
    const measureFloor = (s: Scenario, o: typeof opts, round = "") =>
      measure(
        baseline.url,
        s.gateway.map((r) => ({ ...r, path: `/floor/${s.name}` })),
        o,
        `${s.name} floor${round}`,
        undefined,
        baseline.pid,
      );
    let gateway = await startGateway(databaseUrl, false, cacheSetting, opts.gatewayEnv, profileArgs);
    children.push(gateway);

    log(`walking ${DEEP_PAGE} pages of ${fixtures.section} for the deep cursor`);
    const cursor = await deepCursor(gateway.url, fixtures.section);
    const list = scenarios(fixtures, cursor).filter(wanted);
    for (const s of list) results.set(s.name, { name: s.name, title: s.title, results: {}, notes: [] });

    // Same answers, or the comparison means nothing: fail loudly on any difference.
    const skipped = new Set<ScenarioName>();
    for (const s of list) {
      const g = await probe(gateway.url, s.gateway[0]!);
      const missing = missingField(g);
      if (missing) {
        skipped.add(s.name);
        results.get(s.name)!.notes.push(`not measured: ${missing}`);
        log(`${s.name}: not measured (${missing})`);
        continue;
      }
      const gBody = okBody(g, `gateway ${s.name}`);
      // The floor answers with exactly these bytes, no database involved.
      const put = await fetch(`${baseline.url}/floor/${s.name}`, { method: "PUT", body: g.text });
      if (put.status !== 204) throw new Error(`storing the floor response for ${s.name} failed: ${put.status}`);
      if (!s.baseline) {
        results.get(s.name)!.notes.push("no hand-written version");
        continue;
      }
      const bBody = okBody(await probe(baseline.url, s.baseline), `hand-written ${s.name}`);
      const diff = firstDifference(gBody.data, bBody.data);
      if (diff) throw new Error(`the hand-written ${s.name} differs from the gateway's answer at ${diff}`);
      log(`${s.name}: hand-written answer equals the gateway's (${g.text.length} bytes)`);
    }

    const measured = list.filter((s) => !skipped.has(s.name));
    await warmProcess(
      opts,
      gateway.url,
      measured.flatMap((s) => s.gateway),
    );
    // One process serves the hand-written pages and the floor: both warm it.
    await warmProcess(opts, baseline.url, [
      ...measured.flatMap((s) => (s.baseline ? [s.baseline] : [])),
      ...measured.map((s) => ({ ...s.gateway[0]!, path: `/floor/${s.name}` })),
    ]);
    // The profile's summary leaves out start-up and the warm-up: it covers the measured load only.
    const loadStartedMs = Date.now() - gateway.startedAt;
    const record = (s: Scenario, t: Target, m: Measurement) => (results.get(s.name)!.results[t] = m);
    // With cached runs in rounds, the floor is measured there, alternating with them.
    const floorInCachedRounds = !cachedReason && opts.rounds > 1;
    for (const s of measured) {
      if (s.baseline && opts.rounds > 1) {
        const [g, h] = await alternate(
          opts,
          (o, r) => measure(gateway.url, s.gateway, o, `${s.name} gateway (${r})`, gateway),
          (o, r) => measure(baseline.url, [s.baseline!], o, `${s.name} hand-written (${r})`, undefined, baseline.pid),
          `${s.name}: gateway ÷ hand-written`,
        );
        record(s, "gateway", g);
        record(s, "handWritten", h);
      } else {
        record(s, "gateway", await measure(gateway.url, s.gateway, opts, `${s.name} gateway`, gateway));
        // The search goal is one reader's latency: one connection, the same queries in turn.
        if (s.name === "search")
          searchLatency = await measure(
            gateway.url,
            s.gateway,
            { ...opts, connections: 1 },
            "search gateway, 1 connection",
          );
        if (s.baseline)
          record(
            s,
            "handWritten",
            await measure(baseline.url, [s.baseline], opts, `${s.name} hand-written`, undefined, baseline.pid),
          );
      }
      if (!floorInCachedRounds) record(s, "floor", await measureFloor(s, opts));
    }
    peaks.gateway = mb(gateway.peakRss());
    await gateway.stop();
    children.splice(children.indexOf(gateway), 1);
    if (profileDir) printProfile(profileDir, gateway.pid, loadStartedMs, "uncached");

    if (!cachedReason) {
      gateway = await startGateway(databaseUrl, true, cacheSetting, opts.gatewayEnv, profileArgs);
      children.push(gateway);
      await warmProcess(
        opts,
        gateway.url,
        measured.flatMap((s) => s.gateway),
      );
      const cachedStartedMs = Date.now() - gateway.startedAt;
      for (const s of measured) {
        if (floorInCachedRounds) {
          // The floor in rounds alternating with the cached gateway: the cached ratio is then
          // taken over the same minutes of a shared machine, like the uncached one.
          const [c, f] = await alternate(
            opts,
            (o, r) => measure(gateway.url, s.gateway, o, `${s.name} cached (${r})`, gateway),
            (o, r) => measureFloor(s, o, ` (${r})`),
            `${s.name}: cached gateway ÷ floor`,
          );
          record(s, "cached", c);
          record(s, "floor", f);
          continue;
        }
        record(s, "cached", await measure(gateway.url, s.gateway, opts, `${s.name} gateway cached`, gateway));
      }
      peaks.cached = mb(gateway.peakRss());
      await gateway.stop();
      children.splice(children.indexOf(gateway), 1);
      if (profileDir) printProfile(profileDir, gateway.pid, cachedStartedMs, "cached");
    } else {
      for (const s of measured) results.get(s.name)!.notes.push(cachedReason);
    }
    peaks.handWritten = mb(baseline.peakRss());
  } finally {
    await stopAll();
  }

  const scenarioResults = [...results.values()];
  const report: BenchReport = {
    generatedAt: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "unknown",
      memoryGb: Math.round(os.totalmem() / 1024 ** 3),
      node: process.versions.node,
      database: await databaseVersion(databaseUrl),
      loadAverage: loadAtStart,
    },
    settings: {
      articles: opts.articles,
      seed: opts.seed,
      connections: opts.connections,
      warmupSeconds: opts.warmup,
      processWarmupSeconds: opts.processWarmup,
      durationSeconds: opts.duration,
      quick: opts.quick,
      only: opts.only ?? null,
    },
    fixtures,
    scenarios: scenarioResults.map((s) => ({
      ...s,
      ratios: { gateway: ratiosOf(s, "gateway"), cached: ratiosOf(s, "cached") },
    })),
    peakRssMb: peaks,
    searchLatency,
    goals: checkGoals(scenarioResults, peaks, cachedReason, searchLatency),
    runSeconds: Math.round((Date.now() - started) / 1000),
  };

  console.log("");
  console.log(formatTable(report));
  console.log("");
  const partial = opts.quick || !!opts.only;
  if (opts.write ?? !partial) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.writeFileSync(path.join(RESULTS_DIR, "latest.json"), JSON.stringify(report, null, 2) + "\n");
    fs.writeFileSync(path.join(RESULTS_DIR, "latest.svg"), renderSvg(report));
    log(`wrote ${path.relative(ROOT, RESULTS_DIR)}/latest.json and latest.svg (${report.runSeconds} s)`);
  } else {
    log(`partial run (${report.runSeconds} s): results not written; add --write to write them`);
  }
}

const program = new Command("bench")
  .description("Courant gateway vs a hand-written server vs the HTTP floor, on the bench data set")
  .option("--articles <n>", "bench articles to load when missing", positiveInt, 100_000)
  .option("--seed <n>", "seed of the bench data and the search words", positiveInt, 1)
  .option("--duration <seconds>", "measured seconds per target and scenario", positiveNumber, 10)
  .option("--warmup <seconds>", "warm-up seconds before each measurement", positiveNumber, 3)
  .option(
    "--process-warmup <seconds>",
    "load on each server process, all scenarios in turn, before its first measurement (0: none)",
    nonNegativeNumber,
    10,
  )
  .option("--connections <n>", "concurrent connections", positiveInt, 10)
  .option("--quick", "a fast check: 2 s warm-up, 4 s measured", false)
  .option(
    "--rounds <n>",
    "measure the uncached gateway and the hand-written server in N alternating rounds (medians)",
    positiveInt,
    1,
  )
  .option("--only <scenarios>", `comma-separated, of: ${SCENARIO_NAMES.join(", ")}`, scenarioList)
  .option("--no-cached", "skip the runs with the response cache on")
  .option("--write", "write bench/results/latest.* even for a --quick or --only run")
  .option("--cpu-prof <dir>", "profile the uncached gateway (node --cpu-prof) into DIR and print the top frames")
  .option(
    "--gateway-env <KEY=VALUE>",
    "a setting for the gateway processes (repeatable), e.g. EXECUTOR=graphql-js",
    (v: string, acc: Record<string, string>) => {
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(v);
      if (!m) throw new InvalidArgumentError("must be KEY=VALUE");
      return { ...acc, [m[1]!]: m[2]! };
    },
    {} as Record<string, string>,
  )
  .action(async (raw: Options) => {
    const opts = { ...raw };
    if (opts.quick) {
      opts.warmup = Math.min(opts.warmup, 2);
      opts.processWarmup = Math.min(opts.processWarmup, 4);
      opts.duration = Math.min(opts.duration, 4);
    }
    await run(opts);
  });

program.parseAsync(process.argv).then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`[bench] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    // Leaving runs the exit hook, which kills any server still up.
    process.exit(1);
  },
);
