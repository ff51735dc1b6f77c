import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from "typeorm";
import { isMysql, utf8mb4 } from "./portable";

/**
 * Live coverage: an article may carry a live blog (one row, keyed by the article), made of short
 * timestamped posts. `seq` counts the blog's changes; each post keeps the number of its last
 * change, which is what `posts(since:)` compares (a clock could repeat or go back; this cannot).
 */
export class LiveBlogs1796367600000 implements MigrationInterface {
  name = "LiveBlogs1796367600000";

  async up(q: QueryRunner): Promise<void> {
    const precision = isMysql(q) ? 3 : undefined;
    await q.createTable(
      new Table({
        name: "live_blogs",
        columns: [
          { name: "article_id", type: "integer", isPrimary: true },
          { name: "status", type: "varchar", length: "10" },
          { name: "started_at", type: "datetime", precision },
          { name: "ended_at", type: "datetime", precision, isNullable: true },
          { name: "pinned_post_id", type: "integer", isNullable: true },
          { name: "seq", type: "integer", default: 0 },
          { name: "updated_at", type: "datetime", precision },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_live_blogs_article",
            columnNames: ["article_id"],
            referencedTableName: "articles",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "live_posts",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          { name: "article_id", type: "integer" },
          { name: "title", type: "varchar", length: "300", isNullable: true },
          { name: "body", type: "text" },
          { name: "key_event", type: "boolean", default: 0 },
          { name: "published_at", type: "datetime", precision },
          { name: "updated_at", type: "datetime", precision },
          { name: "deleted_at", type: "datetime", precision, isNullable: true },
          // The live blog's change number at this post's last change (see `posts(since:)`).
          { name: "seq", type: "integer" },
          { name: "version", type: "integer", default: 1 },
        ],
        indices: [
          new TableIndex({ name: "idx_live_posts_feed", columnNames: ["article_id", "published_at", "id"] }),
          new TableIndex({ name: "idx_live_posts_seq", columnNames: ["article_id", "seq"] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_live_posts_blog",
            columnNames: ["article_id"],
            referencedTableName: "live_blogs",
            referencedColumnNames: ["article_id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "live_post_authors",
        columns: [
          { name: "post_id", type: "integer", isPrimary: true },
          { name: "author_id", type: "integer", isPrimary: true },
          { name: "position", type: "integer", default: 0 },
        ],
        indices: [new TableIndex({ name: "idx_live_post_authors_author", columnNames: ["author_id", "post_id"] })],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_live_post_authors_post",
            columnNames: ["post_id"],
            referencedTableName: "live_posts",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
          new TableForeignKey({
            name: "fk_live_post_authors_author",
            columnNames: ["author_id"],
            referencedTableName: "authors",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          }),
        ],
      }),
    );
    await utf8mb4(q, ["live_blogs", "live_posts", "live_post_authors"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("live_post_authors");
    await q.dropTable("live_posts");
    await q.dropTable("live_blogs");
  }
}
