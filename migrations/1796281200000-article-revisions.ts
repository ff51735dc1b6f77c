import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from "typeorm";
import { isMysql, utf8mb4 } from "./portable";

/** Every saved version of every article: who saved it, when, and its whole editable content. */
export class ArticleRevisions1796281200000 implements MigrationInterface {
  name = "ArticleRevisions1796281200000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    await q.createTable(
      new Table({
        name: "article_revisions",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          { name: "article_id", type: "integer" },
          // The version the article got with this save.
          { name: "version", type: "integer" },
          { name: "saved_at", type: "datetime", precision: mysql ? 3 : undefined },
          // An API key's name, or "import", "seed", "scheduler".
          { name: "saved_by", type: "varchar", length: "100" },
          // The editable content as JSON; the body can outgrow MySQL's TEXT (64 KB).
          { name: "content", type: mysql ? "longtext" : "text" },
          // JSON array of the fields that differ from the revision before.
          { name: "changed", type: "text" },
          // Whether the article was public in this version: kept whatever REVISIONS_KEEP says.
          { name: "published", type: "boolean" },
        ],
        indices: [
          new TableIndex({
            name: "uq_article_revisions_version",
            columnNames: ["article_id", "version"],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_article_revisions_article",
            columnNames: ["article_id"],
            referencedTableName: "articles",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
    await utf8mb4(q, ["article_revisions"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("article_revisions");
  }
}
