/**
 * Two gateways, A and B, measured in short alternating bursts on the same data, for a change whose
 * effect is smaller than what a shared machine drifts over minutes:
 *
 *   npm run build && node dist/bench/paired.js --a ../old/bin/courant.js [--b bin/courant.js]
 *     [--a-args "--max-semi-space-size=16"] [--b-args "..."] [--scenario feed|article]
 *     [--rounds 14] [--seconds 3] [--connections 10]
 *
 * Both run at once (idle while the other is loaded), the order flips every round, and each burst
 * reads the server's CPU time from /proc. It prints, per round, B's CPU per request and req/s as
 * a ratio of A's in the same round, and their medians; a ratio under 1 in CPU means B does the
 * same work with less. Uses the bench database (`DATABASE_URL`, loaded by `npm run bench`).
 */
import "reflect-metadata";
import path from "node:path";
import { DEFAULT_DATABASE_URL, pickFixtures } from "./dataset";
import { load } from "./load";
import { GATEWAY_BIN, cpuMs, flag, option, startGatewayProcess, type Child } from "./processes";
import { FEED_QUERY, ARTICLE_PAGE_QUERY, gql, type HttpRequestSpec } from "./scenarios";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Burst {
  cpuMsPerRequest: number;
  rps: number;
  p99: number;
  failed: number;
}

async function burst(g: Child, request: HttpRequestSpec, seconds: number, connections: number): Promise<Burst> {
  const before = cpuMs(g.pid);
  const r = await load(g.url, [request], { seconds, connections });
  const after = cpuMs(g.pid);
  const cpu = before !== null && after !== null && r.ok > 0 ? (after - before) / r.ok : NaN;
  return { cpuMsPerRequest: cpu, rps: r.rps, p99: r.p99, failed: r.failed };
}

async function main(): Promise<void> {
  const a = option("a");
  if (!a) throw new Error("--a <bin/courant.js of the tree to compare with> is required");
  const b = option("b") ?? GATEWAY_BIN;
  const args = (s: string | undefined) => (s ?? "").split(" ").filter(Boolean);
  const rounds = flag("rounds", 14);
  const seconds = flag("seconds", 3);
  const connections = flag("connections", 10);
  const scenario = option("scenario") ?? "feed";
  const databaseUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const f = await pickFixtures(databaseUrl, 1);
  const request = scenario === "article" ? gql(ARTICLE_PAGE_QUERY, f.article) : gql(FEED_QUERY, { section: f.section });
  const env = { RESPONSE_CACHE: "false" };
  const [ga, gb] = await Promise.all([
    startGatewayProcess("paired-a", databaseUrl, { bin: path.resolve(a), env, nodeArgs: args(option("a-args")) }),
    startGatewayProcess("paired-b", databaseUrl, { bin: path.resolve(b), env, nodeArgs: args(option("b-args")) }),
  ]);
  try {
    for (const g of [ga, gb]) await load(g.url, [request], { seconds: 3, connections });
    const results: { a: Burst[]; b: Burst[] } = { a: [], b: [] };
    for (let r = 0; r < rounds; r++) {
      const order: Array<["a" | "b", Child]> =
        r % 2 === 0
          ? [
              ["a", ga],
              ["b", gb],
            ]
          : [
              ["b", gb],
              ["a", ga],
            ];
      for (const [name, g] of order) results[name].push(await burst(g, request, seconds, connections));
    }
    const cpuRatios = results.b.map((x, i) => x.cpuMsPerRequest / results.a[i]!.cpuMsPerRequest);
    const rpsRatios = results.b.map((x, i) => x.rps / results.a[i]!.rps);
    for (const [name, xs] of Object.entries(results)) {
      console.log(
        `[paired] ${name}: CPU ${median(xs.map((x) => x.cpuMsPerRequest)).toFixed(3)} ms/req, ` +
          `${median(xs.map((x) => x.rps)).toFixed(0)} req/s, p99 ${median(xs.map((x) => x.p99)).toFixed(1)} ms, ` +
          `failed ${xs.reduce((s, x) => s + x.failed, 0)}, peak RSS ${Math.round((name === "a" ? ga : gb).peakRss() / 1048576)} MB`,
      );
    }
    console.log(
      `[paired] ${scenario}: B ÷ A CPU per request per round ${cpuRatios.map((x) => x.toFixed(2)).join(" ")}`,
    );
    console.log(
      `[paired] ${scenario}: B ÷ A median CPU per request ${median(cpuRatios).toFixed(3)}, req/s ${median(rpsRatios).toFixed(3)}`,
    );
  } finally {
    await Promise.all([ga.stop(), gb.stop()]);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
