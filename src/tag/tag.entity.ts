import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "tags" })
export class TagEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index("uq_tags_slug", { unique: true })
  @Column({ type: "varchar", length: 120 })
  slug!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;
}
