import { MigrationInterface, QueryRunner, TableColumn } from "typeorm";
import { isMysql } from "./portable";

/** The link tables whose rows get their article's feed position and visibility. */
const LINKS = [
  { table: "article_authors", key: "author_id", index: "idx_article_authors_feed" },
  { table: "article_tags", key: "tag_id", index: "idx_article_tags_feed" },
] as const;

/**
 * Articles per backfill statement on MySQL. Each commits on its own (the ALTER before them ended
 * the migration's transaction: MySQL commits at DDL), so a writer waits for one batch at most.
 */
const BACKFILL_BATCH = 20_000;

/**
 * An author's or a tag's feed, read from its link rows alone: each link row carries its
 * article's `published_at` and whether the article is `listed` (published or scheduled, with a
 * publish time, not deleted; public once `published_at` has passed, so a scheduled article still
 * appears at its moment without any job). Indexed as (author_id | tag_id, listed, published_at,
 * article_id), a page is the next rows of one index range instead of sorting the author's or
 * tag's whole set. The article write core (ArticleStore) keeps them up to date.
 *
 * On MySQL the columns are added instantly (MariaDB 10.3+ appends columns without copying the
 * table), the backfill runs in batches of article ids, and the indexes are built online
 * (ALGORITHM=INPLACE, LOCK=NONE): readers and writers go on while each is built.
 */
export class LinkFeeds1796626800000 implements MigrationInterface {
  name = "LinkFeeds1796626800000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    for (const { table } of LINKS) {
      await q.addColumns(table, [
        new TableColumn({ name: "published_at", type: "datetime", precision: mysql ? 3 : undefined, isNullable: true }),
        new TableColumn({ name: "listed", type: "boolean", default: 0 }),
      ]);
    }
    const listed =
      "CASE WHEN a.status IN ('published', 'scheduled') AND a.published_at IS NOT NULL AND a.deleted_at IS NULL THEN 1 ELSE 0 END";
    if (mysql) {
      const [{ top }] = (await q.query("SELECT COALESCE(MAX(id), 0) AS top FROM articles")) as Array<{ top: unknown }>;
      for (let from = 1; from <= Number(top); from += BACKFILL_BATCH) {
        for (const { table } of LINKS) {
          await q.query(
            `UPDATE ${table} l JOIN articles a ON a.id = l.article_id SET l.published_at = a.published_at, l.listed = ${listed}` +
              ` WHERE l.article_id BETWEEN ? AND ?`,
            [from, from + BACKFILL_BATCH - 1],
          );
        }
      }
      for (const { table, key, index } of LINKS) {
        await q.query(
          `CREATE INDEX ${index} ON ${table} (${key}, listed, published_at, article_id) ALGORITHM=INPLACE LOCK=NONE`,
        );
      }
      return;
    }
    for (const { table, key, index } of LINKS) {
      await q.query(
        `UPDATE "${table}" SET published_at = (SELECT a.published_at FROM articles a WHERE a.id = "${table}".article_id),` +
          ` listed = (SELECT ${listed} FROM articles a WHERE a.id = "${table}".article_id)`,
      );
      await q.query(`CREATE INDEX "${index}" ON "${table}" ("${key}", "listed", "published_at", "article_id")`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, index } of LINKS) {
      await q.dropIndex(table, index);
      await q.dropColumn(table, "listed");
      await q.dropColumn(table, "published_at");
    }
  }
}
