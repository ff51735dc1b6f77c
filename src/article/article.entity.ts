import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

export const ARTICLE_STATUSES = ["draft", "scheduled", "published", "archived"] as const;
export type ArticleStatusValue = (typeof ARTICLE_STATUSES)[number];

@Entity({ name: "articles" })
@Index("uq_articles_language_slug", ["language", "slug"], { unique: true })
@Index("idx_articles_published", ["publishedAt", "id", "status", "deletedAt"])
@Index("idx_articles_status_published", ["status", "publishedAt", "id"])
@Index("idx_articles_section_published", ["sectionId", "publishedAt", "id", "status", "deletedAt"])
@Index("idx_articles_language_published", ["language", "publishedAt", "id", "status", "deletedAt"])
@Index("idx_articles_story", ["storyKey", "language", "status", "publishedAt", "deletedAt"])
export class ArticleEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Shared by the language versions of one story. */
  @Column({ type: "varchar", length: 36 })
  storyKey!: string;

  @Column({ type: "varchar", length: 200 })
  slug!: string;

  @Column({ type: "varchar", length: 35 })
  language!: string;

  @Column({ type: "varchar", length: 300 })
  title!: string;

  @Column({ type: "text", nullable: true })
  standfirst!: string | null;

  /** HTML. Longer than TEXT allows on MySQL: the migration makes it LONGTEXT there. */
  @Column({ type: "text" })
  body!: string;

  /**
   * Plain text of `body`, what full-text search indexes (LONGTEXT on MySQL, where the
   * ft_articles_title and ft_articles_search FULLTEXT indexes cover it; an FTS5 table fed by
   * triggers on SQLite). ArticleBodyTextSubscriber fills it on every entity write.
   */
  @Column({ type: "text", nullable: true })
  bodyText!: string | null;

  @Column({ type: "simple-enum", enum: ARTICLE_STATUSES, default: "draft" })
  status!: ArticleStatusValue;

  @Column({ type: "datetime", precision: 3, nullable: true })
  publishedAt!: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  updatedAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  deletedAt!: Date | null;

  @Column({ type: "integer" })
  sectionId!: number;

  @Column({ type: "varchar", length: 2048, nullable: true })
  heroImageUrl!: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  heroImageAlt!: string | null;

  @Column({ type: "varchar", length: 1000, nullable: true })
  heroImageCaption!: string | null;

  @Column({ type: "varchar", length: 300, nullable: true })
  heroImageCredit!: string | null;

  @Column({ type: "integer", nullable: true })
  heroImageWidth!: number | null;

  @Column({ type: "integer", nullable: true })
  heroImageHeight!: number | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  sourceName!: string | null;

  @Column({ type: "varchar", length: 2048, nullable: true })
  sourceUrl!: string | null;

  @Column({ type: "text", nullable: true })
  disclaimer!: string | null;

  /** Bumped on every change; an update based on an older version is refused. */
  @Column({ type: "integer", default: 1 })
  version!: number;
}

/** Byline order lives in `position`. */
@Entity({ name: "article_authors" })
@Index("idx_article_authors_author", ["authorId", "articleId"])
export class ArticleAuthorEntity {
  @PrimaryColumn({ type: "integer" })
  articleId!: number;

  @PrimaryColumn({ type: "integer" })
  authorId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;
}

@Entity({ name: "article_tags" })
@Index("idx_article_tags_tag", ["tagId", "articleId"])
export class ArticleTagEntity {
  @PrimaryColumn({ type: "integer" })
  articleId!: number;

  @PrimaryColumn({ type: "integer" })
  tagId!: number;
}
