import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";
import { isMysql, utf8mb4 } from "./portable";

/**
 * Freshness: the transactional stream of content events (written by the same transaction as the
 * change it describes), the scheduled moments that turn into events when they arrive, and the
 * moment a published article is to be taken down (`articles.unpublish_at`).
 */
export class ContentEvents1796108400000 implements MigrationInterface {
  name = "ContentEvents1796108400000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    const datetime = { type: "datetime", precision: mysql ? 3 : undefined } as const;
    await q.createTable(
      new Table({
        name: "content_events",
        columns: [
          {
            name: "id",
            type: "integer",
            isPrimary: true,
            isGenerated: true,
            generationStrategy: "increment",
          },
          // article.created, article.updated, article.published, ... (see src/events/index.ts)
          { name: "type", type: "varchar", length: "40" },
          // What the change touches (ids, story keys, slugs, languages) as JSON.
          { name: "touches", type: "text" },
          // When the change takes effect (a scheduled moment's time, else the write's).
          { name: "effective_at", ...datetime },
          { name: "created_at", ...datetime },
        ],
        indices: [new TableIndex({ name: "idx_content_events_created", columnNames: ["created_at"] })],
      }),
    );
    await q.createTable(
      new Table({
        name: "content_moments",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          { name: "article_id", type: "integer" },
          // publish | unpublish
          { name: "kind", type: "varchar", length: "20" },
          { name: "due_at", ...datetime },
          // Set, in the transaction that emits the moment's event, by the one gateway that claimed it.
          { name: "done_at", ...datetime, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: "idx_content_moments_due", columnNames: ["done_at", "due_at"] }),
          new TableIndex({ name: "idx_content_moments_article", columnNames: ["article_id"] }),
        ],
      }),
    );
    await utf8mb4(q, ["content_events", "content_moments"]);
    // A plain ADD COLUMN: TypeORM's addColumn would rebuild the SQLite table and drop its search triggers.
    await q.query(`ALTER TABLE articles ADD COLUMN unpublish_at ${mysql ? "DATETIME(3)" : "datetime"} NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("ALTER TABLE articles DROP COLUMN unpublish_at");
    await q.dropTable("content_moments");
    await q.dropTable("content_events");
  }
}
