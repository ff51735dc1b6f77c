import { joinSql, readDate, sql, sqlDate, type Db } from "../db/sql";
import { monthOf } from "../article/article.store";
import {
  articleConditions,
  type ArticleKey,
  type ArticleRow,
  type ArticleService,
  type ArticleWhere,
} from "../article/article.service";
import { waitingArticles, type ArticleScope } from "../article/article.visibility";

/** One month of the archive: how many public articles it holds. */
export interface ArchiveMonth {
  /** "2026-11" */
  month: string;
  count: number;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** [first instant of the month, first instant of the next], UTC; null when `month` is not YYYY-MM. */
export function monthRange(month: string): { from: Date; to: Date } | null {
  const m = MONTH.exec(month);
  if (!m) return null;
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(year, index, 1)), to: new Date(Date.UTC(year, index + 1, 1)) };
}

/**
 * The reads behind the sitemaps and feeds. Every statement starts from the article domain's
 * visibility rules (ArticleService's pages and story versions, `articleConditions`, or the
 * per-month counts of listed articles less `waitingArticles`), so an article that is not public
 * is in no output.
 */
export class DistributionService {
  constructor(
    private readonly db: Db,
    private readonly articles: ArticleService,
  ) {}

  /**
   * Months that hold public articles, oldest first, with counts, from the counts of listed
   * articles the write core keeps per month (ArticleMonthEntity: a row per month, whatever the
   * size of the archive). Months up to now are read; the current month less its articles still
   * waiting for their moment (an index range from now to the month's end: the scheduled ones
   * only). Two statements; the GROUP BY over every public article this replaces read 4.7
   * million index entries at 2.4 million rows.
   */
  async archiveMonths(scope: ArticleScope): Promise<ArchiveMonth[]> {
    const current = monthOf(scope.now);
    const rows = await this.db.query<{ month: unknown; articles: unknown }>(
      sql("SELECT month, articles FROM article_months WHERE month <= ? AND articles > 0 ORDER BY month", current),
      { replica: true },
    );
    const months = rows.map((r) => ({ month: String(r.month), count: Number(r.articles) }));
    const last = months[months.length - 1];
    if (last?.month === current) {
      const end = monthRange(current)!.to;
      const w = joinSql([waitingArticles(scope), sql("a.published_at < ?", sqlDate(end))], " AND ");
      const [waiting] = await this.db.query<{ n: unknown }>(
        { text: `SELECT COUNT(*) AS n FROM articles a WHERE ${w.text}`, params: w.params },
        { replica: true },
      );
      last.count -= Number(waiting?.n ?? 0);
      if (last.count <= 0) months.pop();
    }
    return months;
  }

  /**
   * Where part `part` (1-based) of a month starts: the key of the last article of the part
   * before it, or null for the first part; undefined when the part is past the month's end.
   */
  async partStart(
    scope: ArticleScope,
    where: ArticleWhere,
    part: number,
    perFile: number,
  ): Promise<ArticleKey | null | undefined> {
    if (part === 1) return null;
    const w = joinSql(articleConditions(scope, where), " AND ");
    const rows = await this.db.query<{ published_at: unknown; id: unknown }>(
      {
        text: `SELECT a.published_at, a.id FROM articles a WHERE ${w.text} ORDER BY a.published_at, a.id LIMIT 1 OFFSET ${(part - 1) * perFile - 1}`,
        params: w.params,
      },
      { replica: true },
    );
    const row = rows[0];
    return row ? [sqlDate(readDate(row.published_at)!), Number(row.id)] : undefined;
  }

  /**
   * The public articles of `where` after `after`, oldest first, in keyset batches of `batch`,
   * at most `limit` in all, each with every public language version of its story. Memory
   * holds one batch at a time, however large the archive.
   */
  async *walk(
    scope: ArticleScope,
    where: ArticleWhere,
    after: ArticleKey | null,
    limit: number,
    batch = 1000,
  ): AsyncGenerator<Array<{ row: ArticleRow; versions: ArticleRow[] }>> {
    let cursor = after ?? undefined;
    let left = limit;
    while (left > 0) {
      const size = Math.min(batch, left);
      const [page] = await this.articles.pages(scope, [where], "PUBLISHED_AT_ASC", {
        size,
        direction: "forward",
        after: cursor,
      });
      const rows = page!.items;
      if (rows.length === 0) return;
      const versions = await this.articles.storyVersions(scope, [...new Set(rows.map((r) => r.storyKey))]);
      const byStory = new Map<string, ArticleRow[]>();
      for (const v of versions) byStory.set(v.storyKey, [...(byStory.get(v.storyKey) ?? []), v]);
      yield rows.map((row) => ({ row, versions: byStory.get(row.storyKey) ?? [row] }));
      left -= rows.length;
      const last = rows[rows.length - 1]!;
      cursor = [sqlDate(last.publishedAt!), last.id];
      if (!page!.hasNextPage) return;
    }
  }

  /** The newest public articles of `where`, at most `limit` (one statement). */
  async newest(scope: ArticleScope, where: ArticleWhere, limit: number): Promise<ArticleRow[]> {
    const [page] = await this.articles.pages(scope, [where], "PUBLISHED_AT_DESC", {
      size: limit,
      direction: "forward",
    });
    return page!.items;
  }
}
