import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { AuthorEntity } from "../author/author.entity";
import { SectionEntity } from "../section/section.entity";
import { TagEntity } from "../tag/tag.entity";

export const ARTICLE_STATUSES = ["draft", "scheduled", "published", "archived"] as const;
export type ArticleStatusValue = (typeof ARTICLE_STATUSES)[number];

/** Made by migrations alone. A constant, since IndexOptions' type lacks the `synchronize` that Index reads. */
const searchIndex = { fulltext: true, synchronize: false };

@Entity({ name: "articles" })
@Index("uq_articles_language_slug", ["language", "slug"], { unique: true })
@Index("idx_articles_published", ["publishedAt", "id", "status", "deletedAt"])
@Index("idx_articles_status_published", ["status", "publishedAt", "id"])
@Index("idx_articles_section_published", ["sectionId", "publishedAt", "id", "status", "deletedAt"])
@Index("idx_articles_language_published", ["language", "publishedAt", "id", "status", "deletedAt"])
@Index("idx_articles_story", ["storyKey", "language", "status", "publishedAt", "deletedAt"])
// Narrow rows by id: trending and related articles check their candidates' visibility here,
// never in the article rows.
@Index("idx_articles_trending", ["id", "status", "publishedAt", "deletedAt", "sectionId", "language", "storyKey"])
// Search: FULLTEXT indexes on MySQL, an FTS5 table fed by triggers on SQLite (see the migration
// ArticleSearch1795764000000). TypeORM must leave them alone: on SQLite it would make plain ones.
@Index("ft_articles_search", ["title", "standfirst", "bodyText"], searchIndex)
@Index("ft_articles_title", ["title"], searchIndex)
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

  /**
   * HTML. Longer than TEXT allows on MySQL: the migration makes it LONGTEXT there, which one
   * decorator cannot say for both dialects (tests/db/schema-sync.test.ts states it instead).
   */
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

  /** A published article's take-down moment: at it, the scheduler unpublishes it (within a second). */
  @Column({ type: "datetime", precision: 3, nullable: true })
  unpublishAt!: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  updatedAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  deletedAt!: Date | null;

  @ForeignKey(() => SectionEntity, { name: "fk_articles_section", onDelete: "RESTRICT" })
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

/**
 * What a link row keeps of its article so that an author's or a tag's feed is one index range
 * (migration LinkFeeds1796626800000): its `publishedAt`, and `listed` (published or scheduled,
 * with a publish time, not deleted; public once `publishedAt` has passed). ArticleStore writes
 * them with every change to the article.
 */
abstract class LinkFeedColumns {
  @Column({ type: "datetime", precision: 3, nullable: true })
  publishedAt!: Date | null;

  @Column({ type: "boolean", default: false })
  listed!: boolean;
}

/** Byline order lives in `position`. */
@Entity({ name: "article_authors" })
@Index("idx_article_authors_author", ["authorId", "articleId"])
@Index("idx_article_authors_feed", ["authorId", "listed", "publishedAt", "articleId"])
export class ArticleAuthorEntity extends LinkFeedColumns {
  @ForeignKey(() => ArticleEntity, { name: "fk_article_authors_article", onDelete: "CASCADE" })
  @PrimaryColumn({ type: "integer" })
  articleId!: number;

  @ForeignKey(() => AuthorEntity, { name: "fk_article_authors_author", onDelete: "RESTRICT" })
  @PrimaryColumn({ type: "integer" })
  authorId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;
}

@Entity({ name: "article_tags" })
@Index("idx_article_tags_tag", ["tagId", "articleId"])
@Index("idx_article_tags_feed", ["tagId", "listed", "publishedAt", "articleId"])
@Index("idx_article_tags_language_feed", ["tagId", "language", "listed", "publishedAt", "articleId"])
export class ArticleTagEntity extends LinkFeedColumns {
  @ForeignKey(() => ArticleEntity, { name: "fk_article_tags_article", onDelete: "CASCADE" })
  @PrimaryColumn({ type: "integer" })
  articleId!: number;

  @ForeignKey(() => TagEntity, { name: "fk_article_tags_tag", onDelete: "RESTRICT" })
  @PrimaryColumn({ type: "integer" })
  tagId!: number;

  /**
   * The article's language (migration TagLinkLanguage1796886000000), so a tag's newest articles in
   * one language are one index range (related articles' candidates). Null only on a row written
   * by the release before, while the migration ran.
   */
  @Column({ type: "varchar", length: 35, nullable: true })
  language!: string | null;
}
