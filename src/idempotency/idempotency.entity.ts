import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * A create sent with a client mutation id, so the same create sent again (a client that lost the
 * answer and retried) returns what the first one made instead of making a second one.
 */
@Entity({ name: "idempotency_keys" })
@Index("uq_idempotency_keys_client", ["principal", "operation", "clientKey"], { unique: true })
@Index("idx_idempotency_keys_created", ["createdAt"])
export class IdempotencyKeyEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Who sent it (the API key's id): one client's ids never collide with another's. */
  @Column({ type: "varchar", length: 64 })
  principal!: string;

  /** createArticle, createSection, createAuthor. */
  @Column({ type: "varchar", length: 40 })
  operation!: string;

  @Column({ type: "varchar", length: 100 })
  clientKey!: string;

  /** SHA-256 of the input, so an id reused for a different create is refused, not replayed. */
  @Column({ type: "varchar", length: 64 })
  requestHash!: string;

  /** The id of what the create made. */
  @Column({ type: "integer" })
  resultId!: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;
}
