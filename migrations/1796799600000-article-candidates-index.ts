import { MigrationInterface, QueryRunner } from "typeorm";
import { isMysql } from "./portable";

const BEFORE = "id, status, published_at, deleted_at, section_id, language";
const AFTER = `${BEFORE}, story_key`;

/**
 * The narrow index by article id that trending reads instead of article rows gains `story_key`,
 * so related articles can check their candidates (visible, same language, another story) through
 * it too: hundreds of candidates per article page, each an article row read before (#16).
 * On MySQL the index is dropped and made again in one ALTER, so no statement that names it
 * (trending's FORCE INDEX) ever finds it missing; SQLite runs migrations in a transaction.
 */
export class ArticleCandidatesIndex1796799600000 implements MigrationInterface {
  name = "ArticleCandidatesIndex1796799600000";

  async up(q: QueryRunner): Promise<void> {
    await rebuild(q, AFTER);
  }

  async down(q: QueryRunner): Promise<void> {
    await rebuild(q, BEFORE);
  }
}

async function rebuild(q: QueryRunner, columns: string): Promise<void> {
  if (isMysql(q)) {
    await q.query(
      `ALTER TABLE articles DROP INDEX idx_articles_trending, ADD INDEX idx_articles_trending (${columns})`,
    );
  } else {
    await q.query("DROP INDEX idx_articles_trending");
    await q.query(`CREATE INDEX idx_articles_trending ON articles (${columns})`);
  }
}
