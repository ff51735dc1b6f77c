import "reflect-metadata";
import type http from "node:http";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import type { Config } from "./config";
import { assertMigrated, migrate, openDataSource } from "./db/data-source";
import { isEmpty, seedDemo } from "./seed/demo";
import { Db } from "./db/sql";
import { createServices, type AppDeps } from "./graphql/context";
import { createHttpApp } from "./http/app";
import { startShell } from "./http/shell";
import { attachSubscriptions } from "./http/subscriptions";
import type { Lifecycle } from "./lifecycle";
import { fastBeacon } from "./http/beacon";
import { RateLimits } from "./rate-limit";
import { ArticleScheduler } from "./article/article.scheduler";
import { EventTail } from "./events/event-tail";
import { searchEngineFor } from "./search/engine/search-engine";
import { EventRetention } from "./events/retention";
import { WebhookWorker } from "./webhooks/webhook.worker";
import { CdnPurger, purgeAdapter } from "./cache/cdn-purge";
import { ResponseCache } from "./cache/response-cache";
import { trackDatabasePool, trackResponseCache } from "./metrics/metrics";
import { poolStats } from "./db/data-source";
import { connectRedis } from "./redis";
import { ContentEvents } from "./events";
import { createLogger } from "./log";
import { loadSiteSettings } from "./site/site.settings";
import { startTracing } from "./tracing";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-node";

export interface Courant {
  server: http.Server;
  url: string;
  /** Resolves once the database is connected and the API serves; rejects on a fatal start-up error. */
  ready: Promise<void>;
  /** The running app's dependencies; only once `ready` has resolved. */
  readonly deps: AppDeps;
  lifecycle: Lifecycle;
  /** What the database held at start, for the first-run banner; once `ready` has resolved. */
  content?: StartupContent;
  /** Graceful stop: readiness turns 503 at once, in-flight requests finish, buffers flush, connections close. */
  close(): Promise<void>;
}

export interface StartOptions {
  log?: Logger;
  clock?: () => Date;
  /** Trace to these span processors too (tests: an in-memory exporter), even without an OTLP endpoint. */
  spanProcessors?: SpanProcessor[];
}

export interface StartupContent {
  /** Articles the demo seed created on this start (0: none; the database held content or seeding is off). */
  demoArticlesLoaded: number;
  articles: number;
}

/** Connection failures are retried with backoff; anything else during preparation is fatal. */
async function connect(
  config: Config,
  log: Logger,
  lifecycle: Lifecycle,
  stopped: () => boolean,
  uncapped = true,
): Promise<DataSource> {
  for (let attempt = 1, delay = 250; ; attempt++, delay = Math.min(delay * 2, 5000)) {
    try {
      // Preparation (migrations, seeding) may run long; serving connections are capped.
      return await openDataSource(config, log, { uncapped });
    } catch (err) {
      if (stopped()) throw err;
      lifecycle.reason = "database unreachable";
      log.warn({ attempt, retryInMs: delay, err: (err as Error).message }, "database unreachable; retrying");
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

async function prepare(config: Config, dataSource: DataSource, log: Logger): Promise<number> {
  if (config.migrateOnStart) {
    // The embedded default runs itself: created, migrated and filled on first start.
    const ran = await migrate(dataSource);
    if (ran.length > 0) log.info({ migrations: ran }, "applied migrations");
  } else {
    await assertMigrated(dataSource);
  }
  if (config.seedDemoOnStart && (await isEmpty(dataSource))) {
    const seeded = await seedDemo(dataSource);
    log.info(seeded, "loaded the demo content into an empty database");
    return seeded.articlesCreated;
  }
  return 0;
}

/**
 * Start-up only: config → listen → database → schema. The port answers at once (health,
 * and 503 for everything else) so orchestrators see a live process while the database
 * is still coming up.
 */
export async function startCourant(config: Config, options: StartOptions = {}): Promise<Courant> {
  const log = options.log ?? createLogger(config);
  const site = loadSiteSettings(config);
  const lifecycle: Lifecycle = { ready: false, shuttingDown: false, reason: "starting" };
  const tracing = await startTracing(config, options.spanProcessors, log);
  const shell = startShell(lifecycle);
  await new Promise<void>((resolve, reject) => {
    shell.server.once("error", reject);
    shell.server.listen(config.port, config.host, () => resolve());
  });
  const address = shell.server.address();
  const port = typeof address === "object" && address ? address.port : config.port;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;

  let deps: AppDeps | undefined;
  let dataSource: DataSource | undefined;
  let stopApp: (() => Promise<void>) | undefined;
  let subscriptions: { close(): Promise<void> } | undefined;
  const shutdownHooks: Array<() => Promise<void>> = [];
  let content: StartupContent | undefined;
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, log) : undefined;

  const ready = (async () => {
    dataSource = await connect(config, log, lifecycle, () => lifecycle.shuttingDown, true);
    try {
      const demoArticlesLoaded = await prepare(config, dataSource, log);
      const [{ n }] = await dataSource.query("SELECT COUNT(*) AS n FROM articles WHERE deleted_at IS NULL");
      content = { demoArticlesLoaded, articles: Number(n) };
    } finally {
      await dataSource.destroy();
    }
    dataSource = await connect(config, log, lifecycle, () => lifecycle.shuttingDown, false);
    const db = new Db(dataSource);
    const clock = options.clock ?? (() => new Date());
    const events = new ContentEvents();
    const rateLimits = new RateLimits(config, redis);
    // Search in an engine outside the database, fed from the content event stream (see SearchFeeder).
    const searchEngine = config.search.engineUrl
      ? searchEngineFor(config.search.engineUrl, db, log, config.search.engineRetryMs)
      : undefined;
    if (searchEngine) {
      // A stopped feeder lets the event tail deliver without it, so this may run before the tail stops.
      shutdownHooks.push(async () => {
        await searchEngine.feeder.stop();
        await searchEngine.client.close();
      });
      await searchEngine.feeder.start();
    }
    deps = {
      config,
      site,
      db,
      services: createServices(db, { config, site, clock, events, rateLimits, log, searchEngine }),
      log,
      clock,
      events,
      lifecycle,
      shutdownHooks,
      rateLimits,
      redis,
      responseCache: config.cache.responseCache ? new ResponseCache(config.cache, events, log) : undefined,
      ...(searchEngine ? { searchEngine } : {}),
    };
    // The content event stream feeds this instance's bus (caches, purges); the scheduler turns
    // scheduled moments into events. Both stop before the database closes.
    const tail = new EventTail(dataSource, events, log, {
      pollMs: config.cache.eventsPollMs,
      redis,
      ...(searchEngine ? { beforeDelivery: searchEngine.feeder.beforeDelivery } : {}),
    });
    await tail.start();
    const scheduler = new ArticleScheduler(
      dataSource,
      clock,
      events,
      log,
      Math.max(20, Math.floor(config.cache.eventsPollMs / 2)),
    );
    scheduler.start();
    shutdownHooks.push(async () => {
      tail.stop();
      await scheduler.stop();
    });
    const retention = new EventRetention(dataSource, log, config.cache.eventsKeepDays, clock);
    retention.start();
    shutdownHooks.push(async () => retention.stop());
    // Webhook deliveries, from any instance (claimed in the database).
    const webhooks = new WebhookWorker(dataSource, config, events, log, config.cache.eventsPollMs);
    webhooks.start();
    shutdownHooks.push(() => webhooks.stop());
    if (config.cache.purge) {
      const purger = new CdnPurger(events, purgeAdapter(config.cache.purge), log, {
        timeoutMs: config.cache.purge.timeoutMs,
        repeatMs: config.cache.purge.repeatMs,
      });
      shutdownHooks.push(() => purger.stop());
    }
    // Trending views are buffered in memory: flushed on a timer and, at shutdown, before the database closes.
    const trending = deps.services.trending;
    await trending.start();
    shutdownHooks.push(() => trending.close());
    const cache = deps.responseCache;
    if (cache)
      trackResponseCache(() => ({
        hits: cache.hits,
        misses: cache.misses,
        size: cache.size,
        evictions: cache.evictions,
      }));
    trackDatabasePool(() => poolStats(db.dataSource));
    const app = await createHttpApp(deps);
    stopApp = app.stop;
    const beacon = fastBeacon(deps, 100 * 1024);
    shell.serve(app.handler, (req, res) => beacon(req, res) || app.fast(req, res));
    // GraphQL subscriptions (graphql-ws) on the same port and path.
    if (config.subscriptions.enabled) subscriptions = attachSubscriptions(shell.server, deps, app.addressOf, app.judge);
    lifecycle.ready = true;
    lifecycle.reason = "";
    log.info({ url: `${url}/graphql`, database: config.database.kind }, "courant is serving");
  })();
  // The caller decides what a failed start means; an unobserved one must not crash the process.
  ready.catch(() => undefined);

  return {
    server: shell.server,
    url,
    ready,
    lifecycle,
    get content() {
      return content;
    },
    get deps(): AppDeps {
      if (!deps) throw new Error("courant is not ready yet");
      return deps;
    },
    async close() {
      lifecycle.shuttingDown = true;
      lifecycle.ready = false;
      lifecycle.reason = "shutting down";
      // Readiness is 503 from here; subscribers are told we go away (1001) and reconnect elsewhere.
      if (subscriptions) await subscriptions.close();
      // Stops accepting, lets requests in flight finish, then closes the connections.
      await shell.drain(Math.max(500, config.shutdownTimeoutMs - 2000));
      if (stopApp) await stopApp();
      for (const hook of shutdownHooks) await hook();
      if (dataSource?.isInitialized) await dataSource.destroy();
      redis?.disconnect();
      // Spans still buffered are sent before the process goes.
      await tracing?.shutdown();
    },
  };
}
