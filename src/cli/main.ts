import "reflect-metadata";
import { Command, InvalidArgumentError } from "commander";
import { SingleBar, Presets } from "cli-progress";
import { ConfigError, loadConfig, type Config } from "../config";
import { migrate, openDataSource } from "../db/data-source";
import { seedBench } from "../db/seed/bench";
import { seedDemo } from "../db/seed/demo";
import { createLogger } from "../log";
import { startCourant } from "../main";
import type { ApiKeyRole } from "../auth/api-key.entity";
import { AuthService } from "../auth/auth.service";

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

const program = new Command("courant")
  .description("Courant: a GraphQL content gateway for news publishers")
  .showHelpAfterError();

program
  .command("serve")
  .description("serve the GraphQL API (what `npm start` runs)")
  .action(async () => {
    const cfg = config();
    const log = createLogger(cfg);
    const courant = await startCourant(cfg, { log });
    const stop = async (signal: string) => {
      log.info({ signal }, "shutting down");
      await courant.close();
      process.exit(0);
    };
    process.once("SIGTERM", () => void stop("SIGTERM"));
    process.once("SIGINT", () => void stop("SIGINT"));
  });

program
  .command("migrate")
  .description("apply pending migrations to DATABASE_URL")
  .action(async () => {
    const cfg = config();
    const ds = await openDataSource(cfg, createLogger({ logLevel: "warn" }));
    try {
      const ran = await migrate(ds);
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
  .action(async (opts: { demo?: boolean; bench?: boolean; articles: number; seed: number }) => {
    if (!opts.demo === !opts.bench) {
      console.error("courant: seed needs exactly one of --demo or --bench");
      process.exit(2);
    }
    const cfg = config();
    const ds = await openDataSource(cfg, createLogger({ logLevel: "warn" }));
    try {
      if (await ds.showMigrations()) {
        console.error("courant: the database has pending migrations: run `npx courant migrate` first");
        process.exitCode = 1;
        return;
      }
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
          : `bench data: ${r.articles} articles, ${r.sections} sections, ${r.authors} authors, ${r.tags} tags in ${((Date.now() - started0) / 1000).toFixed(1)} s`,
      );
    } finally {
      await ds.destroy();
    }
  });

/** Runs `fn` on a migrated database and closes it. */
async function withDatabase(fn: (ds: Awaited<ReturnType<typeof openDataSource>>) => Promise<void>): Promise<void> {
  const ds = await openDataSource(config(), createLogger({ logLevel: "warn" }));
  try {
    if (await ds.showMigrations())
      throw new Error("the database has pending migrations: run `npx courant migrate` first");
    await fn(ds);
  } finally {
    await ds.destroy();
  }
}

const apiKey = program.command("api-key").description("manage API keys for the editorial API");

apiKey
  .command("create")
  .description("create a key; the raw key is printed as the last line, once")
  .requiredOption("--name <name>", "a name to list and revoke it by")
  .requiredOption("--role <role>", "editor or admin")
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
  .action(async (name: string) => {
    await withDatabase(async (ds) => {
      if (!(await new AuthService(ds, () => new Date()).revoke(name))) throw new Error(`no active key named ${name}`);
      console.log(`revoked "${name}"`);
    });
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // One clear line, no stack: the operator needs the cause, not our call chain.
  console.error(`courant: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
