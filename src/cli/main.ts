import "reflect-metadata";
import { Command, InvalidArgumentError } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { MigrationExecutor, type DataSource } from "typeorm";
import { ConfigError, loadConfig, type Config } from "../config";
import { assertMigrated, migrate, openDataSource } from "../db/data-source";
import { seedBench, tableSizes } from "../seed/bench";
import { seedDemo } from "../seed/demo";
import { commandLogger, createLogger } from "../log";
import { startCourant } from "../main";
import { banner } from "./banner";
import type { ApiKeyRole } from "../auth/api-key.entity";
import { AuthService } from "../auth/auth.service";
import { runWordpressImport } from "../import/wordpress/wordpress.command";
import { documentsCommand } from "./documents.command";
import { searchCommand } from "./search.command";
import { examples } from "./help";

/** Invalid settings stop every command at start, one line per problem. */
function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      for (const line of err.problems) console.error(`courant: ${line}`);
      process.exit(2);
    }
    throw err;
  }
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number of at least 1");
  return n;
};

/** Every command's help ends with examples that between them use each of its options. */

const program = new Command("courant")
  .description("Courant: a GraphQL content gateway for news publishers")
  .showHelpAfterError()
  .addHelpText(
    "after",
    examples(
      "courant serve                                  # the API and playground on http://127.0.0.1:4000/graphql",
      "courant help seed                              # one command's options and examples",
      "DATABASE_URL=mysql://root@127.0.0.1:3306/news courant migrate",
      "",
      "Settings come from the environment (README: Configuration); each command checks them at start.",
    ),
  );

program
  .command("serve")
  .description("serve the GraphQL API (what `npm start` runs)")
  .addHelpText(
    "after",
    examples(
      "courant serve                                  # SQLite in ./data, created and filled with demo content",
      "PORT=8080 DATABASE_URL=mysql://courant:secret@db:3306/news courant serve",
      "LOG_FORMAT=json courant serve                  # JSON log lines even at a terminal (the default when piped)",
      "OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 courant serve   # send traces to an OpenTelemetry collector",
    ),
  )
  .action(async () => {
    const cfg = config();
    const log = createLogger(cfg);
    const courant = await startCourant(cfg, { log });
    courant.ready.then(
      () => {
        // A person at a terminal gets the essentials once; machines read the JSON "courant is serving" line.
        if (cfg.logFormat === "pretty") process.stdout.write(`${banner(cfg, courant.url, courant.content)}\n`);
      },
      (err: Error) => {
        console.error(`courant: ${err.message}`);
        process.exit(1);
      },
    );
    const stop = async (signal: string) => {
      log.info({ signal }, "shutting down");
      // Whatever happens, the process is gone within the shutdown budget.
      setTimeout(() => {
        log.error("shutdown took too long; exiting");
        process.exit(1);
      }, cfg.shutdownTimeoutMs).unref();
      await courant.close();
      log.info("stopped");
      process.exit(0);
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
  });

const elapsed = (since: number) => {
  const ms = Date.now() - since;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
};

/**
 * On a large database one migration can run for minutes: say on stderr which one is running and
 * how long each took (stdout keeps the one-line summary scripts read).
 */
async function migrateShowingProgress(ds: DataSource): Promise<string[]> {
  const pending = await new MigrationExecutor(ds).getPendingMigrations();
  pending.forEach((migration, i) => {
    const instance = migration.instance!;
    const up = instance.up.bind(instance);
    instance.up = async (queryRunner) => {
      process.stderr.write(`[${i + 1}/${pending.length}] ${migration.name} ... `);
      const started = Date.now();
      try {
        await up(queryRunner);
      } catch (err) {
        process.stderr.write(`failed after ${elapsed(started)}\n`);
        throw err;
      }
      process.stderr.write(`done in ${elapsed(started)}\n`);
    };
  });
  const started = Date.now();
  const ran = await migrate(ds);
  if (ran.length > 0) process.stderr.write(`migrations finished in ${elapsed(started)}\n`);
  return ran;
}

program
  .command("migrate")
  .description("apply pending migrations to DATABASE_URL")
  .addHelpText("after", examples("DATABASE_URL=mysql://root@127.0.0.1:3306/news courant migrate"))
  .action(async () => {
    const cfg = config();
    const ds = await openDataSource(cfg, commandLogger(), { uncapped: true });
    try {
      const ran = await migrateShowingProgress(ds);
      console.log(ran.length ? `applied ${ran.length} migration(s): ${ran.join(", ")}` : "no pending migrations");
    } finally {
      await ds.destroy();
    }
  });

program
  .command("seed")
  .description("load demo content (--demo) or a synthetic benchmark data set (--bench)")
  .option("--demo", "the demo publication (idempotent)")
  .option("--bench", "a deterministic synthetic data set for benchmarks")
  .option("--articles <n>", "articles in the bench data set", positiveInt, 100_000)
  .option("--seed <s>", "random seed of the bench data set", positiveInt, 1)
  .option("--languages <n>", "a multilingual archive: stories in up to n languages (max 24), with gaps", positiveInt)
  .option("--body-words <n>", "words in a translated body (default: as long as the original, about 600)", positiveInt)
  .option(
    "--disk-margin-gb <n>",
    "refuse to load when less than this would stay free on the database's disk",
    positiveInt,
    5,
  )
  .addHelpText(
    "after",
    examples(
      "courant seed --demo                            # the demo publication; run again to restore it",
      "courant seed --bench --articles 10000 --seed 7 # a synthetic data set for benchmarks",
      "courant seed --bench --articles 2400000 --languages 24 --body-words 120 # a 24-language archive",
      "courant seed --bench --articles 2400000 --languages 24 --disk-margin-gb 10 # keep 10 GB free",
    ),
  )
  .action(
    async (opts: {
      demo?: boolean;
      bench?: boolean;
      articles: number;
      seed: number;
      languages?: number;
      bodyWords?: number;
      diskMarginGb: number;
    }) => {
      if (!opts.demo === !opts.bench) {
        console.error("courant: seed needs exactly one of --demo or --bench");
        process.exit(2);
      }
      await withDatabase(async (ds) => {
        if (opts.demo) {
          const r = await seedDemo(ds);
          console.log(`demo content: ${r.articlesCreated} articles created, ${r.articlesUpdated} updated`);
          return;
        }
        const bar = new SingleBar(
          { format: "seeding |{bar}| {percentage}% {value}/{total} articles, ETA {eta_formatted}", etaBuffer: 50 },
          Presets.shades_classic,
        );
        let started = false;
        const started0 = Date.now();
        const r = await seedBench(ds, {
          articles: opts.articles,
          seed: opts.seed,
          languages: opts.languages,
          bodyWords: opts.bodyWords,
          diskMarginBytes: opts.diskMarginGb * 1e9,
          onProgress: (done, total) => {
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            bar.update(done);
          },
        });
        if (started) bar.stop();
        console.log(
          r.skipped
            ? `bench data already present (${r.articles} articles); nothing to do`
            : `bench data: ${r.articles} articles, ${r.sections} sections, ${r.authors} authors, ${r.tags} tags in ${((Date.now() - started0) / 1000).toFixed(1)} s` +
                (r.indexMs ? ` (indexes built after the rows: ${(r.indexMs / 1000).toFixed(1)} s of it)` : ""),
        );
        if (!r.skipped) {
          for (const t of await tableSizes(ds)) {
            if (t.dataBytes + t.indexBytes < 1e6) continue;
            console.log(
              `  ${t.table.padEnd(24)} ~${String(t.rows).padStart(10)} rows  data ${(t.dataBytes / 1e6).toFixed(0).padStart(7)} MB  indexes ${(t.indexBytes / 1e6).toFixed(0).padStart(7)} MB`,
            );
          }
        }
      });
    },
  );

/** Runs `fn` on a migrated database and closes it; command-line work is not held to the statement cap. */
async function withDatabase(fn: (ds: Awaited<ReturnType<typeof openDataSource>>) => Promise<void>): Promise<void> {
  const ds = await openDataSource(config(), commandLogger(), {
    uncapped: true,
  });
  try {
    await assertMigrated(ds);
    await fn(ds);
  } finally {
    await ds.destroy();
  }
}

const apiKey = program
  .command("api-key")
  .description("manage API keys for the editorial API")
  .addHelpText(
    "after",
    examples(
      'courant api-key create --name "news desk" --role editor',
      "courant api-key list",
      'courant api-key revoke "news desk"',
    ),
  );

apiKey
  .command("create")
  .description("create a key; the raw key is printed as the last line, once")
  .requiredOption("--name <name>", "a name to list and revoke it by")
  .requiredOption("--role <role>", "editor or admin")
  .addHelpText("after", examples('courant api-key create --name "news desk" --role editor'))
  .action(async (opts: { name: string; role: string }) => {
    if (opts.role !== "editor" && opts.role !== "admin") {
      console.error("courant: --role must be editor or admin");
      process.exit(2);
    }
    await withDatabase(async (ds) => {
      const key = await new AuthService(ds, () => new Date()).create(opts.name, opts.role as ApiKeyRole);
      console.log(`created ${opts.role} key "${opts.name}"; it is shown once and stored only as a hash:`);
      console.log(key);
    });
  });

apiKey
  .command("list")
  .description("list keys (names and roles; never the keys)")
  .addHelpText("after", examples("courant api-key list"))
  .action(async () => {
    await withDatabase(async (ds) => {
      for (const k of await new AuthService(ds, () => new Date()).list()) {
        console.log(
          `${k.name}\t${k.role}\tcreated ${k.createdAt.toISOString()}${k.revokedAt ? `\trevoked ${k.revokedAt.toISOString()}` : ""}`,
        );
      }
    });
  });

apiKey
  .command("revoke <name>")
  .description("revoke a key by name; it stops working at once")
  .addHelpText("after", examples('courant api-key revoke "news desk"'))
  .action(async (name: string) => {
    await withDatabase(async (ds) => {
      if (!(await new AuthService(ds, () => new Date()).revoke(name))) throw new Error(`no active key named ${name}`);
      console.log(`revoked "${name}"`);
    });
  });

program.addCommand(documentsCommand(config, withDatabase));
program.addCommand(searchCommand(config, withDatabase));

const isoDate = (value: string): Date => {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(d.getTime()))
    throw new InvalidArgumentError("must be a date such as 2024-01-31 or 2024-01-31T12:00:00Z");
  return d;
};

program
  .command("import")
  .description("import content from another system")
  .addHelpText("after", examples("courant import wordpress --from mysql://wp:secret@127.0.0.1:3306/wordpress"))
  .command("wordpress")
  .description("import (again: only what changed) posts, categories, tags and authors from WordPress")
  .option("--from <url>", "the WordPress database, mysql://user:pass@host:3306/db")
  .option("--from-file <path>", "a WordPress export (WXR) file, for when the database is out of reach")
  .option("--prefix <prefix>", "the WordPress table prefix", "wp_")
  .option("--since <date>", "only posts modified at or after this date", isoDate)
  .option("--watch <seconds>", "import again every N seconds until stopped", positiveInt)
  .addHelpText(
    "after",
    examples(
      "courant import wordpress --from mysql://wp:secret@127.0.0.1:3306/wordpress --prefix wp_",
      "courant import wordpress --from-file export.xml --since 2024-01-31",
      "courant import wordpress --from mysql://wp:secret@127.0.0.1:3306/wordpress --watch 300",
    ),
  )
  .action(async (opts: { from?: string; fromFile?: string; prefix: string; since?: Date; watch?: number }) => {
    if (!opts.from === !opts.fromFile) {
      console.error("courant: import wordpress needs exactly one of --from or --from-file");
      process.exit(2);
    }
    await runWordpressImport(config(), opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // One clear line, no stack: the operator needs the cause, not our call chain.
  console.error(`courant: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
