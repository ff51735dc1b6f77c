import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * One content event: written in the transaction that makes the change, so a committed change
 * always has its event and a rolled-back one never does (the transactional outbox pattern).
 */
@Entity({ name: "content_events" })
@Index("idx_content_events_created", ["createdAt"])
export class ContentEventEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 40 })
  type!: string;

  /** What the change touches, as JSON (a ContentChange without its kind). */
  @Column({ type: "text" })
  touches!: string;

  @Column({ type: "datetime", precision: 3 })
  effectiveAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;
}

/** A scheduled moment of an article: published at `dueAt`, or taken down at it. */
@Entity({ name: "content_moments" })
@Index("idx_content_moments_due", ["doneAt", "dueAt"])
@Index("idx_content_moments_article", ["articleId"])
export class ContentMomentEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "integer" })
  articleId!: number;

  @Column({ type: "varchar", length: 20 })
  kind!: "publish" | "unpublish";

  @Column({ type: "datetime", precision: 3 })
  dueAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  doneAt!: Date | null;
}
