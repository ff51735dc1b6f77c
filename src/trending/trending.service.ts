import { PAGE_SIZES } from "../graphql/pagination";
import type { Logger } from "pino";
import { inTransaction } from "../db/transaction";
import { LRUCache } from "lru-cache";
import type { TrendingConfig } from "../config";
import { visibleArticles, type ArticleScope } from "../article/article.visibility";
import type { ContentEvents } from "../events";
import { Db, joinSql, readDate, sql, sqlDate, type Sql } from "../db/sql";
import { trendingRankingStatements, trendingRankings, viewBucketsPruned } from "../metrics/metrics";
import { ViewBuffer, type BucketViews } from "./trending.buffer";
import { ViewRecorder } from "./trending.recorder";
import type { TrendingWindow } from "./trending.type";

/** "HOUR" | "DAY" | "WEEK". */
export type TrendingWindowName = `${TrendingWindow}`;

export const WINDOW_MS: Record<TrendingWindowName, number> = {
  HOUR: 60 * 60_000,
  DAY: 24 * 60 * 60_000,
  WEEK: 7 * 24 * 60 * 60_000,
};
const WINDOWS = Object.keys(WINDOW_MS) as TrendingWindowName[];
const KEY_COLUMN: Record<TrendingWindowName, string> = { HOUR: "hour_key", DAY: "day_key", WEEK: "week_key" };

/**
 * Ranked articles past a page's size that are loaded too, so a list stays full when a few of its
 * articles stopped being public while the ranking sat in the cache.
 */
export const SPARE_CANDIDATES = 10;
/** Ranked articles kept per list: the largest page plus the spares. */
export const RANKED_PER_LIST = PAGE_SIZES.trending.max + SPARE_CANDIDATES;
/** Candidates read per ranking round; each further round reads twice as many, six doublings at most. */
const FIRST_ROUND = 100;
const MAX_ROUND = FIRST_ROUND * 2 ** 6;
/** Rounding slack when comparing an exact score with a bound computed another way. */
const BOUND_SLACK = 1e-9;
/** The score key of a window without views (finite, so the log-sum upsert stays arithmetic). */
const NO_VIEWS_KEY = -1e18;
const ROWS_PER_STATEMENT = 1000;
const PRUNE_BATCH = 5000;
const PRUNE_MAX_BATCHES = 100;
const PRUNE_EVERY_MS = 5 * 60_000;
const DAY_MS = 24 * 60 * 60_000;
const HALF_LIVES_STATE = "score_half_lives";
/** Articles per statement when the score keys are rebuilt. */
const REBUILD_SLICE = 2000;

export interface RankingKey {
  window: TrendingWindowName;
  /** A section and its children; absent: every section. */
  sectionIds?: number[];
  language?: string;
}

export interface RankedArticle {
  articleId: number;
  score: number;
  views: number;
}

export interface Ranking {
  generatedAt: Date;
  /** Best first, at most RANKED_PER_LIST. */
  items: RankedArticle[];
}

interface Candidate extends RankedArticle {
  publishedAt: number;
}

interface RoundRow {
  bound: number;
  articleId: number;
  /** Null when the article has no views inside the window. */
  candidate: Candidate | null;
}

interface RoundState {
  key: RankingKey;
  best: Candidate[];
  after?: { bound: number; articleId: number };
  size: number;
  done: boolean;
}

export const cacheKeyOf = (key: RankingKey): string =>
  `${key.window}|${key.sectionIds ? [...key.sectionIds].sort((a, b) => a - b).join(",") : "*"}|${key.language ?? "*"}`;

const byRank = (x: Candidate, y: Candidate): number =>
  y.score - x.score || y.publishedAt - x.publishedAt || y.articleId - x.articleId;

/** log2(Σ 2^term), without overflow. */
function log2SumExp2(terms: number[]): number {
  const max = Math.max(...terms);
  return max + Math.log2(terms.reduce((sum, t) => sum + 2 ** (t - max), 0));
}

/**
 * Trending: writes buffered views, ranks articles by decayed views per window, and prunes old
 * buckets.
 *
 * A window's score is Σ views × 2^(-age / half-life) over its 5-minute buckets. Summing every
 * bucket of a day or a week for every article viewed in it would read hundreds of thousands of
 * rows per ranking; instead each article keeps, per window, key = log2(Σ views × 2^(t / half-life))
 * over all its views (trending_scores, updated with the buckets in one transaction). 2^(key - now /
 * half-life) bounds the article's window score from above, so a ranking reads articles in key
 * order, computes the exact window sums of those candidates from their buckets, and stops as
 * soon as the list is full and no unread article's bound can beat its last entry (the threshold
 * algorithm). The result is exact; the cost grows with the list length, not with the traffic.
 */
export class TrendingService {
  readonly views: ViewRecorder;
  private readonly buffer: ViewBuffer;
  private readonly halfLifeSeconds: Record<TrendingWindowName, number>;
  private readonly cache = new LRUCache<string, { ranking: Promise<Ranking>; expiresAt: number }>({ max: 2000 });
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly db: Db,
    private readonly settings: TrendingConfig,
    private readonly clock: () => Date,
    private readonly log: Logger,
    events?: ContentEvents,
  ) {
    const m = settings.halfLifeMinutes;
    this.halfLifeSeconds = { HOUR: m.HOUR * 60, DAY: m.DAY * 60, WEEK: m.WEEK * 60 };
    this.buffer = new ViewBuffer((rows) => this.writeViews(rows), clock, log, settings.flushIntervalMs);
    this.views = new ViewRecorder(this.buffer, (ids) => this.publicIds(ids), clock, {
      ratePerMinute: settings.viewRatePerMinute,
      dedupeMinutes: settings.viewDedupeMinutes,
    });
    // An unpublished or deleted article stops counting views at once, not when its check expires.
    events?.onChange((change) => this.views.forget(change.articleIds));
  }

  /** Rebuilds the score keys if the half-lives changed, then starts the flush and prune timers. */
  async start(): Promise<void> {
    await this.ensureScoreKeys();
    this.buffer.start();
    const prune = () =>
      void this.prune().catch((err: unknown) => this.log.warn({ err }, "pruning old view buckets failed"));
    this.timers.push(setInterval(prune, PRUNE_EVERY_MS).unref(), setTimeout(prune, 1000).unref());
  }

  /** Writes what is buffered. Called on shutdown, before the database closes. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    await this.buffer.close();
  }

  /** Writes the buffered views now (tests and benchmarks; the timer does it otherwise). */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  // ---------------------------------------------------------------------------------------
  // Ranking
  // ---------------------------------------------------------------------------------------

  /**
   * Rankings for many lists, cached for `cacheSeconds`; lists not cached are ranked together,
   * two statements per round (usually one round). Concurrent requests for a list being ranked
   * share that work.
   */
  async rankings(keys: readonly RankingKey[]): Promise<Ranking[]> {
    const now = this.clock().getTime();
    const ttl = this.settings.cacheSeconds * 1000;
    const out: Array<Promise<Ranking>> = new Array(keys.length);
    const misses: number[] = [];
    keys.forEach((key, i) => {
      const cached = ttl > 0 ? this.cache.get(cacheKeyOf(key)) : undefined;
      if (cached && cached.expiresAt > now) {
        trendingRankings.inc({ cache: "hit" });
        out[i] = cached.ranking;
      } else {
        misses.push(i);
      }
    });
    if (misses.length > 0) {
      trendingRankings.inc({ cache: "miss" }, misses.length);
      const computed = this.rank(
        misses.map((i) => keys[i]!),
        now,
      );
      misses.forEach((keyIndex, j) => {
        const ranking = computed.then((all) => all[j]!);
        out[keyIndex] = ranking;
        if (ttl === 0) return;
        const cacheKey = cacheKeyOf(keys[keyIndex]!);
        const entry = { ranking, expiresAt: Infinity };
        this.cache.set(cacheKey, entry);
        ranking.then(
          (r) => (entry.expiresAt = r.generatedAt.getTime() + ttl),
          () => this.cache.get(cacheKey) === entry && this.cache.delete(cacheKey),
        );
      });
    }
    return Promise.all(out);
  }

  private async rank(keys: RankingKey[], nowMs: number): Promise<Ranking[]> {
    // Whole seconds, so SQL's integer ages and the bounds below agree exactly.
    const now = Math.floor(nowMs / 1000) * 1000;
    // Lists are public for everyone, editors included.
    const scope: ArticleScope = { now: new Date(nowMs), preview: false };
    const states: RoundState[] = keys.map((key) => ({ key, best: [], size: FIRST_ROUND, done: false }));
    for (;;) {
      const active = states.filter((s) => !s.done);
      if (active.length === 0) break;
      const candidates = await this.candidates(active, now, scope);
      const sums = await this.windowSums(
        active.flatMap((state, i) => candidates[i]!.map((c) => ({ window: state.key.window, articleId: c.articleId }))),
        now,
      );
      active.forEach((state, i) => {
        const read = candidates[i]!.map((c): RoundRow => {
          const sum = sums.get(`${state.key.window}:${c.articleId}`);
          return { ...c, candidate: sum ? { articleId: c.articleId, publishedAt: c.publishedAt, ...sum } : null };
        });
        this.advance(state, read, now);
      });
    }
    return states.map((s) => ({
      generatedAt: new Date(now),
      items: s.best.map(({ articleId, score, views }) => ({ articleId, score, views })),
    }));
  }

  /** Takes one round's candidates into the list and decides whether another round is needed. */
  private advance(state: RoundState, read: RoundRow[], now: number): void {
    for (const { candidate } of read) if (candidate) state.best.push(candidate);
    state.best.sort(byRank);
    state.best.length = Math.min(state.best.length, RANKED_PER_LIST);
    if (read.length < state.size) {
      state.done = true;
      return;
    }
    // The round's last row in key order (grouping lost the order) bounds every article not read yet.
    const last = read.reduce((low, r) =>
      r.bound < low.bound || (r.bound === low.bound && r.articleId < low.articleId) ? r : low,
    );
    const bound = 2 ** (last.bound - now / 1000 / this.halfLifeSeconds[state.key.window]);
    const full = state.best.length === RANKED_PER_LIST;
    if (full && state.best[RANKED_PER_LIST - 1]!.score > bound * (1 + BOUND_SLACK)) {
      state.done = true;
      return;
    }
    state.after = { bound: last.bound, articleId: last.articleId };
    state.size = Math.min(state.size * 2, MAX_ROUND);
  }

  /**
   * One round for each list, in one statement: the next candidates in key order among the
   * visible articles that match the list's filters.
   */
  private async candidates(
    states: RoundState[],
    now: number,
    scope: ArticleScope,
  ): Promise<Array<Array<{ articleId: number; bound: number; publishedAt: number }>>> {
    const mysql = this.db.dialect === "mysql";
    // Read the scores in key order and check each article through a narrow index, never the
    // article rows themselves: the planner would otherwise start from articles and sort.
    const join = mysql
      ? "STRAIGHT_JOIN articles a FORCE INDEX (idx_articles_trending)"
      : "CROSS JOIN articles a INDEXED BY idx_articles_trending";
    const selects = states.map((state, i): Sql => {
      const { window, sectionIds, language } = state.key;
      const key = `s.${KEY_COLUMN[window]}`;
      // One view at the window's start already gives this key: below it, no article has a view in the window.
      const floor = (now - WINDOW_MS[window]) / 1000 / this.halfLifeSeconds[window] - 1e-6;
      const conds: Sql[] = [sql(`${key} >= ?`, floor), visibleArticles(scope)];
      if (sectionIds) conds.push(sectionIds.length > 0 ? this.db.inList("a.section_id", sectionIds) : sql("1 = 0"));
      if (language !== undefined) conds.push(sql("a.language = ?", language));
      if (state.after) {
        const { bound, articleId } = state.after;
        conds.push(sql(`${key} <= ? AND (${key} < ? OR s.article_id < ?)`, bound, bound, articleId));
      }
      const where = joinSql(conds, " AND ");
      return {
        text:
          `SELECT * FROM (SELECT ${i} AS k, s.article_id, ${key} AS bound, a.published_at FROM trending_scores s` +
          ` ${join} ON a.id = s.article_id WHERE ${where.text} ORDER BY ${key} DESC, s.article_id DESC` +
          ` LIMIT ${state.size}) c${i}`,
        params: where.params,
      };
    });
    trendingRankingStatements.inc();
    const rows = await this.db.query<Record<string, unknown>>(joinSql(selects, " UNION ALL "));
    const out = states.map(() => [] as Array<{ articleId: number; bound: number; publishedAt: number }>);
    for (const r of rows) {
      out[Number(r.k)]!.push({
        articleId: Number(r.article_id),
        bound: Number(r.bound),
        publishedAt: readDate(r.published_at)?.getTime() ?? 0,
      });
    }
    return out;
  }

  /**
   * Exact views and decayed score inside the window, per (window, article), in one statement:
   * a range of the (article_id, bucket_start, views) index per article. Articles without views
   * in their window are absent.
   */
  private async windowSums(
    wanted: Array<{ window: TrendingWindowName; articleId: number }>,
    now: number,
  ): Promise<Map<string, { score: number; views: number }>> {
    const out = new Map<string, { score: number; views: number }>();
    const byWindow = new Map<TrendingWindowName, Set<number>>();
    for (const { window, articleId } of wanted)
      byWindow.set(window, (byWindow.get(window) ?? new Set()).add(articleId));
    if (byWindow.size === 0) return out;
    const mysql = this.db.dialect === "mysql";
    const age = mysql ? "TIMESTAMPDIFF(SECOND, b.bucket_start, ?)" : "(unixepoch(?) - unixepoch(b.bucket_start))";
    const nowSql = sqlDate(new Date(now));
    const selects = [...byWindow].map(([window, ids], i): Sql => {
      // A DOUBLE literal: MySQL would divide the integer age by a decimal one in 4-digit DECIMAL.
      const halfLife = `${this.halfLifeSeconds[window]}e0`;
      const inList = this.db.inList("b.article_id", [...ids]);
      return {
        text:
          `SELECT * FROM (SELECT '${window}' AS w, b.article_id, SUM(b.views * POW(2, -(${age}) / ${halfLife})) AS score,` +
          ` SUM(b.views) AS views FROM article_view_buckets b WHERE ${inList.text}` +
          ` AND b.bucket_start >= ? AND b.bucket_start <= ? GROUP BY b.article_id) w${i}`,
        params: [nowSql, ...inList.params, sqlDate(new Date(now - WINDOW_MS[window])), nowSql],
      };
    });
    trendingRankingStatements.inc();
    const rows = await this.db.query<Record<string, unknown>>(joinSql(selects, " UNION ALL "));
    for (const r of rows) {
      out.set(`${String(r.w)}:${Number(r.article_id)}`, { score: Number(r.score), views: Number(r.views) });
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------
  // Views
  // ---------------------------------------------------------------------------------------

  /** Which of these articles are public now. */
  async publicIds(ids: readonly number[]): Promise<Set<number>> {
    if (ids.length === 0) return new Set();
    const where = joinSql(
      [visibleArticles({ now: this.clock(), preview: false }), this.db.inList("a.id", ids)],
      " AND ",
    );
    const rows = await this.db.query<{ id: unknown }>({
      text: `SELECT a.id FROM articles a WHERE ${where.text}`,
      params: where.params,
    });
    return new Set(rows.map((r) => Number(r.id)));
  }

  /**
   * Adds buffered views to their buckets and to the articles' score keys, in one transaction so
   * the two never disagree. Additive upserts, so gateways sharing a database add up; rows are
   * sorted so concurrent writers take row locks in the same order.
   */
  async writeViews(rows: readonly BucketViews[]): Promise<void> {
    if (rows.length === 0) return;
    const buckets = [...rows].sort((x, y) => x.bucketStart - y.bucketStart || x.articleId - y.articleId);
    const terms = new Map<number, Record<TrendingWindowName, number[]>>();
    for (const r of buckets) {
      const t = terms.get(r.articleId) ?? { HOUR: [], DAY: [], WEEK: [] };
      for (const w of WINDOWS) t[w].push(Math.log2(r.views) + r.bucketStart / 1000 / this.halfLifeSeconds[w]);
      terms.set(r.articleId, t);
    }
    const scores = [...terms.entries()]
      .sort(([a], [b]) => a - b)
      .map(([articleId, t]) => [articleId, log2SumExp2(t.HOUR), log2SumExp2(t.DAY), log2SumExp2(t.WEEK)]);
    const mysql = this.db.dialect === "mysql";
    const keyUpdate = (c: string) =>
      mysql
        ? `${c} = GREATEST(${c}, VALUES(${c})) + LOG2(1 + POW(2, -ABS(${c} - VALUES(${c}))))`
        : `${c} = max(${c}, excluded.${c}) + log2(1 + pow(2, -abs(${c} - excluded.${c})))`;
    const bucketsUpsert = mysql
      ? " ON DUPLICATE KEY UPDATE views = views + VALUES(views)"
      : " ON CONFLICT (bucket_start, article_id) DO UPDATE SET views = views + excluded.views";
    const scoresUpsert =
      (mysql ? " ON DUPLICATE KEY UPDATE " : " ON CONFLICT (article_id) DO UPDATE SET ") +
      ["hour_key", "day_key", "week_key"].map(keyUpdate).join(", ");
    await inTransaction(this.db.dataSource, async (manager) => {
      for (let i = 0; i < buckets.length; i += ROWS_PER_STATEMENT) {
        const chunk = buckets.slice(i, i + ROWS_PER_STATEMENT);
        await manager.query(
          `INSERT INTO article_view_buckets (bucket_start, article_id, views) VALUES ${chunk.map(() => "(?, ?, ?)").join(", ")}${bucketsUpsert}`,
          chunk.flatMap((r) => [sqlDate(new Date(r.bucketStart)), r.articleId, r.views]),
        );
      }
      for (let i = 0; i < scores.length; i += ROWS_PER_STATEMENT) {
        const chunk = scores.slice(i, i + ROWS_PER_STATEMENT);
        await manager.query(
          `INSERT INTO trending_scores (article_id, hour_key, day_key, week_key) VALUES ${chunk.map(() => "(?, ?, ?, ?)").join(", ")}${scoresUpsert}`,
          chunk.flat(),
        );
      }
    });
  }

  // ---------------------------------------------------------------------------------------
  // Upkeep
  // ---------------------------------------------------------------------------------------

  /**
   * Deletes buckets older than the retention time and score rows with no view left in any
   * window, in bounded batches so no statement holds locks for long. Returns the rows deleted.
   */
  async prune(): Promise<number> {
    const now = this.clock().getTime();
    const mysql = this.db.dialect === "mysql";
    const bounded = (table: string, condition: string) =>
      mysql
        ? `DELETE FROM ${table} WHERE ${condition} LIMIT ${PRUNE_BATCH}`
        : `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${condition} LIMIT ${PRUNE_BATCH})`;
    const cutoff = sqlDate(new Date(now - this.settings.retentionDays * DAY_MS));
    const buckets = await this.deleteInBatches(bounded("article_view_buckets", "bucket_start < ?"), [cutoff]);
    viewBucketsPruned.inc(buckets);
    // A view inside the week window keeps week_key at or above this floor; the shorter windows lie inside it.
    const floor = (now - WINDOW_MS.WEEK) / 1000 / this.halfLifeSeconds.WEEK;
    const scores = await this.deleteInBatches(bounded("trending_scores", "week_key < ?"), [floor]);
    return buckets + scores;
  }

  private async deleteInBatches(statement: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (let i = 0; i < PRUNE_MAX_BATCHES; i++) {
      const runner = this.db.dataSource.createQueryRunner();
      let affected = 0;
      try {
        affected = (await runner.query(statement, params, true)).affected ?? 0;
      } finally {
        await runner.release();
      }
      total += affected;
      if (affected < PRUNE_BATCH) break;
    }
    return total;
  }

  /**
   * Score keys depend on the half-lives. When the configured ones differ from those the keys
   * were built with, rebuild the keys from the buckets (only views that can still fall inside a
   * window matter). All gateways on one database must use the same half-lives.
   */
  private async ensureScoreKeys(): Promise<void> {
    const h = this.halfLifeSeconds;
    const fingerprint = `${h.HOUR},${h.DAY},${h.WEEK}`;
    const [state] = await this.db.query<{ value: unknown }>(
      sql("SELECT value FROM trending_state WHERE name = ?", HALF_LIVES_STATE),
    );
    if (state && String(state.value) === fingerprint) return;
    const now = Math.floor(this.clock().getTime() / 1000);
    const mysql = this.db.dialect === "mysql";
    const epoch = mysql ? "TIMESTAMPDIFF(SECOND, '1970-01-01 00:00:00', bucket_start)" : "unixepoch(bucket_start)";
    const params: unknown[] = [];
    const keyOf = (w: TrendingWindowName) => {
      const from = sqlDate(new Date((now - WINDOW_MS[w] / 1000) * 1000));
      const hl = `${h[w]}e0`;
      params.push(from, now, now);
      return (
        `COALESCE(LOG2(NULLIF(SUM(CASE WHEN bucket_start >= ? THEN views * POW(2, (${epoch} - ?) / ${hl}) ELSE 0 END), 0))` +
        ` + ? / ${hl}, ${NO_VIEWS_KEY})`
      );
    };
    const columns = WINDOWS.map(keyOf).join(", ");
    const weekStart = sqlDate(new Date((now - WINDOW_MS.WEEK / 1000) * 1000));
    await inTransaction(this.db.dataSource, async (manager) => {
      await manager.query("DELETE FROM trending_scores");
      const [range] = (await manager.query(
        "SELECT MIN(article_id) AS lo, MAX(article_id) AS hi FROM article_view_buckets WHERE bucket_start >= ?",
        [weekStart],
      )) as Array<{ lo: unknown; hi: unknown }>;
      // In slices of articles, so no statement runs into the statement timeout on a large history.
      for (let lo = Number(range?.lo ?? 1); range?.hi != null && lo <= Number(range.hi); lo += REBUILD_SLICE) {
        await manager.query(
          `INSERT INTO trending_scores (article_id, hour_key, day_key, week_key) SELECT article_id, ${columns}` +
            " FROM article_view_buckets WHERE article_id >= ? AND article_id < ? AND bucket_start >= ? GROUP BY article_id",
          [...params, lo, lo + REBUILD_SLICE, weekStart],
        );
      }
      await manager.query("DELETE FROM trending_state WHERE name = ?", [HALF_LIVES_STATE]);
      await manager.query("INSERT INTO trending_state (name, value) VALUES (?, ?)", [HALF_LIVES_STATE, fingerprint]);
    });
    if (state) this.log.info({ halfLives: fingerprint }, "trending half-lives changed: rebuilt the score keys");
  }
}
