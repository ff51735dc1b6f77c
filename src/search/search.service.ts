import { createHash } from "node:crypto";
import {
  ARTICLE_SELECT,
  articleConditions,
  toArticleRow,
  type ArticleRow,
  type ArticleWhere,
} from "../article/article.service";
import type { ArticleScope } from "../article/article.visibility";
import { Db, joinSql, sql, sqlDate, type Sql } from "../db/sql";
import { decodeCursor, encodeCursor } from "../graphql/cursor";
import { GraphQLError } from "graphql";
import type { Logger } from "pino";
import { badUserInput } from "../graphql/errors";
import { searchEngineFailures, searchesByEngine } from "../metrics/metrics";
import type { AuthorService } from "../author/author.service";
import type { TagService } from "../tag/tag.service";
import type { SearchFeeder } from "./engine/search-feeder";
import { EngineNotFilled, engineCanMatch, type EngineFilter, type EngineHit, type SphinxEngine } from "./engine/sphinx";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import {
  fts5AllUnits,
  MIN_TERM_LENGTH,
  mysqlAllUnits,
  mysqlAnyUnit,
  patternMatchesLikeIndex,
  wordPattern,
  type SearchQuery,
} from "./search.query";
import type { WordStats } from "./word-stats";

/**
 * Scores are relevance times this, rounded to an integer: exact to compare, so a keyset
 * cursor on (score, publishedAt, id) never skips or repeats a row. Fine-grained because
 * relevance gets tiny for words in most articles (FTS5 then floors idf at 1e-6).
 */
export const SCORE_SCALE = 1_000_000_000;
/** MySQL: a title match counts this many times as much as the same match in the text. */
const MYSQL_TITLE_WEIGHT = 3;
/** SQLite: bm25 weights of title, standfirst and body_text. */
const FTS5_WEIGHTS = "10.0, 3.0, 1.0";

/**
 * A word in at least this share of articles is, by default, checked on the rows the rarer words
 * lead to rather than through the index (SEARCH_COMMON_WORD_SHARE).
 */
export const COMMON_WORD_SHARE = 0.2;
/**
 * ...when the rows the rarest other unit leads to are few enough. Checking a row with REGEXP
 * costs as much as reading this many postings of the index, for a word in `presence` of the
 * articles: a row lacking the word is scanned to its end, one holding it only up to it. Measured
 * on MariaDB 10.11 with the 100,000-article bench set (postings at 0.65 to 0.75 µs each): 55
 * postings a row for a word in 37% of articles, 18 for one in 75%; a straight line through those,
 * never under 5 (reading the row).
 */
const rowCheckCost = (presence: number) => Math.max(5, 91 - 98 * presence);

/**
 * How a search is run (MySQL): the indexes of units checked row by row with a pattern instead of
 * through the FULLTEXT index. They still have to match; they do not add to the score. Empty:
 * every unit goes through the index.
 */
export type SearchPlan = number[];

/** Position of a hit in a result list: best score first, then newest, then highest id. */
export interface SearchKey {
  score: number;
  publishedAt: string;
  id: number;
  /** The plan the first page was run with: every later page runs the same, so scores compare. */
  plan: SearchPlan;
  /** Pages of an engine search: where the engine put this hit (later pages look from just before it). */
  engineAt?: number;
  publishedMs: number;
}

export interface SearchHit {
  row: ArticleRow;
  /** Relevance times SCORE_SCALE. */
  score: number;
  bodyText: string | null;
  /** Found by the search engine: its position in the engine's order, and the publish time it ranked by. */
  engineAt?: number;
  enginePublishedMs?: number;
}

export interface SearchPage {
  page: Page<SearchHit>;
  plan: SearchPlan;
  /** All matches; null past the last page, where the statement had no row to tell. */
  total: number | null;
}

const CURSOR_KIND = "search";

/** An engine page looks this many positions back from the last hit shown, in case matches moved up. */
const ENGINE_SLACK = 10;
/** Engine requests per page at most (a page whose candidates the database keeps dropping ends early). */
const ENGINE_ROUNDS = 4;
/** Engine searches page through the best this many matches. */
const ENGINE_MAX_POSITION = 10_000;

/** Strictly after the cursor's hit in best-first order (score, then newest, then highest id). */
const beyond = (h: EngineHit, key: SearchKey) =>
  h.score < key.score ||
  (h.score === key.score && (h.publishedAt < key.publishedMs || (h.publishedAt === key.publishedMs && h.id < key.id)));

function searchUnavailable(): GraphQLError {
  return new GraphQLError("Search is unavailable for a moment; run the search again from its first page", {
    extensions: { code: "SERVICE_UNAVAILABLE" },
  });
}

/** The search engine and what a search there needs beside it. */
interface SearchEngine {
  client: SphinxEngine;
  feeder: SearchFeeder;
  log: Logger;
  /** Author and tag filters name slugs; the engine holds ids. */
  authors: AuthorService;
  tags: TagService;
}

/** Binds cursors to the search that made them: a cursor from another query or filter is refused. */
export function searchFingerprint(query: SearchQuery, where: ArticleWhere | null): string {
  return createHash("sha256")
    .update(JSON.stringify([query.units, where]))
    .digest("base64url")
    .slice(0, 12);
}

export function searchCursor(fingerprint: string, hit: SearchHit, plan: SearchPlan): string {
  if (hit.engineAt !== undefined) {
    // The engine's own publish time: later pages compare positions in the engine's order.
    const published = new Date(hit.enginePublishedMs ?? hit.row.publishedAt?.getTime() ?? 0).toISOString();
    return encodeCursor(CURSOR_KIND, [fingerprint, hit.score, published, hit.row.id, `e${hit.engineAt}`]);
  }
  const key = [fingerprint, hit.score, hit.row.publishedAt?.toISOString() ?? "", hit.row.id];
  return encodeCursor(CURSOR_KIND, plan.length > 0 ? [...key, plan.join(".")] : key);
}

export function decodeSearchCursor(cursor: string, field: string, fingerprint: string, query: SearchQuery): SearchKey {
  const key = decodeCursor(CURSOR_KIND, cursor, field);
  const [fp, score, publishedAt, id, planText] = key;
  const date = typeof publishedAt === "string" ? new Date(publishedAt) : null;
  const engineAt = typeof planText === "string" && /^e\d{1,9}$/.test(planText) ? Number(planText.slice(1)) : undefined;
  // Cursors without a plan (all made before plans existed, and every SQLite one) ran through the index.
  const plan =
    typeof planText === "string" && /^\d{1,2}(\.\d{1,2})*$/.test(planText) ? planText.split(".").map(Number) : [];
  if (
    (key.length !== 4 && key.length !== 5) ||
    (key.length === 5 && plan.length === 0 && engineAt === undefined) ||
    fp !== fingerprint ||
    typeof score !== "number" ||
    typeof id !== "number" ||
    !date ||
    Number.isNaN(date.getTime()) ||
    !validPlan(plan, query)
  ) {
    throw badUserInput("is not a valid cursor for this search", field);
  }
  return {
    score,
    publishedAt: sqlDate(date),
    id,
    plan,
    publishedMs: date.getTime(),
    ...(engineAt !== undefined ? { engineAt } : {}),
  };
}

/** Distinct single-word units, leaving at least one unit for the index. */
function validPlan(plan: SearchPlan, query: SearchQuery): boolean {
  return (
    plan.length < query.units.length &&
    new Set(plan).size === plan.length &&
    plan.every(
      (i) => Number.isInteger(i) && query.units[i]?.length === 1 && patternMatchesLikeIndex(query.units[i]![0]!),
    )
  );
}

/**
 * Full-text search over public articles: InnoDB FULLTEXT on MySQL, FTS5 on SQLite, one
 * behaviour. Every statement starts from the same visibility and filter conditions as the
 * article feeds; user text reaches the database only as a bound MATCH expression built from
 * tokens (see search.query.ts).
 */
export class SearchService {
  constructor(
    private readonly db: Db,
    /** Word statistics behind plan(); absent or disabled: every unit goes through the index. */
    readonly words?: WordStats,
    private readonly commonShare = COMMON_WORD_SHARE,
    /** The search engine, when SEARCH_ENGINE_URL names one (see engine/sphinx.ts). */
    private readonly engine?: SearchEngine,
  ) {}

  /**
   * One page of hits, best first, and the total. The search engine answers when one is configured,
   * filled and current, and the filter is one it can apply (everything but fallback languages);
   * otherwise, or when it fails on a first page, the database does. Later pages go where the
   * first went (their cursor says which), since the two score differently.
   */
  async search(
    scope: ArticleScope,
    query: SearchQuery,
    where: ArticleWhere,
    page: PageRequest<SearchKey>,
  ): Promise<SearchPage> {
    const engine = this.engine;
    const later = page.after?.engineAt !== undefined;
    if (later && !engine?.feeder.filled) throw searchUnavailable();
    if (
      engine &&
      (later || (!page.after && engine.feeder.ready && where.languages === undefined && engineCanMatch(query)))
    ) {
      try {
        const result = await this.searchEngine(engine, scope, query, where, page);
        searchesByEngine.inc({ by: "engine" });
        return result;
      } catch (err) {
        if (err instanceof GraphQLError) throw err;
        if (err instanceof EngineNotFilled) engine.feeder.noticeNotFilled();
        else {
          searchEngineFailures.inc();
          engine.log.warn({ err }, "search engine failed");
        }
        // A later page cannot go on in the database: its cursor holds the engine's scores.
        if (later) throw searchUnavailable();
      }
    }
    searchesByEngine.inc({ by: "database" });
    return this.searchDatabase(scope, query, where, page);
  }

  /**
   * A page from the engine: it ranks the matches among the listed articles, with every filter it
   * can apply pushed down; the database then loads the candidates through the same visibility and
   * filter conditions as every list, so anything that changed since the engine indexed it (or
   * that the engine cannot judge) is dropped there. The engine is asked again, further on, while
   * the page is short.
   */
  private async searchEngine(
    engine: SearchEngine,
    scope: ArticleScope,
    query: SearchQuery,
    where: ArticleWhere,
    page: PageRequest<SearchKey>,
  ): Promise<SearchPage> {
    const filter = await this.engineFilter(engine, scope, where);
    const after = page.after;
    const empty: SearchPage = {
      page: { items: [], hasNextPage: false, hasPreviousPage: after !== undefined },
      total: 0,
      plan: [],
    };
    if (!filter) return empty;
    const want = page.size + 1;
    const kept: SearchHit[] = [];
    let start = after?.engineAt !== undefined ? Math.max(0, after.engineAt + 1 - ENGINE_SLACK) : 0;
    let total = 0;
    let more = false;
    for (let round = 0; kept.length < want; round++) {
      if (round === ENGINE_ROUNDS || start >= ENGINE_MAX_POSITION) {
        more = start < total && start < ENGINE_MAX_POSITION;
        break;
      }
      // A later page first re-reads the few positions before its cursor (matches may have moved up).
      const back = round === 0 && after?.engineAt !== undefined ? after.engineAt + 1 - start : 0;
      const count = Math.min(ENGINE_MAX_POSITION - start, (want - kept.length) * (round + 1) + back);
      const window = await engine.client.search(query, filter, start, count);
      total = window.total;
      const hits = window.hits.map((h, i) => ({ ...h, at: start + i })).filter((h) => !after || beyond(h, after));
      const rows = await this.rowsByIds(
        scope,
        where,
        hits.map((h) => h.id),
      );
      for (const h of hits) {
        const r = rows.get(h.id);
        if (r)
          kept.push({
            row: toArticleRow(r),
            score: h.score,
            bodyText: r.body_text == null ? null : String(r.body_text),
            engineAt: h.at,
            enginePublishedMs: h.publishedAt,
          });
        if (kept.length === want) break;
      }
      start += window.hits.length;
      if (window.hits.length < count) break;
    }
    const items = kept.slice(0, page.size);
    return {
      // A page the database emptied entirely has no cursor to go on from: it ends the list.
      page: {
        items,
        hasNextPage: kept.length > page.size || (more && items.length > 0),
        hasPreviousPage: after !== undefined,
      },
      total,
      plan: [],
    };
  }

  /** The filter as the engine applies it; null when nothing can match (an unknown author or tag). */
  private async engineFilter(
    engine: SearchEngine,
    scope: ArticleScope,
    where: ArticleWhere,
  ): Promise<EngineFilter | null> {
    const filter: EngineFilter = { nowMs: scope.now.getTime() };
    if (where.sectionIds) filter.sectionIds = where.sectionIds;
    if (where.language !== undefined) filter.language = where.language;
    if (where.publishedAfter) filter.publishedAfterMs = where.publishedAfter.getTime();
    if (where.publishedBefore) filter.publishedBeforeMs = where.publishedBefore.getTime();
    if (where.authorId !== undefined) filter.authorId = where.authorId;
    if (where.tagId !== undefined) filter.tagId = where.tagId;
    if (where.authorSlug !== undefined) {
      const id = (await engine.authors.bySlugs([where.authorSlug]))[0]?.id;
      if (id === undefined || (filter.authorId !== undefined && filter.authorId !== id)) return null;
      filter.authorId = id;
    }
    if (where.tagSlug !== undefined) {
      const id = (await engine.tags.bySlugs([where.tagSlug]))[0]?.id;
      if (id === undefined || (filter.tagId !== undefined && filter.tagId !== id)) return null;
      filter.tagId = id;
    }
    return filter;
  }

  /** The candidates that are public and pass the filter now, with their bodies (for highlights). */
  private async rowsByIds(
    scope: ArticleScope,
    where: ArticleWhere,
    ids: number[],
  ): Promise<Map<number, Record<string, unknown>>> {
    if (ids.length === 0) return new Map();
    const conds = joinSql([this.db.inList("a.id", ids), ...articleConditions(scope, where)], " AND ");
    const rows = await this.db.query(
      joinSql([sql(`SELECT a.body_text, ${ARTICLE_SELECT} FROM articles a WHERE `), conds], ""),
      { replica: true },
    );
    return new Map(rows.map((r) => [Number(r.id), r]));
  }

  /**
   * Chooses how to run a search on MySQL. InnoDB reads the whole posting list of every word a
   * search requires, so a word found in most articles costs tens of milliseconds however rare
   * the others are. When a single word is common (at least `commonShare` of sampled articles)
   * and another unit is rare enough (rowCheckCost), the index finds the rare unit's few rows and
   * the common word is checked on those rows with a pattern that matches as the index does
   * (whole word, any case and accents). The common word then only filters: its weight in
   * InnoDB's relevance, (log10 of articles over articles with it) squared, is near zero anyway.
   * Without a sample yet, on SQLite (FTS5 skips through posting lists), or when no unit is
   * rare enough, every unit goes through the index.
   */
  plan(query: SearchQuery): SearchPlan {
    const words = this.words;
    if (!words?.enabled || query.units.length < 2) return [];
    // A phrase is at most as common as its rarest indexed word.
    const shares = query.units.map((unit) => {
      const known = unit.filter((w) => [...w].length >= MIN_TERM_LENGTH).map((w) => words.share(w));
      return known.length === 0 || known.some((s) => s === undefined) ? undefined : Math.min(...(known as number[]));
    });
    if (shares.some((s) => s === undefined)) return [];
    const units = query.units.map((_, i) => i);
    const common = units.filter(
      (i) =>
        query.units[i]!.length === 1 && shares[i]! >= this.commonShare && patternMatchesLikeIndex(query.units[i]![0]!),
    );
    if (common.length === 0) return [];
    // Check the k most common words row by row and read the others from the index, for the k
    // that costs least: postings read for the unchecked common words, plus the rows the rarest
    // indexed unit leads to times what checking one costs (a row is dropped at the first word
    // it lacks, so the least common checked word goes first and sets that cost).
    const share = (i: number) => shares[i]!;
    common.sort((x, y) => share(y) - share(x));
    let best: { plan: SearchPlan; cost: number } = { plan: [], cost: common.reduce((sum, i) => sum + share(i), 0) };
    for (let k = 1; k <= common.length; k++) {
      const checked = common.slice(0, k);
      const indexed = units.filter((i) => !checked.includes(i));
      if (indexed.length === 0) break;
      const rows = Math.min(...indexed.map(share));
      const postings = common.slice(k).reduce((sum, i) => sum + share(i), 0);
      const cost = postings + rows * rowCheckCost(share(checked[k - 1]!));
      if (cost < best.cost) best = { plan: [...checked].reverse(), cost };
    }
    return best.plan;
  }

  /** The matching rows with their score: FROM, WHERE and the score expression for this dialect. */
  private matching(fullQuery: SearchQuery, plan: SearchPlan): { from: string; match: Sql; score: Sql } {
    if (this.db.dialect === "sqlite") {
      // FTS5 runs every unit through its index; a plan (only ever in a forged cursor here) is ignored.
      const query = fullQuery;
      return {
        // CROSS JOIN keeps the FTS5 scan outermost, where bm25() can run.
        from: "articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid",
        match: sql("articles_fts MATCH ?", fts5AllUnits(query)),
        // bm25 is lower for better matches.
        score: sql(`CAST(ROUND(-${SCORE_SCALE} * bm25(articles_fts, ${FTS5_WEIGHTS})) AS INTEGER)`),
      };
    }
    const query = { units: fullQuery.units.filter((_, i) => !plan.includes(i)) };
    const all = mysqlAllUnits(query);
    const text = "MATCH(a.title, a.standfirst, a.body_text) AGAINST (? IN BOOLEAN MODE)";
    const checks = plan.map((i) => {
      const pattern = wordPattern(fullQuery.units[i]![0]!);
      return sql("(a.title REGEXP ? OR a.standfirst REGEXP ? OR a.body_text REGEXP ?)", pattern, pattern, pattern);
    });
    return {
      from: "articles a",
      match: joinSql([sql(text, all), ...checks], " AND "),
      score: sql(
        `ROUND(${SCORE_SCALE} * (${MYSQL_TITLE_WEIGHT} * MATCH(a.title) AGAINST (? IN BOOLEAN MODE) + ${text}))`,
        mysqlAnyUnit(query),
        all,
      ),
    };
  }

  /**
   * One page of hits, best first, and the total, in one statement: every match is scored and
   * counted, the page is cut by keyset, and only the page's rows are read in full.
   */
  private async searchDatabase(
    scope: ArticleScope,
    query: SearchQuery,
    where: ArticleWhere,
    page: PageRequest<SearchKey>,
  ): Promise<SearchPage> {
    const plan = page.after?.plan ?? this.plan(query);
    const { from, match, score } = this.matching(query, plan);
    const conds = joinSql([match, ...articleConditions(scope, where)], " AND ");
    const after = page.after;
    const keyset = after
      ? sql(
          "WHERE s.score < ? OR (s.score = ? AND (s.published_at < ? OR (s.published_at = ? AND s.id < ?)))",
          after.score,
          after.score,
          after.publishedAt,
          after.publishedAt,
          after.id,
        )
      : sql("");
    // The count sits a level above the score: SQLite cannot run bm25() beside a window function.
    const statement = joinSql(
      [
        sql(`SELECT p.score, p.total, a.body_text, ${ARTICLE_SELECT} FROM (SELECT s.id, s.score, s.total FROM (`),
        sql("SELECT m.id, m.published_at, m.score, COUNT(*) OVER () AS total FROM (SELECT a.id, a.published_at, "),
        score,
        sql(` AS score FROM ${from} WHERE `),
        conds,
        sql(") m) s "),
        keyset,
        sql(` ORDER BY s.score DESC, s.published_at DESC, s.id DESC LIMIT ${page.size + 1}) p`),
        sql(" JOIN articles a ON a.id = p.id"),
      ],
      "",
    );
    const raws = await this.db.query(statement);
    const hits = raws.map((r) => ({
      row: toArticleRow(r),
      score: Number(r.score),
      bodyText: r.body_text == null ? null : String(r.body_text),
    }));
    // The join does not keep the page's order.
    hits.sort(
      (x, y) =>
        y.score - x.score ||
        (y.row.publishedAt?.getTime() ?? 0) - (x.row.publishedAt?.getTime() ?? 0) ||
        y.row.id - x.row.id,
    );
    const total = raws.length > 0 ? Number(raws[0]!.total) : page.after ? null : 0;
    return { page: toPage(hits, page), total, plan };
  }

  async count(scope: ArticleScope, query: SearchQuery, where: ArticleWhere, plan: SearchPlan): Promise<number> {
    const { from, match } = this.matching(query, plan);
    const conds = joinSql([match, ...articleConditions(scope, where)], " AND ");
    const rows = await this.db.query<{ n: unknown }>({
      text: `SELECT COUNT(*) AS n FROM ${from} WHERE ${conds.text}`,
      params: conds.params,
    });
    return Number(rows[0]?.n ?? 0);
  }
}
