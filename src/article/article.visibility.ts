import { sql, sqlDate, type Sql } from "../db/sql";

/**
 * Who is reading. Every article read in ArticleService starts from this, so no path
 * (lookup, list, count, node, nested list) can forget it.
 */
export interface ArticleScope {
  /** The moment "published" is judged against; tests inject it. */
  now: Date;
}

/**
 * Public: published (or scheduled and due), with its publish time reached, not deleted.
 * A scheduled article becomes public at its moment without any job running.
 */
export function visibleArticles(scope: ArticleScope, alias = "a"): Sql {
  return sql(
    `${alias}.status IN ('published', 'scheduled') AND ${alias}.published_at IS NOT NULL` +
      ` AND ${alias}.published_at <= ? AND ${alias}.deleted_at IS NULL`,
    sqlDate(scope.now),
  );
}
