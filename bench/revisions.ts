/**
 * Revisions, measured:
 *
 *   npm run build && node dist/bench/revisions.js [--edits 200]
 *
 * Two gateways on one database, one keeping revisions (REVISIONS=true) and one not, edit the demo
 * article's text in alternating rounds; reports updateArticle p50/p99 of each and their ratio.
 * Then the size of a revision as stored, and what Brotli would make of it.
 *
 * DATABASE_URL names a MySQL server (a database `courant_rev_<pid>` is made and dropped), or
 * `sqlite:` (the default: a temporary file).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { createConnection } from "mysql2/promise";
import { flag, freePort, startChild } from "./processes";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "courant.js");
const log = (line: string) => console.log(`[revisions] ${line}`);
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;

async function gql(url: string, query: string, variables: Record<string, unknown>, key?: string) {
  const res = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GraphQL answers, checked by use
  const json: any = await res.json();
  if (json.errors) throw new Error(JSON.stringify(json.errors));
  return json.data;
}

async function main() {
  const edits = flag("edits", 200);
  const server = process.env.DATABASE_URL ?? "sqlite:";
  let url: string;
  let drop: () => Promise<void>;
  let sizes: () => Promise<string[]>;
  if (server.startsWith("sqlite:")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-rev-"));
    url = `sqlite:${path.join(dir, "rev.sqlite")}`;
    drop = async () => fs.rmSync(dir, { recursive: true, force: true });
    sizes = async () => {
      const Database = (await import("better-sqlite3")).default;
      const db = new Database(url.slice("sqlite:".length), { readonly: true });
      const rows = db.prepare("SELECT content FROM article_revisions").all() as Array<{ content: string }>;
      db.close();
      return rows.map((r) => r.content);
    };
  } else {
    const u = new URL(server);
    const name = `courant_rev_${process.pid}`;
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
    sizes = async () => {
      const d = await createConnection({ ...conn, database: name });
      const [rows] = await d.query("SELECT content FROM article_revisions");
      await d.end();
      return (rows as Array<{ content: string }>).map((r) => r.content);
    };
  }
  const env = { DATABASE_URL: url, LOG_LEVEL: "warn" };
  const cli = (args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`courant ${args.join(" ")}: ${r.stderr}`);
    return r.stdout.trim();
  };
  const stops: Array<() => Promise<void>> = [];
  try {
    cli(["migrate"]);
    cli(["seed", "--demo"]);
    const key = cli(["api-key", "create", "--role", "editor", "--name", "revisions-bench"]).split("\n").pop()!;
    const start = async (name: string, revisions: boolean) => {
      const port = await freePort();
      const child = await startChild(
        name,
        BIN,
        ["serve"],
        {
          ...env,
          PORT: String(port),
          NODE_ENV: "production",
          REVISIONS: String(revisions),
          RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000",
        },
        port,
        "/readyz",
      );
      stops.push(() => child.stop());
      return child.url;
    };
    const on = await start("gateway-revisions-on", true);
    const off = await start("gateway-revisions-off", false);
    const demo = (await gql(on, `{ articles(first: 2, filter: { language: "en" }) { nodes { id } } }`, {})).articles
      .nodes;
    const bodyOf = async (id: string) =>
      (await gql(on, `query($id: ID!) { article(id: $id) { body { html } } }`, { id })).article.body.html as string;
    const targets = {
      on: { id: demo[0].id as string, body: await bodyOf(demo[0].id) },
      off: { id: demo[1].id as string, body: await bodyOf(demo[1].id) },
    };
    const times: Record<"on" | "off", number[]> = { on: [], off: [] };
    const round = async (which: "on" | "off") => {
      const gw = which === "on" ? on : off;
      const t = targets[which];
      for (let i = 0; i < Math.ceil(edits / 8); i++) {
        const body = t.body.replace(/<\/p>/, ` (edit ${times[which].length}).</p>`);
        const started = performance.now();
        await gql(
          gw,
          `mutation($id: ID!, $b: String!) { updateArticle(id: $id, input: { body: $b }) { version } }`,
          { id: t.id, b: body },
          key,
        );
        times[which].push(performance.now() - started);
      }
    };
    for (let r = 0; r < 4; r++) {
      await round("off");
      await round("on");
    }
    log(
      `updateArticle of a ${(Buffer.byteLength(targets.on.body) / 1024).toFixed(1)} KB body: revisions off p50 ${pct(times.off, 50).toFixed(1)} ms p99 ${pct(times.off, 99).toFixed(1)} ms; ` +
        `on p50 ${pct(times.on, 50).toFixed(1)} ms p99 ${pct(times.on, 99).toFixed(1)} ms; p99 ratio ${(pct(times.on, 99) / pct(times.off, 99)).toFixed(2)}x`,
    );
    const stored = await sizes();
    const json = stored.map((c) =>
      c.startsWith("br:") ? zlib.brotliDecompressSync(Buffer.from(c.slice(3), "base64")).toString("utf8") : c,
    );
    const avg = (xs: string[]) => xs.reduce((n, c) => n + Buffer.byteLength(c), 0) / xs.length / 1024;
    log(
      `${stored.length} revisions: ${avg(json).toFixed(2)} KB each as JSON, ${avg(stored).toFixed(2)} KB as stored ` +
        `(Brotli and base64 where smaller: ${((100 * avg(stored)) / avg(json)).toFixed(0)}%; ${stored.filter((c) => c.startsWith("br:")).length} compressed)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
