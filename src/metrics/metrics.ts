import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** What GET /metrics serves, in the Prometheus text format. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: "courant_" });

export const viewsAccepted = new Counter({
  name: "courant_views_accepted_total",
  help: "Article views counted for trending.",
  registers: [registry],
});

export const viewsDropped = new Counter({
  name: "courant_views_dropped_total",
  help: "Article views not counted, by reason: rate_limited, duplicate_view_id, repeat_view, not_public, invalid, buffer_full.",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const viewsFlushed = new Counter({
  name: "courant_views_flushed_total",
  help: "Article views written to the database.",
  registers: [registry],
});

export const viewFlushFailures = new Counter({
  name: "courant_view_flush_failures_total",
  help: "Failed writes of buffered views (they stay buffered and are retried).",
  registers: [registry],
});

export const viewBucketsPruned = new Counter({
  name: "courant_view_buckets_pruned_total",
  help: "View bucket rows deleted for being older than the retention time.",
  registers: [registry],
});

export const trendingRankings = new Counter({
  name: "courant_trending_rankings_total",
  help: "Trending lists asked for, by whether the in-memory cache answered (hit) or the database did (miss).",
  labelNames: ["cache"] as const,
  registers: [registry],
});

export const trendingRankingStatements = new Counter({
  name: "courant_trending_ranking_statements_total",
  help: "SQL statements sent to rank trending articles.",
  registers: [registry],
});

/** What a view buffer reports; every live buffer in the process adds to the gauges. */
export interface ViewBufferStats {
  rows: number;
  views: number;
  /** Seconds since the oldest view that is not yet written; 0 when none is waiting. */
  lagSeconds: number;
}

const buffers = new Set<() => ViewBufferStats>();

/** Registers a buffer's stats for the gauges; returns the function that unregisters it. */
export function trackViewBuffer(stats: () => ViewBufferStats): () => void {
  buffers.add(stats);
  return () => buffers.delete(stats);
}

const sum = (pick: (s: ViewBufferStats) => number) => [...buffers].reduce((total, stats) => total + pick(stats()), 0);

new Gauge({
  name: "courant_view_buffer_rows",
  help: "(bucket, article) rows waiting in memory to be written.",
  registers: [registry],
  collect() {
    this.set(sum((s) => s.rows));
  },
});

new Gauge({
  name: "courant_view_buffer_views",
  help: "Views waiting in memory to be written.",
  registers: [registry],
  collect() {
    this.set(sum((s) => s.views));
  },
});

new Gauge({
  name: "courant_view_buffer_lag_seconds",
  help: "Age of the oldest view waiting in memory to be written.",
  registers: [registry],
  collect() {
    this.set([...buffers].reduce((max, stats) => Math.max(max, stats().lagSeconds), 0));
  },
});

export const graphqlRequests = new Counter({
  name: "courant_graphql_requests_total",
  help: "GraphQL operations, by operation name and outcome (ok or error).",
  labelNames: ["operation", "outcome"] as const,
  registers: [registry],
});

export const graphqlDuration = new Histogram({
  name: "courant_graphql_request_duration_seconds",
  help: "Time to answer a GraphQL operation, by operation name.",
  labelNames: ["operation"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const graphqlErrors = new Counter({
  name: "courant_graphql_errors_total",
  help: "Errors returned to clients, by extensions.code.",
  labelNames: ["code"] as const,
  registers: [registry],
});

/** What the response cache and the database pool report; set by the running gateway. */
const probes: {
  cache?: () => { hits: number; misses: number; size: number; evictions: number };
  pool?: () => { total: number; idle: number; waiting: number };
} = {};

export function trackResponseCache(
  stats: () => { hits: number; misses: number; size: number; evictions: number },
): void {
  probes.cache = stats;
}

export function trackDatabasePool(stats: () => { total: number; idle: number; waiting: number }): void {
  probes.pool = stats;
}

new Gauge({
  name: "courant_response_cache_requests",
  help: "Response cache lookups since start, by result (hit or miss).",
  labelNames: ["result"] as const,
  registers: [registry],
  collect() {
    const s = probes.cache?.();
    this.set({ result: "hit" }, s?.hits ?? 0);
    this.set({ result: "miss" }, s?.misses ?? 0);
  },
});

new Gauge({
  name: "courant_response_cache_entries",
  help: "Responses held in the cache.",
  registers: [registry],
  collect() {
    this.set(probes.cache?.().size ?? 0);
  },
});

new Gauge({
  name: "courant_response_cache_evictions",
  help: "Responses evicted by editorial writes since start.",
  registers: [registry],
  collect() {
    this.set(probes.cache?.().evictions ?? 0);
  },
});

new Gauge({
  name: "courant_db_pool_connections",
  help: "Database pool connections, by state (total, idle) and requests waiting for one (MySQL).",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const s = probes.pool?.();
    if (!s) return;
    this.set({ state: "total" }, s.total);
    this.set({ state: "idle" }, s.idle);
    this.set({ state: "waiting" }, s.waiting);
  },
});

export const transactionRetries = new Counter({
  name: "courant_transaction_retries_total",
  help: "Write transactions run again because the database asked for it, by reason: deadlock, lock_wait_timeout, busy, race (a unique row another transaction stored first).",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const transactionsAbandoned = new Counter({
  name: "courant_transactions_abandoned_total",
  help: "Write transactions given up after every retry (answered SERVICE_UNAVAILABLE), by reason.",
  labelNames: ["reason"] as const,
  registers: [registry],
});

export const eventsDelivered = new Counter({
  name: "courant_content_events_delivered_total",
  help: "Content events read from the stream and handed to this instance's caches and listeners.",
  registers: [registry],
});

export const eventTailFailures = new Counter({
  name: "courant_content_event_read_failures_total",
  help: "Failed reads of the content event stream (retried at the next poll).",
  registers: [registry],
});

export const searchEngineFailures = new Counter({
  name: "courant_search_engine_failures_total",
  help: "Failed calls to the search engine (searches fall back to the database; indexing catches up).",
  registers: [registry],
});

export const searchDocumentsIndexed = new Counter({
  name: "courant_search_documents_indexed_total",
  help: "Articles written to or removed from the search engine's index.",
  registers: [registry],
});

export const searchesByEngine = new Counter({
  name: "courant_searches_total",
  help: "Searches answered, by what answered them (engine or database).",
  labelNames: ["by"],
  registers: [registry],
});

export const momentsEmitted = new Counter({
  name: "courant_scheduled_moments_total",
  help: "Scheduled moments (publish, unpublish) that arrived and were emitted as events by this instance.",
  labelNames: ["kind"] as const,
  registers: [registry],
});

export const cdnPurgeRequests = new Counter({
  name: "courant_cdn_purge_requests_total",
  help: "Purge requests sent to the CDN, by outcome (ok, failed: retried with backoff).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

export const cdnPurgeKeys = new Counter({
  name: "courant_cdn_purge_keys_total",
  help: "Surrogate keys the CDN accepted purges of.",
  registers: [registry],
});

export const cdnPurgePending = new Gauge({
  name: "courant_cdn_purge_pending_keys",
  help: "Surrogate keys waiting to be purged (a CDN that is away makes this grow).",
  registers: [registry],
});

export const webhookDeliveries = new Counter({
  name: "courant_webhook_deliveries_total",
  help: "Webhook delivery attempts, by outcome: delivered, retrying, failed (gave up), refused (unsafe target).",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

/** What the oldest pending webhook delivery's age is, read when /metrics is scraped. */
export const webhookProbe: { oldestPendingSeconds?: () => Promise<number> } = {};

new Gauge({
  name: "courant_webhook_oldest_pending_seconds",
  help: "Age of the oldest webhook delivery not yet delivered nor given up (0: none).",
  registers: [registry],
  async collect() {
    const read = webhookProbe.oldestPendingSeconds;
    this.set(read ? await read().catch(() => 0) : 0);
  },
});

export const subscriptionSockets = new Gauge({
  name: "courant_subscription_sockets",
  help: "Open GraphQL subscription WebSockets.",
  registers: [registry],
});
/** What the live feed reports; set by the running gateway. */
export const liveFeedProbe: { subscribers?: () => number } = {};

new Gauge({
  name: "courant_subscriptions",
  help: "GraphQL subscriptions this instance is feeding (liveBlogUpdated, articlePublished).",
  registers: [registry],
  collect() {
    this.set(liveFeedProbe.subscribers?.() ?? 0);
  },
});
export const untrustedOperations = new Counter({
  name: "courant_untrusted_operations_total",
  help: "Operations whose document is not a trusted one (`courant documents add`), by mode (audit, enforce), outcome (served, refused), client (apollographql-client-name) and operation name; at most 100 distinct clients and operations each, the rest as (other).",
  labelNames: ["mode", "outcome", "client", "operation"] as const,
  registers: [registry],
});

/** What the trusted document store reports; set by the running gateway. */
export const trustedDocumentsProbe: { loaded?: () => number; invalid?: () => number } = {};

new Gauge({
  name: "courant_trusted_documents",
  help: "Trusted documents known to this instance, by state: loaded, invalid (no longer validate against the schema; checked at start).",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    this.set({ state: "loaded" }, trustedDocumentsProbe.loaded?.() ?? 0);
    this.set({ state: "invalid" }, trustedDocumentsProbe.invalid?.() ?? 0);
  },
});
export const rateLimited = new Counter({
  name: "courant_rate_limited_total",
  help: "Requests refused for going over a rate limit (429 RATE_LIMITED), by budget: queries, keyQueries, beacons, newsletter.",
  labelNames: ["budget"] as const,
  registers: [registry],
});
