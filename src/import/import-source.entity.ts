import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export const IMPORT_SOURCE_KINDS = ["post", "category", "tag", "user"] as const;
export type ImportSourceKind = (typeof IMPORT_SOURCE_KINDS)[number];

/** Which local row an imported item became, so re-running an import updates instead of duplicating. */
@Entity({ name: "import_sources" })
@Index("uq_import_sources_external", ["source", "kind", "externalId"], { unique: true })
@Index("idx_import_sources_local", ["kind", "localId"])
export class ImportSourceEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 255 })
  source!: string;

  @Column({ type: "simple-enum", enum: IMPORT_SOURCE_KINDS })
  kind!: ImportSourceKind;

  @Column({ type: "varchar", length: 64 })
  externalId!: string;

  /** articles.id, sections.id, tags.id or authors.id, by kind. */
  @Column({ type: "integer" })
  localId!: number;

  @Column({ type: "datetime", precision: 3, nullable: true })
  sourceModifiedAt!: Date | null;

  @Column({ type: "varchar", length: 20, nullable: true })
  sourceStatus!: string | null;

  @Column({ type: "datetime", precision: 3 })
  importedAt!: Date;
}
