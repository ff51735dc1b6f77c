/**
 * How long schema changes on a big `articles` table block writers, on MySQL/MariaDB: while each
 * ALTER runs, a writer updates one article every 20 ms on its own connection; the drill reports
 * the ALTER's duration and the longest a write waited. Each change is undone afterwards (the probe
 * column and index are dropped).
 *
 *   node dist/bench/migration-drill.js --url mysql://root@127.0.0.1:3306/courant_scale_2m4 [--copy]
 *
 * `--columns` also adds and drops a column. With the two FULLTEXT indexes on `articles`, InnoDB
 * can neither add a column instantly nor in place (the drill prints its refusal first), so both
 * fall back to ALGORITHM=COPY: the whole table rewritten while writes wait. That takes minutes to
 * hours on a big table, so it is off by default.
 */
import { Command } from "commander";
import { createConnection, type Connection } from "mysql2/promise";

const log = (line: string) => console.log(`[migration-drill] ${line}`);

interface Step {
  name: string;
  sql: string;
  undo?: string;
}

async function writer(
  conn: Connection,
  ids: number[],
): Promise<{ stop: () => Promise<{ writes: number; maxMs: number; p99Ms: number }> }> {
  let running = true;
  const waits: number[] = [];
  const loop = (async () => {
    let i = 0;
    while (running) {
      const started = performance.now();
      await conn.query("UPDATE articles SET version = version + 1 WHERE id = ?", [ids[i++ % ids.length]]);
      waits.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      const sorted = [...waits].sort((a, b) => a - b);
      return {
        writes: waits.length,
        maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
        p99Ms: Math.round(sorted[Math.max(0, Math.ceil(sorted.length * 0.99) - 1)] ?? 0),
      };
    },
  };
}

async function main(opts: { url: string; columns: boolean }): Promise<void> {
  const ddl = await createConnection({ uri: opts.url });
  const w = await createConnection({ uri: opts.url });
  try {
    await ddl.query("SET SESSION max_statement_time = 0");
    const [[count]] = (await ddl.query("SELECT COUNT(*) AS n FROM articles")) as unknown as [[{ n: number }]];
    const [rows] = await ddl.query("SELECT id FROM articles ORDER BY id DESC LIMIT 50");
    const ids = (rows as Array<{ id: number }>).map((r) => r.id);
    log(`articles: ${count!.n} rows`);
    for (const online of ["ALGORITHM=INSTANT", "ALGORITHM=INPLACE, LOCK=NONE"]) {
      try {
        await ddl.query(`ALTER TABLE articles ADD COLUMN scale_probe INT NULL, ${online}`);
        log(`ADD COLUMN, ${online}: accepted`);
        await ddl.query("ALTER TABLE articles DROP COLUMN scale_probe");
      } catch (err) {
        log(`ADD COLUMN, ${online}: refused: ${(err as Error).message}`);
      }
    }
    const steps: Step[] = [
      {
        name: "ADD INDEX, ALGORITHM=INPLACE, LOCK=NONE (online)",
        sql: "ALTER TABLE articles ADD INDEX idx_scale_probe (updated_at, id), ALGORITHM=INPLACE, LOCK=NONE",
        undo: "ALTER TABLE articles DROP INDEX idx_scale_probe",
      },
      {
        name: "ADD INDEX, ALGORITHM=INPLACE, LOCK=SHARED (reads only)",
        sql: "ALTER TABLE articles ADD INDEX idx_scale_probe (updated_at, id), ALGORITHM=INPLACE, LOCK=SHARED",
        undo: "ALTER TABLE articles DROP INDEX idx_scale_probe",
      },
      ...(opts.columns
        ? [
            {
              name: "ADD COLUMN (falls back to COPY: FULLTEXT indexes)",
              sql: "ALTER TABLE articles ADD COLUMN scale_probe INT NULL",
            },
            { name: "DROP COLUMN (the same)", sql: "ALTER TABLE articles DROP COLUMN scale_probe" },
          ]
        : []),
    ];
    for (const step of steps) {
      const wr = await writer(w, ids);
      await new Promise((r) => setTimeout(r, 500));
      const started = performance.now();
      await ddl.query(step.sql);
      const seconds = Math.round((performance.now() - started) / 100) / 10;
      await new Promise((r) => setTimeout(r, 500));
      const f = await wr.stop();
      log(
        `${step.name.padEnd(58)} ${String(seconds).padStart(7)} s; writes during it: ${f.writes}, longest wait ${f.maxMs} ms, p99 ${f.p99Ms} ms`,
      );
      if (step.undo) await ddl.query(step.undo);
    }
  } finally {
    await w.end();
    await ddl.end();
  }
}

if (require.main === module) {
  const program = new Command()
    .requiredOption("--url <url>", "the database (MySQL/MariaDB) whose articles table is altered")
    .option("--columns", "also add and drop a column (rewrites the whole table twice)", false);
  program.parse();
  main(program.opts<{ url: string; columns: boolean }>()).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
