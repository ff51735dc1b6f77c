import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "newsletter_subscriptions" })
export class NewsletterSubscriptionEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Private: never readable through the API, never logged. */
  @Index("uq_newsletter_subscriptions_email", { unique: true })
  @Column({ type: "varchar", length: 320 })
  email!: string;

  @Column({ type: "varchar", length: 35 })
  language!: string;

  /** JSON array of topic names. */
  @Column({ type: "text", nullable: true })
  topics!: string | null;

  @Column({ type: "simple-enum", enum: ["pending", "subscribed"] })
  status!: "pending" | "subscribed";

  /** The consent line the reader agreed to, as shown. */
  @Column({ type: "text" })
  consentText!: string;

  @Column({ type: "datetime", precision: 3 })
  consentedAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  confirmedAt!: Date | null;
}

@Entity({ name: "newsletter_tokens" })
export class NewsletterTokenEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @ForeignKey(() => NewsletterSubscriptionEntity, { name: "fk_newsletter_tokens_subscription", onDelete: "CASCADE" })
  @Column({ type: "integer" })
  subscriptionId!: number;

  @Index("uq_newsletter_tokens_hash", { unique: true })
  @Column({ type: "varchar", length: 64 })
  tokenHash!: string;

  @Column({ type: "datetime", precision: 3 })
  expiresAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  usedAt!: Date | null;
}

/** Messages for a mailer to send; Courant writes them, a mailer marks them sent. */
@Entity({ name: "outbox" })
@Index("idx_outbox_unsent", ["sentAt", "id"])
export class OutboxEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 50 })
  kind!: string;

  @Column({ type: "varchar", length: 320 })
  recipient!: string;

  @Column({ type: "text" })
  payload!: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  sentAt!: Date | null;
}
