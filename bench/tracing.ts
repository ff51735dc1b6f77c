/**
 * Tracing overhead, measured:
 *
 *   npm run build && nice node dist/bench/tracing.js [--articles 3000] [--seconds 5] [--rounds 6] [--connections 10] [--json]
 *
 * Two gateways on one database serve the uncached feed (the bench's `feed` query): one without
 * tracing, one with OpenTelemetry on at 100 % sampling (OTEL_TRACES_SAMPLER=always_on) exporting
 * every span over OTLP/HTTP (protobuf, or JSON with --json) to a sink in this process that reads and discards them. They are
 * loaded in alternating rounds, so both see the same machine; the result is the median of the
 * rounds' throughput ratios (goal: at least 0.9), their p99, and the CPU each gateway process
 * spent per request (less swayed by a busy machine than throughput).
 *
 * DATABASE_URL names a MySQL server (a database `courant_tracing_<pid>` is made and dropped), or
 * `sqlite:` (the default: a temporary file).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { load, type LoadResult } from "./load";
import { flag, freePort, startChild } from "./processes";
import { FEED_QUERY, gql as request } from "./scenarios";
import { BIN, gql, scratchDatabase } from "./scratch";

const log = (line: string) => console.log(`[tracing] ${line}`);

/** The length-delimited fields `field` of a protobuf message (enough to walk an OTLP export). */
function submessages(buf: Buffer, field: number): Buffer[] {
  const out: Buffer[] = [];
  let i = 0;
  const varint = () => {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[i++]!;
      n += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return n;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const type = key & 7;
    if (type === 0) varint();
    else if (type === 1) i += 8;
    else if (type === 5) i += 4;
    else {
      const len = varint();
      if (key >>> 3 === field) out.push(buf.subarray(i, i + len));
      i += len;
    }
  }
  return out;
}

/** An OTLP/HTTP (protobuf) endpoint that takes every export and counts its spans. */
async function otlpSink(): Promise<{
  url: string;
  exports: () => number;
  spans: () => number;
  bytes: () => number;
  close(): Promise<void>;
}> {
  let exports = 0;
  let bytes = 0;
  let spans = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      bytes += body.length;
      if (String(req.headers["content-type"]).startsWith("application/json")) {
        const request = JSON.parse(body.toString("utf8")) as {
          resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: unknown[] }> }>;
        };
        for (const rs of request.resourceSpans ?? [])
          for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
      } else {
        // ExportTraceServiceRequest: resource_spans (1) > scope_spans (2) > spans (2).
        for (const rs of submessages(body, 1)) for (const ss of submessages(rs, 2)) spans += submessages(ss, 2).length;
      }
      exports += 1;
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    exports: () => exports,
    spans: () => spans,
    bytes: () => bytes,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * The share of a V8 CPU profile's busy samples spent in tracing code: each sample goes to the
 * nearest JavaScript frame above it that is not Node's own (so Node's HTTP and buffers count for
 * whichever code called them), and it is tracing when that frame is OpenTelemetry's or one of
 * Courant's tracing modules.
 */
function tracingShare(dir: string): { tracing: number; gc: number; top: Array<[string, number]> } {
  type Node = { id: number; callFrame: { functionName: string; url: string }; children?: number[] };
  const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no CPU profile in ${dir}`);
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as { nodes: Node[]; samples: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const tracingCode = /@opentelemetry|\/src\/tracing\.js|sql-tracing\.js|trace-request\.js|tracing\.plugin\.js/;
  const nodeOwn = (n: Node) =>
    !n.callFrame.url || n.callFrame.url.startsWith("node:") || !n.callFrame.url.includes("/");
  let busy = 0;
  let tracing = 0;
  let gc = 0;
  /** Where the tracing samples were spent: the sampled (leaf) frame, named by function and file. */
  const leaves = new Map<string, number>();
  for (const id of profile.samples) {
    const name = byId.get(id)!.callFrame.functionName;
    if (name === "(idle)" || name === "(program)") continue;
    busy += 1;
    if (name === "(garbage collector)") {
      gc += 1;
      continue;
    }
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      if (nodeOwn(n)) continue;
      if (tracingCode.test(n.callFrame.url)) {
        tracing += 1;
        const leaf = byId.get(id)!.callFrame;
        const key = `${leaf.functionName || "(anonymous)"} ${leaf.url.split("/").slice(-2).join("/")}`;
        leaves.set(key, (leaves.get(key) ?? 0) + 1);
      }
      break;
    }
  }
  const top = [...leaves].sort((a, b) => b[1] - a[1]).slice(0, 15);
  return { tracing: tracing / busy, gc: gc / busy, top: top.map(([k, n]) => [k, n / busy]) };
}

/** User plus system CPU seconds a process has used (Linux /proc; clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const articles = flag("articles", 3000);
  const seconds = flag("seconds", 5);
  const rounds = flag("rounds", 6);
  const connections = flag("connections", 10);
  const protocol = process.argv.includes("--json") ? "http/json" : "http/protobuf";
  const db = await scratchDatabase("tracing", "sqlite:");
  const profiles = fs.mkdtempSync(path.join(os.tmpdir(), "courant-tracing-prof-"));
  const sink = await otlpSink();
  const stops: Array<() => Promise<void>> = [];
  try {
    db.cli(["migrate"]);
    db.cli(["seed", "--bench", "--articles", String(articles)]);
    const [leaf] = await db.query(
      "SELECT s.slug AS slug, COUNT(*) AS n FROM sections s JOIN articles a ON a.section_id = s.id" +
        " WHERE NOT EXISTS (SELECT 1 FROM sections c WHERE c.parent_id = s.id) GROUP BY s.slug ORDER BY n DESC LIMIT 1",
    );
    const section = String(leaf!.slug);
    const start = async (name: string, extra: Record<string, string>) => {
      const port = await freePort();
      // Both run under V8's sampling profiler (the same cost for each), which says where the traced
      // one's CPU went.
      const child = await startChild(
        name,
        "--cpu-prof",
        [`--cpu-prof-dir=${path.join(profiles, name)}`, BIN, "serve"],
        {
          DATABASE_URL: db.url,
          PORT: String(port),
          NODE_ENV: "production",
          RESPONSE_CACHE: "false",
          RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
          SQL_STATEMENT_HEADER: "true",
          ...extra,
        },
        port,
        "/readyz",
      );
      stops.push(() => child.stop());
      return child;
    };
    const offChild = await start("gateway-tracing-off", {});
    const onChild = await start("gateway-tracing-on", {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: "always_on",
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    });
    const [off, on] = [offChild.url, onChild.url];
    const feed = [request(FEED_QUERY, { section })];
    for (const url of [off, on]) {
      const page = await gql(url, FEED_QUERY, { section });
      if (page.articles.edges.length === 0) throw new Error(`section ${section} has no articles`);
    }
    // A repeated feed request makes its server span, execute and one span per statement (Apollo's
    // document cache skips parsing and validation, and their spans, after the first time).
    const probe = await fetch(`${off}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: feed[0]!.body,
    });
    await probe.text();
    const expectedSpans = 2 + Number(probe.headers.get("x-sql-statements"));
    log(
      `section ${section}, ${articles} articles, ${db.url.split(":")[0]}, OTLP ${protocol}; load average ${os.loadavg()[0]!.toFixed(2)}`,
    );
    // Warm both (JIT, statement caches), then alternate measured rounds.
    await load(off, feed, { seconds: 2, connections });
    const warmOn = await load(on, feed, { seconds: 2, connections });
    const results: Record<"off" | "on", LoadResult[]> = { off: [], on: [] };
    // CPU the gateway process used per answered request: what tracing costs, less swayed by
    // what else the shared machine runs than throughput is.
    const cpu: Record<"off" | "on", number[]> = { off: [], on: [] };
    const roundRatios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 === 0 ? (["off", "on"] as const) : (["on", "off"] as const)) {
        const pid = (which === "on" ? onChild : offChild).pid;
        const before = cpuSeconds(pid);
        const result = await load(which === "on" ? on : off, feed, { seconds, connections });
        if (result.failed > 0) throw new Error(`${which}: ${result.failed} failed requests`);
        cpu[which].push(((cpuSeconds(pid) - before) * 1000) / result.ok);
        results[which].push(result);
        log(
          `round ${r + 1} tracing ${which}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(1)} ms, ` +
            `${cpu[which].at(-1)!.toFixed(2)} ms CPU per request`,
        );
      }
      roundRatios.push(results.on[r]!.rps / results.off[r]!.rps);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const total = (xs: LoadResult[]) => xs.reduce((n, x) => n + x.ok, 0);
    const rps = (xs: LoadResult[]) => total(xs) / xs.reduce((n, x) => n + x.seconds, 0);
    const p99 = (xs: LoadResult[]) => xs.map((x) => x.p99).sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // Let the last batch go out before counting what arrived.
    await new Promise((r) => setTimeout(r, 6000));
    const ratio = median(roundRatios);
    await onChild.stop();
    const share = tracingShare(path.join(profiles, "gateway-tracing-on"));
    // Every request the traced gateway answered (warm-up included) was sampled.
    const traced = total(results.on) + warmOn.ok;
    log(
      `feed throughput, tracing on (100 % sampled, exported) ÷ off: ${ratio.toFixed(2)}x, the median of ${rounds} rounds ` +
        `(each ${roundRatios.map((x) => x.toFixed(2)).join(", ")}; all rounds ${rps(results.on).toFixed(0)} vs ${rps(results.off).toFixed(0)} req/s); ` +
        `CPU per request (median) ${median(cpu.on).toFixed(2)} vs ${median(cpu.off).toFixed(2)} ms = ${(median(cpu.off) / median(cpu.on)).toFixed(2)}x the requests per CPU second; ` +
        `p99 (median of rounds) ${p99(results.on).toFixed(1)} vs ${p99(results.off).toFixed(1)} ms; ` +
        `${sink.exports()} OTLP exports, ${(sink.spans() / traced).toFixed(2)} of ${expectedSpans} spans and ${(sink.bytes() / traced / 1024).toFixed(2)} KB per traced request received ` +
        `${ratio >= 0.9 ? "PASS" : "MISS"} (goal: at least 0.9x); load average at the end ${os.loadavg()[0]!.toFixed(2)}`,
    );
    log(
      `CPU profile of the traced gateway: ${(100 * share.tracing).toFixed(1)} % of its busy samples in tracing code ` +
        `(OpenTelemetry, its exporter and Courant's spans; ${(100 * share.gc).toFixed(1)} % in GC, not attributed): a lower bound ` +
        `of what tracing costs, since the extra garbage and context propagation land elsewhere; CPU per request above is the whole cost`,
    );
    log(
      `where the tracing samples went (sampled frame, % of busy samples): ` +
        share.top.map(([frame, x]) => `${frame} ${(100 * x).toFixed(2)}`).join("; "),
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await sink.close();
    await db.drop();
    fs.rmSync(profiles, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
