import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "authors" })
export class AuthorEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index("uq_authors_slug", { unique: true })
  @Column({ type: "varchar", length: 120 })
  slug!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;

  @Column({ type: "varchar", length: 200, nullable: true })
  role!: string | null;

  @Column({ type: "text", nullable: true })
  bio!: string | null;

  /** Private: never selected by the public read paths, never a filter. */
  @Column({ type: "varchar", length: 320, nullable: true })
  email!: string | null;

  @Column({ type: "varchar", length: 2048, nullable: true })
  avatarUrl!: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  avatarAlt!: string | null;

  @Column({ type: "integer", nullable: true })
  avatarWidth!: number | null;

  @Column({ type: "integer", nullable: true })
  avatarHeight!: number | null;
}
