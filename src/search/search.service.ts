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
import { badUserInput } from "../graphql/errors";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import { fts5AllUnits, mysqlAllUnits, mysqlAnyUnit, type SearchQuery } from "./search.query";

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

/** Position of a hit in a result list: best score first, then newest, then highest id. */
export interface SearchKey {
  score: number;
  publishedAt: string;
  id: number;
}

export interface SearchHit {
  row: ArticleRow;
  /** Relevance times SCORE_SCALE. */
  score: number;
  bodyText: string | null;
}

export interface SearchPage {
  page: Page<SearchHit>;
  /** All matches; null past the last page, where the statement had no row to tell. */
  total: number | null;
}

const CURSOR_KIND = "search";

/** Binds cursors to the search that made them: a cursor from another query or filter is refused. */
export function searchFingerprint(query: SearchQuery, where: ArticleWhere | null): string {
  return createHash("sha256")
    .update(JSON.stringify([query.units, where]))
    .digest("base64url")
    .slice(0, 12);
}

export function searchCursor(fingerprint: string, hit: SearchHit): string {
  return encodeCursor(CURSOR_KIND, [fingerprint, hit.score, hit.row.publishedAt?.toISOString() ?? "", hit.row.id]);
}

export function decodeSearchCursor(cursor: string, field: string, fingerprint: string): SearchKey {
  const key = decodeCursor(CURSOR_KIND, cursor, field);
  const [fp, score, publishedAt, id] = key;
  const date = typeof publishedAt === "string" ? new Date(publishedAt) : null;
  if (
    key.length !== 4 ||
    fp !== fingerprint ||
    typeof score !== "number" ||
    typeof id !== "number" ||
    !date ||
    Number.isNaN(date.getTime())
  ) {
    throw badUserInput("is not a valid cursor for this search", field);
  }
  return { score, publishedAt: sqlDate(date), id };
}

/**
 * Full-text search over public articles: InnoDB FULLTEXT on MySQL, FTS5 on SQLite, one
 * behaviour. Every statement starts from the same visibility and filter conditions as the
 * article feeds; user text reaches the database only as a bound MATCH expression built from
 * tokens (see search.query.ts).
 */
export class SearchService {
  constructor(private readonly db: Db) {}

  /** The matching rows with their score: FROM, WHERE and the score expression for this dialect. */
  private matching(query: SearchQuery): { from: string; match: Sql; score: Sql } {
    if (this.db.dialect === "sqlite") {
      return {
        // CROSS JOIN keeps the FTS5 scan outermost, where bm25() can run.
        from: "articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid",
        match: sql("articles_fts MATCH ?", fts5AllUnits(query)),
        // bm25 is lower for better matches.
        score: sql(`CAST(ROUND(-${SCORE_SCALE} * bm25(articles_fts, ${FTS5_WEIGHTS})) AS INTEGER)`),
      };
    }
    const all = mysqlAllUnits(query);
    const text = "MATCH(a.title, a.standfirst, a.body_text) AGAINST (? IN BOOLEAN MODE)";
    return {
      from: "articles a",
      match: sql(text, all),
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
  async search(
    scope: ArticleScope,
    query: SearchQuery,
    where: ArticleWhere,
    page: PageRequest<SearchKey>,
  ): Promise<SearchPage> {
    const { from, match, score } = this.matching(query);
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
    return { page: toPage(hits, page), total };
  }

  async count(scope: ArticleScope, query: SearchQuery, where: ArticleWhere): Promise<number> {
    const { from, match } = this.matching(query);
    const conds = joinSql([match, ...articleConditions(scope, where)], " AND ");
    const rows = await this.db.query<{ n: unknown }>({
      text: `SELECT COUNT(*) AS n FROM ${from} WHERE ${conds.text}`,
      params: conds.params,
    });
    return Number(rows[0]?.n ?? 0);
  }
}
