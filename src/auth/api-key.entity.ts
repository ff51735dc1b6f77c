import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export const API_KEY_ROLES = ["editor", "admin"] as const;
export type ApiKeyRole = (typeof API_KEY_ROLES)[number];

@Entity({ name: "api_keys" })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index("uq_api_keys_name", { unique: true })
  @Column({ type: "varchar", length: 100 })
  name!: string;

  @Column({ type: "simple-enum", enum: API_KEY_ROLES })
  role!: ApiKeyRole;

  /** SHA-256 of the key; the key itself is shown once and never stored. */
  @Index("uq_api_keys_hash", { unique: true })
  @Column({ type: "varchar", length: 64 })
  keyHash!: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt!: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  revokedAt!: Date | null;
}
