import { MigrationInterface, QueryRunner, Table } from "typeorm";
import { isMysql, utf8mb4 } from "./portable";

/**
 * Listed articles per month of their publish time (see ArticleMonthEntity), filled from the
 * articles already stored and kept from then on by the article write core. A new, small table:
 * nothing else is locked while it is made, and the backfill reads the articles' feed index.
 */
export class ArticleMonths1796713200000 implements MigrationInterface {
  name = "ArticleMonths1796713200000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    await q.createTable(
      new Table({
        name: "article_months",
        columns: [
          { name: "month", type: "varchar", length: "7", isPrimary: true },
          { name: "articles", type: "integer" },
        ],
      }),
    );
    await utf8mb4(q, ["article_months"]);
    const monthOf = mysql ? "DATE_FORMAT(published_at, '%Y-%m')" : "substr(published_at, 1, 7)";
    await q.query(
      `INSERT INTO article_months (month, articles) SELECT ${monthOf}, COUNT(*) FROM articles` +
        ` WHERE status IN ('published', 'scheduled') AND published_at IS NOT NULL AND deleted_at IS NULL` +
        ` GROUP BY ${monthOf}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("article_months");
  }
}
