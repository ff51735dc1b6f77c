import { sql, sqlDate, type Sql } from "../db/sql";

/**
 * Who is reading. Every article read in ArticleService starts from this, so no path
 * (lookup, list, count, node, nested list) can forget it.
 */
export interface ArticleScope {
  /** The moment "published" is judged against; tests inject it. */
  now: Date;
  /** An editor previewing: lookups by id or slug also return drafts and scheduled articles. */
  preview: boolean;
}

/**
 * Public: published (or scheduled and due), with its publish time reached, not deleted.
 * A scheduled article becomes public at its moment without any job running.
 */
export function visibleArticles(scope: ArticleScope, alias = "a"): Sql {
  return sql(`${listedArticles(alias)} AND ${alias}.published_at <= ?`, sqlDate(scope.now));
}

/**
 * Listed: published or scheduled, with a publish time, not deleted; public once that time has
 * passed (the SQL twin of ArticleStore's `listed`, and what the write core counts per month).
 */
export function listedArticles(alias = "a"): string {
  return (
    `${alias}.status IN ('published', 'scheduled') AND ${alias}.published_at IS NOT NULL` +
    ` AND ${alias}.deleted_at IS NULL`
  );
}

/**
 * Listed (published or scheduled, with a publish time, not deleted) but not public yet: the
 * scheduled articles still waiting for their moment. Together with `visibleArticles` these are
 * every listed article, which is what the write core counts per month (ArticleMonthEntity).
 */
export function waitingArticles(scope: ArticleScope, alias = "a"): Sql {
  return sql(`${listedArticles(alias)} AND ${alias}.published_at > ?`, sqlDate(scope.now));
}

/**
 * What a lookup by id or slug may return: for editors previewing, every article that is not
 * deleted; for everyone else exactly what lists show. Lists, counts and nested lists never
 * use this: they are public for everyone.
 */
export function lookupArticles(scope: ArticleScope, alias = "a"): Sql {
  return scope.preview ? sql(`${alias}.deleted_at IS NULL`) : visibleArticles(scope, alias);
}
