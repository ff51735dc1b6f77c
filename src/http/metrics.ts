import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";

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
