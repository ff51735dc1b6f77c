import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";

/**
 * Trending: views per article in 5-minute buckets, a per-article decayed score bound per window
 * that lets a ranking read only the top of an index, and a narrow index on articles so the
 * ranking checks visibility and filters without reading article bodies.
 *
 * No foreign key from the views to articles on purpose: a batch of buffered views must not fail
 * because one of its articles was hard-deleted meanwhile. Such rows are never shown (rankings
 * join visible articles) and are pruned with the rest after the retention time.
 */
export class TrendingViews1764403200000 implements MigrationInterface {
  name = "TrendingViews1764403200000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type !== "better-sqlite3";

    await q.createTable(
      new Table({
        name: "article_view_buckets",
        columns: [
          {
            name: "bucket_start",
            type: "datetime",
            precision: mysql ? 3 : undefined,
            isPrimary: true,
            primaryKeyConstraintName: "pk_article_view_buckets",
          },
          { name: "article_id", type: "integer", isPrimary: true, primaryKeyConstraintName: "pk_article_view_buckets" },
          { name: "views", type: "integer" },
        ],
        indices: [
          // The primary key (bucket_start, article_id) makes a window a range scan and pruning cheap;
          // this one gives the window sums of a few candidate articles without touching the table.
          new TableIndex({
            name: "idx_article_view_buckets_article",
            columnNames: ["article_id", "bucket_start", "views"],
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "trending_scores",
        columns: [
          { name: "article_id", type: "integer", isPrimary: true, primaryKeyConstraintName: "pk_trending_scores" },
          // log2 of the sum of views × 2^(bucket time / half-life), one per window's half-life.
          { name: "hour_key", type: "double" },
          { name: "day_key", type: "double" },
          { name: "week_key", type: "double" },
        ],
        indices: [
          new TableIndex({ name: "idx_trending_scores_hour", columnNames: ["hour_key", "article_id"] }),
          new TableIndex({ name: "idx_trending_scores_day", columnNames: ["day_key", "article_id"] }),
          new TableIndex({ name: "idx_trending_scores_week", columnNames: ["week_key", "article_id"] }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "trending_state",
        columns: [
          {
            name: "name",
            type: "varchar",
            length: "64",
            isPrimary: true,
            primaryKeyConstraintName: "pk_trending_state",
          },
          { name: "value", type: "varchar", length: "255" },
        ],
      }),
    );

    await q.createIndex(
      "articles",
      new TableIndex({
        name: "idx_articles_trending",
        columnNames: ["id", "status", "published_at", "deleted_at", "section_id", "language"],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex("articles", "idx_articles_trending");
    await q.dropTable("trending_state");
    await q.dropTable("trending_scores");
    await q.dropTable("article_view_buckets");
  }
}
