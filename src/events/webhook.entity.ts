import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";

/** Where content events go: a URL, which events, which sections and languages, and a signing secret. */
@Entity({ name: "webhooks" })
export class WebhookEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 2048 })
  url!: string;

  /** JSON array of event types. */
  @Column({ type: "text" })
  events!: string;

  /** JSON array of section ids (their child sections included); empty: every section. */
  @Column({ type: "text" })
  sections!: string;

  /** JSON array of languages; empty: every language. */
  @Column({ type: "text" })
  languages!: string;

  @Column({ type: "varchar", length: 500, nullable: true })
  description!: string | null;

  /** whsec_...: kept to sign; the API shows it once, when it is made. */
  @Column({ type: "varchar", length: 100 })
  secret!: string;

  @Column({ type: "boolean" })
  enabled!: boolean;

  @Column({ type: "varchar", length: 500, nullable: true })
  disabledReason!: string | null;

  /** Events in a row whose delivery failed for good; past WEBHOOK_DISABLE_AFTER the webhook is disabled. */
  @Column({ type: "integer" })
  consecutiveFailures!: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  updatedAt!: Date;
}

/** One event for one webhook: the signed body, and where its delivery stands. */
@Entity({ name: "webhook_deliveries" })
@Index("uq_webhook_deliveries_event", ["webhookId", "eventId"], { unique: true })
@Index("idx_webhook_deliveries_due", ["status", "nextAttemptAt"])
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @ForeignKey(() => WebhookEntity, { name: "fk_webhook_deliveries_webhook", onDelete: "CASCADE" })
  @Column({ type: "integer" })
  webhookId!: number;

  @Column({ type: "integer" })
  eventId!: number;

  @Column({ type: "varchar", length: 40 })
  eventType!: string;

  @Column({ type: "text" })
  payload!: string;

  @Column({ type: "varchar", length: 20 })
  status!: "pending" | "delivered" | "failed";

  @Column({ type: "integer" })
  attempts!: number;

  @Column({ type: "datetime", precision: 3 })
  nextAttemptAt!: Date;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  deliveredAt!: Date | null;
}

/** One try at a delivery: when, the receiver's status, how long, and what went wrong. */
@Entity({ name: "webhook_attempts" })
@Index("idx_webhook_attempts_delivery", ["deliveryId"])
export class WebhookAttemptEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @ForeignKey(() => WebhookDeliveryEntity, { name: "fk_webhook_attempts_delivery", onDelete: "CASCADE" })
  @Column({ type: "integer" })
  deliveryId!: number;

  @Column({ type: "datetime", precision: 3 })
  at!: Date;

  @Column({ type: "integer", nullable: true })
  httpStatus!: number | null;

  @Column({ type: "integer" })
  durationMs!: number;

  @Column({ type: "varchar", length: 500, nullable: true })
  error!: string | null;
}
