/**
 * Two gateways against a private MariaDB primary and a read replica replicating from it, both
 * started here (own ports and data directories under /tmp, `mariadb-install-db` + `mariadbd`),
 * and stopped at the end. Measures:
 *   - the uncached feed's throughput through one gateway against two (the same connections in
 *     total, split across them), reading from the replica (DATABASE_REPLICA_URLS);
 *   - the replica lag a reader sees after a publish: publishArticle on gateway A (the primary),
 *     then article(slug) on gateway B (public reads on the replica) until it answers; and the
 *     lag of the database alone (a row written on the primary, polled on the replica).
 *
 *   node dist/bench/replica.js [--articles 20000] [--seconds 8] [--connections 10] [--publishes 30]
 */
import "reflect-metadata";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createConnection } from "mysql2/promise";
import { AuthService } from "../src/auth/auth.service";
import { loadConfig } from "../src/config";
import { migrate, openDataSource } from "../src/db/data-source";
import { seedBench } from "../src/seed/bench";
import { load } from "./load";
import { GATEWAY_NODE_ARGS, flag, freePort, startChild, type Child } from "./processes";
import { gql } from "./scenarios";

const ROOT = path.resolve(__dirname, "..", "..");
const BIN = path.join(ROOT, "bin", "courant.js");
const log = (line: string) => console.log(`[replica] ${line}`);

const FEED = `query Feed($section: String!) {
  articles(first: 20, filter: { section: $section }) {
    edges { cursor node { title standfirst publishedAt heroImage { url alt } section { name slug } authors { name } } }
  }
}`;

interface Server {
  port: number;
  url: (db?: string) => string;
  stop: () => Promise<void>;
}

/** A private mariadbd on its own port and data directory. */
async function startMariadb(dir: string, serverId: number, extra: string[]): Promise<Server> {
  fs.mkdirSync(dir, { recursive: true });
  const install = spawnSync(
    "mariadb-install-db",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      "--user=root",
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ],
    { encoding: "utf8" },
  );
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`);
  const port = await freePort();
  const child: ChildProcess = spawn(
    "mariadbd",
    [
      "--no-defaults",
      `--datadir=${dir}/data`,
      `--socket=${dir}/mysqld.sock`,
      `--pid-file=${dir}/mysqld.pid`,
      `--port=${port}`,
      "--bind-address=127.0.0.1",
      "--user=root",
      `--server-id=${serverId}`,
      "--innodb-buffer-pool-size=256M",
      "--skip-name-resolve",
      ...extra,
    ],
    { stdio: ["ignore", fs.openSync(`${dir}/server.log`, "w"), fs.openSync(`${dir}/server.err`, "w")] },
  );
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const c = await createConnection({ socketPath: `${dir}/mysqld.sock`, user: "root" });
      // TCP clients (the gateways) come from 127.0.0.1, which `root@localhost` does not cover.
      await c.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY ''");
      await c.query("GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
      await c.end();
      break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`mariadbd in ${dir} did not start: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    port,
    url: (db = "") => `mysql://root@127.0.0.1:${port}/${db}`,
    stop: async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
};
const round = (n: number) => Math.round(n * 10) / 10;

async function call(base: string, query: string, variables: Record<string, unknown>, key?: string) {
  const res = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data!;
}

async function main(): Promise<void> {
  const articles = flag("articles", 20_000);
  const seconds = flag("seconds", 8);
  const connections = flag("connections", 10);
  const publishes = flag("publishes", 30);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-replica-"));
  const stops: Array<() => Promise<void>> = [];
  try {
    const primary = await startMariadb(path.join(dir, "primary"), 1, [
      `--log-bin=${dir}/primary/binlog`,
      "--binlog-format=ROW",
    ]);
    stops.unshift(primary.stop);
    const replica = await startMariadb(path.join(dir, "replica"), 2, [
      `--relay-log=${dir}/replica/relay`,
      "--read-only=1",
    ]);
    stops.unshift(replica.stop);
    const r = await createConnection({ uri: replica.url() });
    await r.query(
      `CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=${primary.port}, MASTER_USER='root', MASTER_PASSWORD='', MASTER_USE_GTID=slave_pos`,
    );
    await r.query("START SLAVE");
    await r.end();
    log(`primary on port ${primary.port}, replica on ${replica.port} (${dir})`);

    const p = await createConnection({ uri: primary.url() });
    await p.query("CREATE DATABASE courant CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    const url = primary.url("courant");
    const ds = await openDataSource(loadConfig({ DATABASE_URL: url, LOG_LEVEL: "silent" }), undefined, {
      uncapped: true,
    });
    let key: string;
    try {
      await migrate(ds);
      const started = Date.now();
      await seedBench(ds, { articles, seed: 1, languages: 24, bodyWords: 60 });
      log(
        `seeded ${articles} articles (24 languages) on the primary in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      key = await new AuthService(ds, () => new Date()).create("replica-bench", "editor");
    } finally {
      await ds.destroy();
    }
    // Wait until the replica has everything the primary wrote.
    const caughtUp = Date.now();
    const [[{ pos }]] = (await p.query("SELECT @@gtid_binlog_pos AS pos")) as unknown as [[{ pos: string }]];
    const rc = await createConnection({ uri: replica.url() });
    await rc.query("SELECT MASTER_GTID_WAIT(?, 600)", [pos]);
    log(`replica caught up with the load ${((Date.now() - caughtUp) / 1000).toFixed(1)} s after it ended`);

    const env = {
      NODE_ENV: "production",
      DATABASE_URL: url,
      DATABASE_REPLICA_URLS: replica.url("courant"),
      MIGRATE_ON_START: "false",
      SEED_DEMO_ON_START: "false",
      RESPONSE_CACHE: "false",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
      RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "10000000",
      RATE_LIMIT_BEACONS_PER_MINUTE: "10000000",
    };
    const gateways: Child[] = [];
    for (const name of ["replica-gateway-a", "replica-gateway-b"]) {
      const port = await freePort();
      const g = await startChild(
        name,
        BIN,
        ["serve"],
        { ...env, PORT: String(port) },
        port,
        "/readyz",
        120_000,
        GATEWAY_NODE_ARGS,
      );
      gateways.push(g);
      stops.unshift(() => g.stop());
    }
    const [a, b] = gateways as [Child, Child];
    const requests = [gql(FEED, { section: "bench-section-7" })];
    await call(a.url, FEED, { section: "bench-section-7" });

    // 1. Feed throughput: one gateway with every connection, then two sharing them.
    await load(a.url, requests, { seconds: 2, connections });
    const one = await load(a.url, requests, { seconds, connections });
    await Promise.all([
      load(a.url, requests, { seconds: 2, connections: connections / 2 }),
      load(b.url, requests, { seconds: 2, connections: connections / 2 }),
    ]);
    const [x, y] = await Promise.all([
      load(a.url, requests, { seconds, connections: Math.ceil(connections / 2) }),
      load(b.url, requests, { seconds, connections: Math.floor(connections / 2) }),
    ]);
    const two = { rps: round(x.rps + y.rps), p50: Math.max(x.p50, y.p50), p99: Math.max(x.p99, y.p99) };
    log(
      `feed, one gateway:  ${one.rps} req/s, p50 ${one.p50} ms, p99 ${one.p99} ms${one.failed ? `, FAILED ${one.failed}` : ""}`,
    );
    log(
      `feed, two gateways: ${two.rps} req/s, p50 ${two.p50} ms, p99 ${two.p99} ms (sum; the worse percentile)${x.failed + y.failed ? `, FAILED ${x.failed + y.failed}` : ""}`,
    );
    log(`two / one: ${round(two.rps / one.rps)}x req/s on ${os.cpus().length} cores`);

    // 2. Publish on A (primary), read on B (replica) until the article is there.
    const sections = (await call(a.url, "{ sections { id slug } }", {})) as {
      sections: Array<{ id: string; slug: string }>;
    };
    const section = sections.sections.find((s) => s.slug === "bench-section-7")!;
    const visible: number[] = [];
    for (let i = 0; i < publishes; i++) {
      const slug = `replica-lag-${Date.now()}-${i}`;
      const created = (await call(
        a.url,
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        {
          input: {
            title: `Replica ${i}`,
            slug,
            language: "en",
            sectionId: section.id,
            authorIds: [],
            body: "<p>x</p>",
          },
        },
        key,
      )) as { createArticle: { id: string } };
      await call(a.url, `mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: created.createArticle.id }, key);
      const started = performance.now();
      for (;;) {
        const d = (await call(b.url, `query($slug: String!) { article(slug: $slug, language: "en") { id } }`, {
          slug,
        })) as { article: { id: string } | null };
        if (d.article) break;
        if (performance.now() - started > 30_000) throw new Error(`article ${slug} never appeared on the replica`);
      }
      visible.push(performance.now() - started);
    }
    log(
      `publish (A, primary) to visible (B, replica), ${publishes} publishes: p50 ${round(percentile(visible, 50))} ms, p99 ${round(percentile(visible, 99))} ms, max ${round(Math.max(...visible))} ms`,
    );

    // 3. The database alone: a row on the primary, polled on the replica.
    await p.query("CREATE TABLE courant.replica_probe (id INT PRIMARY KEY)");
    await rc.query("SELECT MASTER_GTID_WAIT((SELECT @@gtid_slave_pos), 1)");
    const lags: number[] = [];
    for (let i = 1; i <= 100; i++) {
      await p.query("INSERT INTO courant.replica_probe VALUES (?)", [i]);
      const started = performance.now();
      for (;;) {
        const [rows] = await rc.query("SELECT 1 FROM courant.replica_probe WHERE id = ?", [i]);
        if ((rows as unknown[]).length) break;
        if (performance.now() - started > 30_000) throw new Error("the replica stopped applying");
      }
      lags.push(performance.now() - started);
    }
    log(
      `row on the primary to row on the replica, 100 rows: p50 ${round(percentile(lags, 50))} ms, p99 ${round(percentile(lags, 99))} ms`,
    );
    await rc.end();
    await p.end();
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
