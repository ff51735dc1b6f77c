import { spawn, spawnSync } from "node:child_process";
import path from "node:path";

export const COURANT_BIN = path.join(__dirname, "..", "..", "bin", "courant.js");

/** The environment a user's shell would have, minus anything of ours that could leak in. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "warn" };
  return { ...env, ...extra };
}

export function runCli(args: string[], env: Record<string, string>, cwd?: string) {
  const r = spawnSync(process.execPath, [COURANT_BIN, ...args], {
    env: cleanEnv(env),
    cwd,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Starts `courant serve` and resolves with its URL once it logs that it is serving. */
export function serve(
  env: Record<string, string>,
  cwd?: string,
): Promise<{ url: string; stop: () => Promise<number | null>; output: () => string }> {
  const child = spawn(process.execPath, [COURANT_BIN, "serve"], {
    env: cleanEnv({ LOG_LEVEL: "info", PORT: "0", ...env }),
    cwd,
  });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const stop = () =>
    new Promise<number | null>((resolve) => {
      if (child.exitCode !== null) return resolve(child.exitCode);
      child.once("exit", (code) => resolve(code));
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`serve did not start: ${out}`));
    }, 60_000);
    child.stdout.on("data", () => {
      const m = /"url":"(http:[^"]+)\/graphql"[^\n]*courant is serving/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, stop, output: () => out });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${out}`));
    });
  });
}

export async function post(url: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as { data?: any; errors?: any[] } };
}
