import path from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { Presets, SingleBar } from "cli-progress";
import type { DataSource } from "typeorm";
import type { Config } from "../config";
import { Db } from "../db/sql";
import { commandLogger } from "../log";
import { SearchFeeder } from "../search/engine/search-feeder";
import { SphinxEngine, sphinxConfig } from "../search/engine/sphinx";
import { examples } from "./help";

type WithDatabase = (fn: (ds: DataSource) => Promise<void>) => Promise<void>;

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError("must be a port number");
  return n;
};

const megabytes = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 16 || n > 65536)
    throw new InvalidArgumentError("must be a whole number from 16 to 65536");
  return n;
};

/** `courant search config|rebuild`: the search engine outside the database (SEARCH_ENGINE_URL). */
export function searchCommand(config: () => Config, withDatabase: WithDatabase): Command {
  const search = new Command("search")
    .description("the search engine outside the database (Sphinx or Manticore, SEARCH_ENGINE_URL)")
    .addHelpText(
      "after",
      examples(
        "courant search config --dir /var/lib/courant-search --port 9306 > sphinx.conf && searchd --config sphinx.conf",
        "SEARCH_ENGINE_URL=sphinx://127.0.0.1:9306 courant search rebuild",
      ),
    );

  search
    .command("config")
    .description("print a searchd configuration holding Courant's indexes")
    .requiredOption("--dir <path>", "where searchd keeps the indexes, its log and pid file")
    .option("--port <port>", "the SphinxQL port", port, 9306)
    .option("--memory-mb <mb>", "RAM the articles index may use before it writes to disk", megabytes, 256)
    .addHelpText("after", examples("courant search config --dir /var/lib/courant-search --port 9306 --memory-mb 512"))
    .action((opts: { dir: string; port: number; memoryMb: number }) => {
      process.stdout.write(sphinxConfig({ dir: path.resolve(opts.dir), port: opts.port, memLimitMb: opts.memoryMb }));
    });

  search
    .command("rebuild")
    .description("fill the engine from the articles table (empties it first); gateways keep it current after")
    .addHelpText("after", examples("SEARCH_ENGINE_URL=sphinx://127.0.0.1:9306 courant search rebuild"))
    .action(async () => {
      const cfg = config();
      if (!cfg.search.engineUrl) throw new Error("search rebuild needs SEARCH_ENGINE_URL");
      const engine = new SphinxEngine(cfg.search.engineUrl);
      try {
        await withDatabase(async (ds) => {
          const feeder = new SearchFeeder(new Db(ds), engine, commandLogger());
          const bar = new SingleBar(
            { format: "indexing |{bar}| {percentage}% {value}/{total} articles, ETA {eta_formatted}", etaBuffer: 50 },
            Presets.shades_classic,
          );
          const started = Date.now();
          let shown = false;
          // An operator's rebuild takes the fill over from any instance filling it.
          await engine.claimFill(Date.now(), 0);
          try {
            await feeder.rebuild((done, total) => {
              if (!process.stderr.isTTY) return;
              if (!shown) bar.start(total, 0);
              shown = true;
              bar.update(done);
            });
          } finally {
            await engine.releaseFill();
          }
          if (shown) bar.stop();
          console.log(`indexed ${await engine.size()} articles in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        });
      } finally {
        await engine.close();
      }
    });
  return search;
}
