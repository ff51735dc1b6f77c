import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createConnection } from "mysql2/promise";
import type { DataSource } from "typeorm";
import { loadConfig } from "../../src/config";
import { migrate, openDataSource } from "../../src/db/data-source";

export type DbKind = "sqlite" | "mysql";

/** SQLite always; MySQL when scripts/test.js found one answering (it prints when it did not). */
export const DATABASES: DbKind[] = process.env.COURANT_TEST_MYSQL_URL ? ["sqlite", "mysql"] : ["sqlite"];

let counter = 0;

/** A fresh, empty database of the given kind, and how to drop it. */
export async function freshDatabase(kind: DbKind): Promise<{ url: string; drop: () => Promise<void> }> {
  const tag = `${process.pid}_${Date.now().toString(36)}_${counter++}`;
  if (kind === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-test-"));
    return {
      url: `sqlite:${path.join(dir, "test.sqlite")}`,
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const serverUrl = process.env.COURANT_TEST_MYSQL_URL!;
  const name = `${new URL(serverUrl).pathname.slice(1) || "courant_test"}_${tag}`;
  const { url, server } = await createMysqlDatabase(serverUrl, name);
  return {
    url,
    drop: async () => {
      const c = await createConnection(server);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}

/**
 * A new, empty database on the MySQL server `serverUrl` points at: its URL, and how to reach
 * the server itself (to drop it).
 */
export async function createMysqlDatabase(
  serverUrl: string,
  name: string,
  collation = "utf8mb4_unicode_ci",
): Promise<{ url: string; server: { host: string; port: number; user: string; password: string } }> {
  const base = new URL(serverUrl);
  const server = {
    host: base.hostname,
    port: Number(base.port || 3306),
    user: decodeURIComponent(base.username),
    password: decodeURIComponent(base.password),
  };
  const conn = await createConnection(server);
  await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE ${collation}`);
  await conn.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return { url: url.toString(), server };
}

/**
 * A fresh database of the given kind, migrated, with an open data source (not held to the
 * statement cap, as command-line work is not); `drop` closes it and drops the database.
 */
export async function migratedDatabase(kind: DbKind): Promise<{ ds: DataSource; drop: () => Promise<void> }> {
  const db = await freshDatabase(kind);
  const ds = await openDataSource(
    loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url, LOG_LEVEL: "silent" }),
    undefined,
    { uncapped: true },
  );
  await migrate(ds);
  return {
    ds,
    drop: async () => {
      await ds.destroy();
      await db.drop();
    },
  };
}
