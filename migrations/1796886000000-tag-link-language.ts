import { MigrationInterface, QueryRunner } from "typeorm";
import { isMysql } from "./portable";

/** Articles per backfill statement on MySQL (as in LinkFeeds1796626800000: each commits on its own). */
const BACKFILL_BATCH = 20_000;
const INDEX = "idx_article_tags_language_feed";

/**
 * A tag's link rows also carry their article's `language`, indexed as (tag_id, language, listed,
 * published_at, article_id): the newest public articles of a tag in one language are one index
 * range. Related articles take their tag candidates there (the newest of each tag in the
 * article's own language), where they read the newest of the tag in every language and threw
 * away the other languages' rows one article lookup at a time (#16). The write core
 * (ArticleStore) keeps the column equal to the article's language.
 *
 * On MySQL the column is added instantly (nullable: MariaDB appends it without copying the
 * table), filled in batches of article ids, and indexed online (ALGORITHM=INPLACE, LOCK=NONE).
 * A link row written by the previous release while this runs may keep a NULL language until its
 * article is next saved: it is then left out of related candidates only, never out of a feed.
 */
export class TagLinkLanguage1796886000000 implements MigrationInterface {
  name = "TagLinkLanguage1796886000000";

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER on both: TypeORM's SQLite addColumn copies the table and loses the indexes it
    // did not make itself (idx_article_tags_feed).
    if (isMysql(q)) {
      await q.query("ALTER TABLE article_tags ADD COLUMN language varchar(35) NULL");
      const [{ top }] = (await q.query("SELECT COALESCE(MAX(id), 0) AS top FROM articles")) as Array<{ top: unknown }>;
      for (let from = 1; from <= Number(top); from += BACKFILL_BATCH) {
        await q.query(
          "UPDATE article_tags l JOIN articles a ON a.id = l.article_id SET l.language = a.language" +
            " WHERE l.article_id BETWEEN ? AND ?",
          [from, from + BACKFILL_BATCH - 1],
        );
      }
      await q.query(
        `CREATE INDEX ${INDEX} ON article_tags (tag_id, language, listed, published_at, article_id) ALGORITHM=INPLACE LOCK=NONE`,
      );
      return;
    }
    await q.query(`ALTER TABLE "article_tags" ADD COLUMN "language" varchar(35)`);
    await q.query(
      `UPDATE "article_tags" SET language = (SELECT a.language FROM articles a WHERE a.id = "article_tags".article_id)`,
    );
    await q.query(
      `CREATE INDEX "${INDEX}" ON "article_tags" ("tag_id", "language", "listed", "published_at", "article_id")`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    if (isMysql(q)) {
      await q.query(`ALTER TABLE article_tags DROP INDEX ${INDEX}, DROP COLUMN language`);
      return;
    }
    await q.query(`DROP INDEX "${INDEX}"`);
    await q.query(`ALTER TABLE "article_tags" DROP COLUMN "language"`);
  }
}
