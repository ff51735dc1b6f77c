/**
 * What the standalone benches share: a throwaway database (a file, or a database on the MySQL
 * server DATABASE_URL names, dropped afterwards), the `courant` command against it, and a
 * GraphQL call that fails loudly.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createConnection } from "mysql2/promise";

/** The built `courant` command (bin/courant.js at the project root, from bench/ or dist/bench/). */
export const BIN = path.join(path.resolve(__dirname, "..", ".."), "bin", "courant.js");

export interface Scratch {
  url: string;
  /** Reads with plain SQL, on either database. */
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs `courant ARGS` against it; its stdout, or an error with its stderr. */
  cli(args: string[]): string;
  drop(): Promise<void>;
}

/** `DATABASE_URL` (or `fallback`) names `sqlite:` or a MySQL server; `tag` names the database made there. */
export async function scratchDatabase(tag: string, fallback: string): Promise<Scratch> {
  const server = process.env.DATABASE_URL ?? fallback;
  const cli = (url: string) => (args: string[]) => {
    const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" };
    const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`courant ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  if (server.startsWith("sqlite:")) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `courant-${tag}-`));
    const file = path.join(dir, `${tag}.sqlite`);
    const url = `sqlite:${file}`;
    return {
      url,
      cli: cli(url),
      async query(sql) {
        const Database = (await import("better-sqlite3")).default;
        const db = new Database(file, { readonly: true });
        try {
          return db.prepare(sql).all() as Array<Record<string, unknown>>;
        } finally {
          db.close();
        }
      },
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const u = new URL(server);
  const name = `courant_${tag}_${process.pid}`;
  const conn = { host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username) };
  const c = await createConnection(conn);
  await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await c.end();
  u.pathname = `/${name}`;
  const url = u.toString();
  const run = async (sql: string) => {
    const d = await createConnection({ ...conn, database: name });
    try {
      return (await d.query(sql))[0] as Array<Record<string, unknown>>;
    } finally {
      await d.end();
    }
  };
  return {
    url,
    cli: cli(url),
    query: run,
    drop: async () => {
      const d = await createConnection(conn);
      await d.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await d.end();
    },
  };
}

/** One GraphQL POST; GraphQL errors throw, so a bench never measures failures as successes. */
export async function gql(url: string, query: string, variables: Record<string, unknown>, key?: string) {
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

/** The p-th percentile of `xs` (nearest rank). */
export const percentile = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)]!;
