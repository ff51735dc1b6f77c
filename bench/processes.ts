/**
 * Child processes of a bench run: started on a free port, waited for, watched for peak memory,
 * and always stopped: on success, on errors and on Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface Child {
  name: string;
  pid: number;
  url: string;
  /** When the process was started (Date.now()). */
  startedAt: number;
  /** Peak resident memory seen so far, in bytes (VmHWM, polled). */
  peakRss(): number;
  /** The tail of what the process printed. */
  output(): string;
  stop(): Promise<void>;
}

const running = new Map<ChildProcess, string>();
let hooked = false;

/** Kills whatever is still running when the bench process leaves, however it leaves. */
/** A child's log goes when it stops, unless BENCH_KEEP_LOGS=1 (then its path is printed). */
function forget(logFile: string): void {
  if (process.env.BENCH_KEEP_LOGS === "1") console.error(`[bench] kept ${logFile}`);
  else fs.rmSync(logFile, { force: true });
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const [child, logFile] of running) {
      child.kill("SIGKILL");
      forget(logFile);
    }
    running.clear();
  };
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the bench and its servers`);
      killAll();
      process.exit(130);
    });
  }
}

/** A port nothing listens on right now, outside the 4000-4100 range others use by hand. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once("error", reject);
      s.listen(0, "127.0.0.1", () => {
        const address = s.address();
        const p = typeof address === "object" && address ? address.port : 0;
        s.close(() => resolve(p));
      });
    });
    if (port < 4000 || port > 4100) return port;
  }
}

/** This tree's gateway; BENCH_GATEWAY_BIN: another tree's bin/courant.js (built), to compare it under the same harness. */
export const GATEWAY_BIN = process.env.BENCH_GATEWAY_BIN || path.resolve(__dirname, "..", "..", "bin", "courant.js");

/** Node flags the gateway runs with in production (the Dockerfile's NODE_OPTIONS, `npm start`). */
export const GATEWAY_NODE_ARGS = ["--max-old-space-size=256", "--max-semi-space-size=16"];

/** Peak resident set size of a process in bytes: VmHWM, else VmRSS; 0 once it is gone. */
export function readPeakRss(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Starts `node <script> ...args` with `env` (and nothing else from ours), its output going to a
 * log file rather than through this process, and waits until GET `readyPath` answers 200.
 */
export async function startChild(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  timeoutMs = 60_000,
  /** Flags for node itself (those NODE_OPTIONS refuses, such as --cpu-prof). */
  nodeArgs: string[] = [],
): Promise<Child> {
  hookExit();
  const logFile = path.join(os.tmpdir(), `courant-bench-${name}-${process.pid}.log`);
  const fd = fs.openSync(logFile, "w");
  const startedAt = Date.now();
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
    stdio: ["ignore", fd, fd],
  });
  fs.closeSync(fd);
  running.set(child, logFile);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  let peak = 0;
  const poll = setInterval(() => {
    peak = Math.max(peak, readPeakRss(child.pid!));
  }, 250);
  poll.unref();
  const output = () => {
    try {
      return fs.readFileSync(logFile, "utf8").slice(-4000);
    } catch {
      return "";
    }
  };
  const stop = async () => {
    clearInterval(poll);
    peak = Math.max(peak, readPeakRss(child.pid!));
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(killer);
    }
    forget(logFile);
  };

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const out = output();
      await stop();
      throw new Error(`${name} exited before it was ready:\n${out}`);
    }
    try {
      const res = await fetch(`${url}${readyPath}`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const out = output();
      await stop();
      throw new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    pid: child.pid!,
    url,
    startedAt,
    peakRss: () => Math.max(peak, readPeakRss(child.pid!)),
    output,
    stop,
  };
}

/** The value given as `--name V` on the command line of a standalone bench script. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A positive number given as `--name N` on the command line of a standalone bench script. */
export function flag(name: string, fallback: number): number {
  const given = option(name);
  const value = given !== undefined ? Number(given) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/**
 * `courant serve` (GATEWAY_BIN unless `bin`) on a free port in production mode, as the bench
 * measures it: statement counts reported, no migrations or demo content at start, rate limits far
 * above the load (one client sends everything, so it never answers 429). `env` adds or overrides
 * settings (RESPONSE_CACHE), `nodeArgs` come after the production flags.
 */
export async function startGatewayProcess(
  name: string,
  databaseUrl: string,
  opts: { env?: Record<string, string>; nodeArgs?: string[]; bin?: string } = {},
): Promise<Child> {
  const port = await freePort();
  return startChild(
    name,
    opts.bin ?? GATEWAY_BIN,
    ["serve"],
    {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: "127.0.0.1",
      // Production hides the statement count; the bench reads it.
      SQL_STATEMENT_HEADER: "true",
      MIGRATE_ON_START: "false",
      SEED_DEMO_ON_START: "false",
      RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "10000000",
      RATE_LIMIT_BEACONS_PER_MINUTE: "10000000",
      ...opts.env,
    },
    port,
    "/readyz",
    60_000,
    [...GATEWAY_NODE_ARGS, ...(opts.nodeArgs ?? [])],
  );
}

/** User and system CPU time a process has used, in ms (Linux /proc); null when unknown. */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100;
