import path from "node:path";
import { spawn } from "node:child_process";
import { In } from "typeorm";
import { createConnection } from "mysql2/promise";
import { SectionEntity } from "../../src/section/section.entity";
import { isServiceUnavailable } from "../../src/db/errors";
import { inTransaction, retryReason } from "../../src/db/transaction";
import { registry } from "../../src/metrics/metrics";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";

async function counter(name: string, reason: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = (metric?.values as Array<{ labels: { reason?: string }; value: number }> | undefined)?.find(
    (v) => v.labels.reason === reason,
  );
  return value?.value ?? 0;
}

describe("retryReason", () => {
  it.each([
    [{ code: "ER_LOCK_DEADLOCK", errno: 1213 }, "deadlock"],
    [{ errno: 1205 }, "lock_wait_timeout"],
    [{ code: "SQLITE_BUSY" }, "busy"],
    [{ code: "SQLITE_BUSY_SNAPSHOT" }, "busy"],
    [{ code: "ER_DUP_ENTRY", errno: 1062 }, "race"],
    [{ message: "Query failed", driverError: { code: "ER_LOCK_DEADLOCK" } }, "deadlock"],
    [{ code: "ER_NO_REFERENCED_ROW_2", errno: 1452 }, undefined],
    [{ code: "ER_PARSE_ERROR" }, undefined],
    [new Error("plain"), undefined],
  ])("%j → %s", (err, reason) => {
    expect(retryReason(err)).toBe(reason);
    // What is retried is, once retries run out, the server's condition (503), never the client's.
    expect(isServiceUnavailable(err)).toBe(reason !== undefined);
  });
});

const mysqlOnly = DATABASES.includes("mysql") ? describe : describe.skip;
if (!DATABASES.includes("mysql")) console.log("SKIPPED the MariaDB deadlock tests: no MySQL for this run");

mysqlOnly("inTransaction on MariaDB", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("mysql", { env: { SQL_STATEMENT_TIMEOUT_MS: "3000" } });
  });
  afterAll(() => gw?.close());

  it("runs the whole body again when InnoDB picks it as a deadlock victim, and both writers succeed", async () => {
    const a = await gw.factory.section();
    const b = await gw.factory.section();
    const before = await counter("courant_transaction_retries_total", "deadlock");
    let runs = 0;
    let arrived = 0;
    let release!: () => void;
    const barrier = new Promise<void>((r) => (release = r));
    // Each locks one row, waits until the other has locked its row, then wants the other's: a
    // textbook deadlock on the first run. The barrier holds only the first run of each.
    const writer = (first: number, second: number, name: string) =>
      inTransaction(gw.ds, async (m) => {
        const run = ++runs;
        await m.update(SectionEntity, { id: first }, { description: `${name} ${run}` });
        if (run <= 2) {
          if (++arrived === 2) release();
          await barrier;
        }
        await m.update(SectionEntity, { id: second }, { description: `${name} ${run}` });
        return run;
      });
    const results = await Promise.all([writer(a.id, b.id, "x"), writer(b.id, a.id, "y")]);
    expect(runs).toBe(3);
    expect(Math.max(...results)).toBe(3);
    expect(await counter("courant_transaction_retries_total", "deadlock")).toBe(before + 1);
    // The retried run wrote last, over both rows.
    const rows = await gw.ds.getRepository(SectionEntity).find({ where: { id: In([a.id, b.id]) } });
    expect(new Set(rows.map((r) => r.description))).toEqual(new Set([rows[0]!.description]));
    expect(rows[0]!.description).toMatch(/ 3$/);
  });

  it("answers 503 SERVICE_UNAVAILABLE with Retry-After when a row stays locked past every retry, and the same request succeeds once it is free", async () => {
    const key = await gw.courant.deps.services.auth.create("lock-desk", "editor");
    const auth = { authorization: `Bearer ${key}` };
    const section = await gw.factory.section();
    const article = await gw.factory.article({ sectionId: section.id, title: "Locked" });
    const url = new URL(gw.courant.deps.config.databaseUrl);
    const holder = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      database: url.pathname.slice(1),
    });
    const update = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { title version } }`;
    const variables = { id: gid("Article", article.id), input: { title: "Edited" } };
    const before = await counter("courant_transactions_abandoned_total", "lock_wait_timeout");
    try {
      await holder.query("START TRANSACTION");
      await holder.query("SELECT id FROM articles WHERE id = ? FOR UPDATE", [article.id]);
      const started = Date.now();
      const res = await gw.gql(update, variables, auth);
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(res.body.errors?.[0]?.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(JSON.stringify(res.body)).not.toMatch(/SELECT |UPDATE `|Lock wait|ER_LOCK/i);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(await counter("courant_transactions_abandoned_total", "lock_wait_timeout")).toBe(before + 1);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    const again = await gw.gql(update, variables, auth);
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.updateArticle).toEqual({ title: "Edited", version: article.version + 1 });
  }, 30_000);
});

describe("inTransaction on SQLite", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite");
  });
  afterAll(() => gw?.close());

  it("waits for another process's write lock instead of failing with SQLITE_BUSY", async () => {
    const section = await gw.factory.section();
    const file = path.resolve(gw.courant.deps.config.databaseUrl.replace(/^sqlite:/, ""));
    // Another process holds the write lock for 600 ms, as an import's transaction would. (In this
    // process it could not: better-sqlite3 waits for a lock synchronously.)
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const db = require("better-sqlite3")(process.argv[1]);
         db.prepare("BEGIN IMMEDIATE").run();
         db.prepare("UPDATE sections SET description = 'other' WHERE id = ?").run(Number(process.argv[2]));
         console.log("locked");
         Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 600);
         db.prepare("COMMIT").run();`,
        file,
        String(section.id),
      ],
      { cwd: path.join(__dirname, "..", "..") },
    );
    const exited = new Promise((resolve) => holder.once("exit", resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once("data", () => resolve());
      holder.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
    });
    const started = Date.now();
    await inTransaction(gw.ds, async (m) => {
      const row = await m.getRepository(SectionEntity).findOneByOrFail({ id: section.id });
      await m.update(SectionEntity, { id: section.id }, { description: `${row.description} then ours` });
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await exited).toBe(0);
    // Ours read the other process's committed write: nothing was lost.
    expect((await gw.ds.getRepository(SectionEntity).findOneByOrFail({ id: section.id })).description).toBe(
      "other then ours",
    );
  });
});
