/**
 * What each AsyncLocalStorage in use costs every promise, in this Node version:
 *
 *   npm run build && node dist/bench/async-context.js
 *
 * A request-like function awaits 2,000 small async calls, run inside 0, 1 and 2 stores, each in
 * a process of its own, in alternating rounds; it prints the CPU each variant spends per call. Courant's request context
 * is one store; OpenTelemetry's context manager would be a second one on every request, which is
 * why tracing carries its trace context in Courant's (see src/tracing.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { spawnSync } from "node:child_process";

const AWAITS = 2000;
const CALLS = 300;
const ROUNDS = 5;

async function leaf(i: number): Promise<number> {
  return i + 1;
}

async function request(): Promise<number> {
  let sum = 0;
  for (let i = 0; i < AWAITS; i++) sum += await leaf(i);
  return sum;
}

async function measure(stores: Array<AsyncLocalStorage<object>>): Promise<number> {
  const within = (k: number, fn: () => Promise<number>): Promise<number> =>
    k < stores.length ? stores[k]!.run({ k }, () => within(k + 1, fn)) : fn();
  const started = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) await within(0, request);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / CALLS;
}

/** One variant in a process of its own: a store, once run, stays enabled for the whole process. */
async function child(n: number): Promise<void> {
  const stores = Array.from({ length: n }, () => new AsyncLocalStorage<object>());
  await measure(stores);
  process.stdout.write(String(await measure(stores)));
}

function run(n: number): number {
  const out = spawnSync(process.execPath, [__filename, "--stores", String(n)], { encoding: "utf8" });
  if (out.status !== 0) throw new Error(out.stderr);
  return Number(out.stdout);
}

function main(): void {
  const results: number[][] = [[], [], []];
  for (let r = 0; r < ROUNDS; r++) for (const n of [0, 1, 2]) results[n]!.push(run(n));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [n, xs] of results.entries()) {
    console.log(`[async-context] ${n} AsyncLocalStorage: ${median(xs).toFixed(0)} µs of CPU per ${AWAITS}-await call`);
  }
  console.log(
    `[async-context] a second store adds ${(((median(results[2]!) - median(results[1]!)) / AWAITS) * 1000).toFixed(0)} ns per await` +
      ` (${(median(results[2]!) / median(results[1]!)).toFixed(2)}x the CPU with one)`,
  );
}

const at = process.argv.indexOf("--stores");
if (at > 0) void child(Number(process.argv[at + 1]));
else main();
