import "reflect-metadata";
import type { Logger } from "pino";
import type { Config } from "./config";
import { migrate, openDataSource } from "./db/data-source";
import { isEmpty, seedDemo } from "./db/seed/demo";
import { Db } from "./db/sql";
import { createServices, type AppDeps } from "./graphql/context";
import { startHttpServer, type HttpServer } from "./http/app";
import { ContentEvents } from "./events";
import { createLogger } from "./log";
import { loadSiteSettings } from "./site/site.settings";

export interface Courant extends HttpServer {
  deps: AppDeps;
}

export interface StartOptions {
  log?: Logger;
  clock?: () => Date;
}

/** Start-up only: config → database → schema → listen. */
export async function startCourant(config: Config, options: StartOptions = {}): Promise<Courant> {
  const log = options.log ?? createLogger(config);
  const site = loadSiteSettings(config);
  const dataSource = await openDataSource(config, log);
  try {
    if (config.migrateOnStart) {
      // The embedded default runs itself: created, migrated and filled on first start.
      const ran = await migrate(dataSource);
      if (ran.length > 0) log.info({ migrations: ran }, "applied migrations");
    } else if (await dataSource.showMigrations()) {
      throw new Error("the database has pending migrations: run `npx courant migrate` first");
    }
    if (config.seedDemoOnStart && (await isEmpty(dataSource))) {
      const seeded = await seedDemo(dataSource);
      log.info(seeded, "loaded the demo content into an empty database");
    }
  } catch (err) {
    await dataSource.destroy();
    throw err;
  }
  const db = new Db(dataSource);
  const clock = options.clock ?? (() => new Date());
  const events = new ContentEvents();
  const deps: AppDeps = {
    config,
    site,
    db,
    services: createServices(db, { config, site, clock, events }),
    log,
    clock,
    events,
  };
  const http = await startHttpServer(deps, config.port, config.host);
  log.info({ url: `${http.url}/graphql`, database: config.database.kind }, "courant is serving");
  return {
    ...http,
    deps,
    close: async () => {
      await http.close();
      await dataSource.destroy();
    },
  };
}
