import fs from "node:fs";
import path from "node:path";
import { createConnection } from "mysql2/promise";
import { DataSource, DataSourceOptions } from "typeorm";
import type { Logger } from "pino";
import type { Config } from "../config";
import { migrations } from "../../migrations";
import { SnakeNamingStrategy } from "./naming-strategy";
import { CountingLogger } from "./sql-logger";
import { SqlTracingSubscriber } from "./sql-tracing";

/**
 * Every entity and subscriber of the domain folders, found by file name (`<name>.entity.ts`,
 * `<name>.subscriber.ts`), so that this layer names no domain. Subscribers keep derived columns
 * in step on every TypeORM write.
 */
const SOURCES = path.join(__dirname, "..");
const EXT = __filename.endsWith(".ts") ? "ts" : "js";
export const entities = [path.join(SOURCES, `**/*.entity.${EXT}`)];
export const subscribers = [path.join(SOURCES, `**/*.subscriber.${EXT}`), SqlTracingSubscriber];

export type Dialect = "mysql" | "sqlite";

export function dialectOf(ds: DataSource): Dialect {
  return ds.options.type === "better-sqlite3" ? "sqlite" : "mysql";
}

/** MariaDB and MySQL differ in how TypeORM must read their schema: ask the server which it is. */
async function detectMysqlFlavour(url: string, connectTimeout: number): Promise<"mariadb" | "mysql"> {
  const conn = await createConnection({ uri: url, connectTimeout });
  try {
    const [rows] = await conn.query("SELECT VERSION() AS v");
    const version = String((rows as Array<{ v: string }>)[0]?.v ?? "");
    return /mariadb/i.test(version) ? "mariadb" : "mysql";
  } finally {
    await conn.end();
  }
}

export async function dataSourceOptions(config: Config, log?: Logger): Promise<DataSourceOptions> {
  const common = {
    entities,
    subscribers,
    migrations,
    migrationsTableName: "migrations",
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    logger: new CountingLogger(log),
    maxQueryExecutionTime: 1000,
  } as const;
  if (config.database.kind === "sqlite") {
    const file = config.database.path;
    if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    return {
      ...common,
      type: "better-sqlite3",
      database: file,
      enableWAL: file !== ":memory:",
      prepareDatabase: (db: { pragma(s: string): unknown }) => {
        db.pragma("foreign_keys = ON");
        db.pragma("busy_timeout = 5000");
      },
    };
  }
  const type = await detectMysqlFlavour(config.database.url, config.limits.dbConnectTimeoutMs);
  return {
    ...common,
    type,
    url: config.database.url,
    timezone: "Z",
    charset: "utf8mb4_unicode_ci",
    poolSize: config.dbPoolSize,
    supportBigNumbers: true,
    bigNumberStrings: false,
    // Fail fast while the database is away, rather than holding requests for mysql2's 10 s default.
    connectTimeout: config.limits.dbConnectTimeoutMs,
    // mysql2 captures a stack trace on every query, for the error it might throw: a measurable
    // share of a page's CPU (#16). Failed statements are logged with their SQL and request id.
    extra: { trace: false },
    // Public reads may go to replicas (Db.query with `replica`); writes and editors stay on the primary.
    ...(config.replicaUrls.length > 0
      ? {
          replication: {
            master: { url: config.database.url },
            slaves: config.replicaUrls.map((url) => ({ url })),
            // Only reads marked as public (Db.query with `replica`) leave the primary; keys, writes and previews never do.
            defaultMode: "master" as const,
          },
        }
      : {}),
  };
}

/**
 * Caps every statement on every pooled connection: MariaDB's max_statement_time (seconds),
 * MySQL's max_execution_time (milliseconds, SELECT only). SQLite statements run in-process
 * and cannot be interrupted; their cost is bounded by page-size caps and indexes instead.
 */
async function capStatements(ds: DataSource, timeoutMs: number): Promise<void> {
  if (dialectOf(ds) !== "mysql") return;
  // A write waiting for a row lock gives up well within the statement cap (InnoDB's default wait
  // is 50 s), so inTransaction can run it again while the request still has time.
  const lockWait = Math.max(1, Math.floor(timeoutMs / 1000 / 3));
  const setting =
    ds.options.type === "mariadb"
      ? `SET SESSION max_statement_time = ${(timeoutMs / 1000).toFixed(3)}, innodb_lock_wait_timeout = ${lockWait}`
      : `SET SESSION max_execution_time = ${Math.round(timeoutMs)}, innodb_lock_wait_timeout = ${lockWait}`;
  type Pool = { on(e: string, fn: (c: { query(s: string): void }) => void): void };
  const driver = ds.driver as unknown as { pool?: Pool; poolCluster?: { _nodes: Record<string, { pool: Pool }> } };
  // With read replicas TypeORM keeps a pool per node in a cluster.
  const pools = driver.pool ? [driver.pool] : Object.values(driver.poolCluster?._nodes ?? {}).map((n) => n.pool);
  for (const pool of pools) pool.on("connection", (connection) => connection.query(setting));
  // The one connection initialize() opened predates the listener; it is idle, so this reaches it.
  await ds.query(setting);
}

/** Serving connections cap each statement; migrations and seeding (`uncapped`) may run long. */
export async function openDataSource(
  config: Config,
  log?: Logger,
  options: { uncapped?: boolean } = {},
): Promise<DataSource> {
  const ds = new DataSource(await dataSourceOptions(config, log));
  await ds.initialize();
  if (ds.options.type === "better-sqlite3") beginImmediate(ds);
  if (!options.uncapped) await capStatements(ds, config.limits.sqlStatementTimeoutMs);
  return ds;
}

/**
 * SQLite transactions here are write transactions (see inTransaction), so they take the write
 * lock when they begin, waiting for it under busy_timeout. A deferred BEGIN would read first and
 * then fail at once with SQLITE_BUSY(_SNAPSHOT) when another process (an import, the CLI) wrote
 * in between: the busy handler cannot help a snapshot that is already stale.
 */
function beginImmediate(ds: DataSource): void {
  // better-sqlite3 has one connection, so TypeORM hands out one query runner for it.
  const runner = ds.createQueryRunner();
  const query = runner.query.bind(runner);
  runner.query = ((sql: string, ...rest: unknown[]) =>
    (query as (...a: unknown[]) => Promise<unknown>)(
      sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE TRANSACTION" : sql,
      ...rest,
    )) as typeof runner.query;
}

export const PENDING_MIGRATIONS = "the database has pending migrations: run `npx courant migrate` first";

/** Refuses to work on a database the code is ahead of. */
export async function assertMigrated(ds: DataSource): Promise<void> {
  if (await ds.showMigrations()) throw new Error(PENDING_MIGRATIONS);
}

/** Applies pending migrations; returns the names of those it ran. */
export async function migrate(ds: DataSource): Promise<string[]> {
  const ran = await ds.runMigrations({ transaction: "each" });
  return ran.map((m) => m.name);
}

/** Connections of the MySQL pool (the primary's), for /metrics; SQLite has one in-process handle. */
export function poolStats(ds: DataSource): { total: number; idle: number; waiting: number } {
  const pool = (
    ds.driver as unknown as {
      pool?: {
        _allConnections?: { length: number };
        _freeConnections?: { length: number };
        _connectionQueue?: { length: number };
      };
    }
  ).pool;
  if (!pool) return { total: ds.isInitialized ? 1 : 0, idle: 0, waiting: 0 };
  return {
    total: pool._allConnections?.length ?? 0,
    idle: pool._freeConnections?.length ?? 0,
    waiting: pool._connectionQueue?.length ?? 0,
  };
}
