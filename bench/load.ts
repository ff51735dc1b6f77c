/** HTTP load with autocannon, latencies kept at sub-millisecond precision. */
import autocannon from "autocannon";
import type { HttpRequestSpec } from "./scenarios";

export interface LoadResult {
  /** Successful (2xx, no GraphQL errors) responses per second. */
  rps: number;
  /** Latency percentiles of successful responses, in milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Successful responses. */
  ok: number;
  /** Non-2xx answers, GraphQL errors in a 200, connection errors and timeouts. */
  failed: number;
  bytesPerResponse: number;
  seconds: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Math.round(n * 10 ** digits) / 10 ** digits : n);

/**
 * Drives `baseUrl` with `connections` keep-alive connections for `seconds`, each connection
 * sending `requests` in turn. A response counts as failed when it is not 2xx or carries a
 * GraphQL "errors" list; failures are reported, not retried, and left out of the latencies.
 */
export function load(
  baseUrl: string,
  requests: HttpRequestSpec[],
  opts: { seconds: number; connections: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  // autocannon hands a request's body to onResponse and, synchronously right after, its timing
  // to the "response" event: this flag carries the verdict from one to the other.
  let lastHadErrors = false;
  const onResponse = (status: number, body: string) => {
    lastHadErrors = status >= 200 && status < 300 && body.includes('"errors":[');
    if (lastHadErrors) graphqlErrors += 1;
  };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections: opts.connections,
        duration: opts.seconds,
        timeout: 30,
        headers: { "content-type": "application/json" },
        requests: requests.map((r) => ({ method: r.method, path: r.path, body: r.body, onResponse })),
      },
      (err: unknown, result: autocannon.Result) => {
        if (err) return reject(err);
        const sorted = Float64Array.from(latencies).sort();
        const ok = Math.max(0, result["2xx"] - graphqlErrors);
        resolve({
          rps: round(ok / result.duration, 1),
          p50: round(percentile(sorted, 0.5)),
          p90: round(percentile(sorted, 0.9)),
          p99: round(percentile(sorted, 0.99)),
          max: round(sorted.length ? sorted[sorted.length - 1]! : NaN),
          ok,
          failed: result.non2xx + result.errors + graphqlErrors,
          bytesPerResponse: result["2xx"] > 0 ? Math.round(result.throughput.total / result["2xx"]) : 0,
          seconds: result.duration,
        });
      },
    );
    // autocannon emits (client, statusCode, bytes, responseTime in ms with sub-ms precision).
    (instance as unknown as NodeJS.EventEmitter).on("response", (...args: unknown[]) => {
      const status = Number(args[1]);
      if (status >= 200 && status < 300 && !lastHadErrors) latencies.push(Number(args[3]));
      lastHadErrors = false;
    });
  });
}
