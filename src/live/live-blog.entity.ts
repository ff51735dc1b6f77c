import { Column, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
import { ArticleEntity } from "../article/article.entity";
import { AuthorEntity } from "../author/author.entity";

export const LIVE_BLOG_STATUSES = ["live", "ended"] as const;
export type LiveBlogStatusValue = (typeof LIVE_BLOG_STATUSES)[number];

/** The live coverage an article carries (at most one, keyed by the article). */
@Entity({ name: "live_blogs" })
export class LiveBlogEntity {
  @ForeignKey(() => ArticleEntity, { name: "fk_live_blogs_article", onDelete: "CASCADE" })
  @PrimaryColumn({ type: "integer" })
  articleId!: number;

  @Column({ type: "varchar", length: 10 })
  status!: LiveBlogStatusValue;

  @Column({ type: "datetime", precision: 3 })
  startedAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  endedAt!: Date | null;

  @Column({ type: "integer", nullable: true })
  pinnedPostId!: number | null;

  /** Counts the blog's changes: every write takes the next number (under the row's lock). */
  @Column({ type: "integer", default: 0 })
  seq!: number;

  @Column({ type: "datetime", precision: 3 })
  updatedAt!: Date;
}

@Entity({ name: "live_posts" })
@Index("idx_live_posts_feed", ["articleId", "publishedAt", "id"])
@Index("idx_live_posts_seq", ["articleId", "seq"])
export class LivePostEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @ForeignKey(() => LiveBlogEntity, { name: "fk_live_posts_blog", onDelete: "CASCADE" })
  @Column({ type: "integer" })
  articleId!: number;

  @Column({ type: "varchar", length: 300, nullable: true })
  title!: string | null;

  /** Sanitised HTML, by the same allow-list as article bodies. */
  @Column({ type: "text" })
  body!: string;

  @Column({ type: "boolean", default: false })
  keyEvent!: boolean;

  @Column({ type: "datetime", precision: 3 })
  publishedAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  updatedAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  deletedAt!: Date | null;

  /** The blog's change number at this post's last change. */
  @Column({ type: "integer" })
  seq!: number;

  @Column({ type: "integer", default: 1 })
  version!: number;
}

/** Byline order lives in `position`. */
@Entity({ name: "live_post_authors" })
@Index("idx_live_post_authors_author", ["authorId", "postId"])
export class LivePostAuthorEntity {
  @ForeignKey(() => LivePostEntity, { name: "fk_live_post_authors_post", onDelete: "CASCADE" })
  @PrimaryColumn({ type: "integer" })
  postId!: number;

  @ForeignKey(() => AuthorEntity, { name: "fk_live_post_authors_author", onDelete: "RESTRICT" })
  @PrimaryColumn({ type: "integer" })
  authorId!: number;

  @Column({ type: "integer", default: 0 })
  position!: number;
}
