import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity({ name: "sections" })
export class SectionEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Index("uq_sections_slug", { unique: true })
  @Column({ type: "varchar", length: 120 })
  slug!: string;

  @Column({ type: "varchar", length: 200 })
  name!: string;

  @Column({ type: "text", nullable: true })
  description!: string | null;

  @Index("idx_sections_parent")
  @ForeignKey(() => SectionEntity, { name: "fk_sections_parent", onDelete: "SET NULL" })
  @Column({ type: "integer", nullable: true })
  parentId!: number | null;

  @Column({ type: "integer", default: 0 })
  position!: number;
}
