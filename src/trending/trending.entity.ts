import { Column, Entity, Index, PrimaryColumn } from "typeorm";

/** Views of one article in one 5-minute bucket; written by additive upserts from every gateway. */
@Entity({ name: "article_view_buckets" })
@Index("idx_article_view_buckets_article", ["articleId", "bucketStart", "views"])
export class ArticleViewBucketEntity {
  @PrimaryColumn({ type: "datetime", precision: 3, primaryKeyConstraintName: "pk_article_view_buckets" })
  bucketStart!: Date;

  @PrimaryColumn({ type: "integer", primaryKeyConstraintName: "pk_article_view_buckets" })
  articleId!: number;

  @Column({ type: "integer" })
  views!: number;
}

/**
 * Per article and window: log2 of the sum of views × 2^(bucket time / half-life) over every
 * view ever written. It bounds the article's decayed score in the window from above, so a
 * ranking reads articles in this order and stops once no unread one can still make the list.
 */
@Entity({ name: "trending_scores" })
@Index("idx_trending_scores_hour", ["hourKey", "articleId"])
@Index("idx_trending_scores_day", ["dayKey", "articleId"])
@Index("idx_trending_scores_week", ["weekKey", "articleId"])
export class TrendingScoreEntity {
  @PrimaryColumn({ type: "integer", primaryKeyConstraintName: "pk_trending_scores" })
  articleId!: number;

  @Column({ type: "double" })
  hourKey!: number;

  @Column({ type: "double" })
  dayKey!: number;

  @Column({ type: "double" })
  weekKey!: number;
}

/** Small facts shared by the gateways on one database, e.g. the half-lives the scores were built with. */
@Entity({ name: "trending_state" })
export class TrendingStateEntity {
  @PrimaryColumn({ type: "varchar", length: 64, primaryKeyConstraintName: "pk_trending_state" })
  name!: string;

  @Column({ type: "varchar", length: 255 })
  value!: string;
}
