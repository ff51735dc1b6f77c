import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from "typeorm";
import { isMysql, utf8mb4, utf8mb4Database } from "./portable";

const VISIBLE_FEED = ["published_at", "id", "status", "deleted_at"];

const id = {
  name: "id",
  type: "integer",
  isPrimary: true,
  isGenerated: true,
  generationStrategy: "increment",
} as const;

/** Sections, authors, tags, articles and their join tables, with the indexes the feeds use. */
export class InitialContent1764230400000 implements MigrationInterface {
  name = "InitialContent1764230400000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    await utf8mb4Database(q);
    const datetime = { type: "datetime", precision: mysql ? 3 : undefined } as const;
    const longText = mysql ? "longtext" : "text";

    await q.createTable(
      new Table({
        name: "sections",
        columns: [
          id,
          { name: "slug", type: "varchar", length: "120" },
          { name: "name", type: "varchar", length: "200" },
          { name: "description", type: "text", isNullable: true },
          { name: "parent_id", type: "integer", isNullable: true },
          { name: "position", type: "integer", default: 0 },
        ],
        indices: [
          new TableIndex({ name: "uq_sections_slug", columnNames: ["slug"], isUnique: true }),
          new TableIndex({ name: "idx_sections_parent", columnNames: ["parent_id"] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_sections_parent",
            columnNames: ["parent_id"],
            referencedTableName: "sections",
            referencedColumnNames: ["id"],
            onDelete: "SET NULL",
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "authors",
        columns: [
          id,
          { name: "slug", type: "varchar", length: "120" },
          { name: "name", type: "varchar", length: "200" },
          { name: "role", type: "varchar", length: "200", isNullable: true },
          { name: "bio", type: "text", isNullable: true },
          { name: "email", type: "varchar", length: "320", isNullable: true },
          { name: "avatar_url", type: "varchar", length: "2048", isNullable: true },
          { name: "avatar_alt", type: "varchar", length: "500", isNullable: true },
          { name: "avatar_width", type: "integer", isNullable: true },
          { name: "avatar_height", type: "integer", isNullable: true },
        ],
        indices: [new TableIndex({ name: "uq_authors_slug", columnNames: ["slug"], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: "tags",
        columns: [
          id,
          { name: "slug", type: "varchar", length: "120" },
          { name: "name", type: "varchar", length: "200" },
        ],
        indices: [new TableIndex({ name: "uq_tags_slug", columnNames: ["slug"], isUnique: true })],
      }),
    );

    await q.createTable(
      new Table({
        name: "articles",
        columns: [
          id,
          { name: "story_key", type: "varchar", length: "36" },
          { name: "slug", type: "varchar", length: "200" },
          { name: "language", type: "varchar", length: "35" },
          { name: "title", type: "varchar", length: "300" },
          { name: "standfirst", type: "text", isNullable: true },
          { name: "body", type: longText },
          {
            name: "status",
            type: "enum",
            enum: ["draft", "scheduled", "published", "archived"],
            enumName: "article_status",
            default: "'draft'",
          },
          { name: "published_at", ...datetime, isNullable: true },
          { name: "created_at", ...datetime },
          { name: "updated_at", ...datetime },
          { name: "deleted_at", ...datetime, isNullable: true },
          { name: "section_id", type: "integer" },
          { name: "hero_image_url", type: "varchar", length: "2048", isNullable: true },
          { name: "hero_image_alt", type: "varchar", length: "500", isNullable: true },
          { name: "hero_image_caption", type: "varchar", length: "1000", isNullable: true },
          { name: "hero_image_credit", type: "varchar", length: "300", isNullable: true },
          { name: "hero_image_width", type: "integer", isNullable: true },
          { name: "hero_image_height", type: "integer", isNullable: true },
          { name: "source_name", type: "varchar", length: "200", isNullable: true },
          { name: "source_url", type: "varchar", length: "2048", isNullable: true },
          { name: "disclaimer", type: "text", isNullable: true },
        ],
        indices: [
          new TableIndex({ name: "uq_articles_language_slug", columnNames: ["language", "slug"], isUnique: true }),
          // Feeds walk (published_at, id) in either direction. status and deleted_at ride along so the
          // visibility check and COUNT(*) are answered from the index without touching rows.
          new TableIndex({ name: "idx_articles_published", columnNames: VISIBLE_FEED }),
          new TableIndex({ name: "idx_articles_status_published", columnNames: ["status", "published_at", "id"] }),
          new TableIndex({ name: "idx_articles_section_published", columnNames: ["section_id", ...VISIBLE_FEED] }),
          new TableIndex({ name: "idx_articles_language_published", columnNames: ["language", ...VISIBLE_FEED] }),
          // Language versions of a story, with what the visibility check reads.
          new TableIndex({
            name: "idx_articles_story",
            columnNames: ["story_key", "language", "status", "published_at", "deleted_at"],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_articles_section",
            columnNames: ["section_id"],
            referencedTableName: "sections",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "article_authors",
        columns: [
          { name: "article_id", type: "integer", isPrimary: true },
          { name: "author_id", type: "integer", isPrimary: true },
          { name: "position", type: "integer", default: 0 },
        ],
        indices: [new TableIndex({ name: "idx_article_authors_author", columnNames: ["author_id", "article_id"] })],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_article_authors_article",
            columnNames: ["article_id"],
            referencedTableName: "articles",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
          new TableForeignKey({
            name: "fk_article_authors_author",
            columnNames: ["author_id"],
            referencedTableName: "authors",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "article_tags",
        columns: [
          { name: "article_id", type: "integer", isPrimary: true },
          { name: "tag_id", type: "integer", isPrimary: true },
        ],
        indices: [new TableIndex({ name: "idx_article_tags_tag", columnNames: ["tag_id", "article_id"] })],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_article_tags_article",
            columnNames: ["article_id"],
            referencedTableName: "articles",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
          new TableForeignKey({
            name: "fk_article_tags_tag",
            columnNames: ["tag_id"],
            referencedTableName: "tags",
            referencedColumnNames: ["id"],
            onDelete: "RESTRICT",
          }),
        ],
      }),
    );
    await utf8mb4(q, ["sections", "authors", "tags", "articles", "article_authors", "article_tags"]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ["article_tags", "article_authors", "articles", "tags", "authors", "sections"]) {
      await q.dropTable(table);
    }
  }
}
