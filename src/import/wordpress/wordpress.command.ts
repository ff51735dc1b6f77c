import { setTimeout as sleep } from "node:timers/promises";
import { Presets, SingleBar } from "cli-progress";
import type { DataSource } from "typeorm";
import type { Config } from "../../config";
import { migrate, openDataSource, PENDING_MIGRATIONS } from "../../db/data-source";
import { commandLogger } from "../../log";
import { importWordpress, type WordpressImportSummary } from "./wordpress.importer";
import { ImportError, type WordpressReader } from "./wordpress.model";
import { openMysqlReader } from "./wordpress.mysql";
import { readWxrFile } from "./wordpress.wxr";

export interface WordpressCommandOptions {
  from?: string;
  fromFile?: string;
  prefix: string;
  since?: Date;
  /** Seconds between runs; absent: run once. */
  watch?: number;
}

function openReader(opts: WordpressCommandOptions): Promise<WordpressReader> {
  return opts.from ? openMysqlReader(opts.from, opts.prefix) : readWxrFile(opts.fromFile!);
}

async function runOnce(
  ds: DataSource,
  cfg: Config,
  opts: WordpressCommandOptions,
  signal: AbortSignal,
): Promise<WordpressImportSummary> {
  const reader = await openReader(opts);
  // Drawn on stderr, and only on a terminal: stdout keeps the summary alone for scripts.
  const bar = new SingleBar(
    { format: "importing |{bar}| {percentage}% {value}/{total} posts, ETA {eta_formatted}", stream: process.stderr },
    Presets.shades_classic,
  );
  let started = false;
  try {
    return await importWordpress(ds, reader, {
      languages: cfg.site.languages,
      defaultLanguage: cfg.site.defaultLanguage,
      since: opts.since,
      signal,
      onProgress: (done, total) => {
        if (!started && total > 0) {
          bar.start(total, 0);
          started = true;
        }
        if (started) bar.update(done);
      },
    });
  } finally {
    if (started) bar.stop();
    await reader.close();
  }
}

export function formatSummary(s: WordpressImportSummary): string {
  const c = (x: { imported: number; updated: number }) => `${x.imported} imported, ${x.updated} updated`;
  const lines = [
    `imported from ${s.source}${s.stopped ? " (stopped before the end)" : ""}`,
    `  posts: ${c(s.posts)}, ${s.posts.unchanged} unchanged, ${s.posts.deleted} deleted, ${s.posts.skipped} skipped`,
    `  sections: ${c(s.sections)}; tags: ${c(s.tags)}; authors: ${c(s.authors)}`,
  ];
  for (const k of s.skipped) lines.push(`  skipped post ${k.id} "${k.title}": ${k.reason}`);
  return lines.join("\n");
}

/**
 * `courant import wordpress`: one run, or with --watch a run every N seconds until SIGINT or
 * SIGTERM. Bad input (unreachable database, wrong prefix, malformed export) throws an
 * ImportError whose message is the one line the operator sees.
 */
export async function runWordpressImport(cfg: Config, opts: WordpressCommandOptions): Promise<void> {
  const ds = await openDataSource(cfg, commandLogger(), { uncapped: true });
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    if (cfg.migrateOnStart) await migrate(ds);
    else if (await ds.showMigrations()) throw new ImportError(PENDING_MIGRATIONS);
    let first = true;
    while (!stop.signal.aborted) {
      try {
        console.log(formatSummary(await runOnce(ds, cfg, opts, stop.signal)));
      } catch (err) {
        // The first run proves the settings; later runs ride out a source that is briefly away.
        if (first || !(err instanceof ImportError)) throw err;
        console.error(`courant: ${err.message}`);
      }
      first = false;
      if (!opts.watch) break;
      await sleep(opts.watch * 1000, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await ds.destroy();
  }
}
