import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";
import { ArticleEntity } from "./article.entity";

/** One saved version of an article, immutable: written by the write core in the save's transaction. */
@Entity({ name: "article_revisions" })
@Index("uq_article_revisions_version", ["articleId", "version"], { unique: true })
export class ArticleRevisionEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @ForeignKey(() => ArticleEntity, { name: "fk_article_revisions_article", onDelete: "CASCADE" })
  @Column({ type: "integer" })
  articleId!: number;

  @Column({ type: "integer" })
  version!: number;

  @Column({ type: "datetime", precision: 3 })
  savedAt!: Date;

  @Column({ type: "varchar", length: 100 })
  savedBy!: string;

  /** RevisionContent as JSON (see article.revisions.ts). */
  @Column({ type: "text" })
  content!: string;

  /** JSON array of the fields that differ from the revision before. */
  @Column({ type: "text" })
  changed!: string;

  @Column({ type: "boolean" })
  published!: boolean;
}
