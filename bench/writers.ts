/**
 * Concurrent writers against one gateway, on a fresh database each run:
 *
 *   npm run build && node dist/bench/writers.js [--writers 8] [--seconds 10]
 *
 * DATABASE_URL names the server (default mysql://root@127.0.0.1:3306); a database
 * `courant_writers_<pid>` is made there and dropped afterwards. `sqlite:` URLs work too.
 * Prints the writes acknowledged per second, failures by code, and the transaction retries
 * the gateway counted in /metrics (deadlocks the database chose a victim for, and retried).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { createConnection } from "mysql2/promise";
import { failureCodes, falseConflicts, retriesFromMetrics, runWritersDrill } from "./writers-drill";
import { flag, freePort, startChild } from "./processes";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "courant.js");

async function main() {
  const writers = flag("writers", 8);
  const seconds = flag("seconds", 10);
  const server = process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306";
  let url: string;
  let drop: () => Promise<void>;
  if (server.startsWith("sqlite:")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-writers-"));
    url = `sqlite:${path.join(dir, "writers.sqlite")}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
  } else {
    const u = new URL(server);
    const name = `courant_writers_${process.pid}`;
    const conn = { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) };
    const c = await createConnection(conn);
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await c.end();
    u.pathname = `/${name}`;
    url = u.toString();
    drop = async () => {
      const d = await createConnection(conn);
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    };
  }
  const env = { DATABASE_URL: url, LOG_LEVEL: "warn" };
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`courant ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  try {
    cli(["migrate"]);
    cli(["seed", "--demo"]);
    const key = cli(["api-key", "create", "--role", "editor", "--name", "writers-bench"]).split("\n").pop()!;
    const port = await freePort();
    const gateway = await startChild(
      "gateway",
      BIN,
      ["serve"],
      {
        ...env,
        PORT: String(port),
        RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000",
        RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      },
      port,
      "/readyz",
    );
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL answer, checked by use
      const ids: any = await (
        await fetch(`${gateway.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ sections { id } authors(first: 1) { nodes { id } } }" }),
        })
      ).json();
      const sectionId = ids.data.sections[0].id;
      const authorIds = [ids.data.authors.nodes[0].id];
      console.log(`[writers] ${writers} writers for ${seconds} s on ${url.replace(/\/\/[^@]*@/, "//")}`);
      const r = await runWritersDrill({ url: gateway.url, key, sectionId, authorIds }, { writers, seconds });
      const retries = await retriesFromMetrics(gateway.url);
      console.log(
        `[writers] acknowledged ${r.acked.length} writes (${(r.acked.length / seconds).toFixed(0)}/s) of ${r.requests} requests`,
      );
      console.log(`[writers] failures by code: ${JSON.stringify(failureCodes(r))}`);
      console.log(`[writers] false conflicts: ${falseConflicts(r).length}`);
      const twice = r.idempotentPairs.filter(([a, b]) => a !== b).length;
      console.log(
        `[writers] creates sent twice with one client mutation id: ${r.idempotentPairs.length}, of which made two articles: ${twice}`,
      );
      console.log(`[writers] transaction retries (from /metrics): ${JSON.stringify(retries)}`);
      const unexpected = gateway
        .output()
        .split("\n")
        .filter((l) => l.includes("unexpected error"));
      if (unexpected.length) console.log(`[writers] the gateway's last unexpected error:\n${unexpected.pop()}`);
    } finally {
      await gateway.stop();
    }
  } finally {
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
