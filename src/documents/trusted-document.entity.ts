import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** One operation a client registered at build time; see migrations/1796540400000-trusted-documents.ts. */
@Entity({ name: "trusted_documents" })
@Index("uq_trusted_documents_client_document", ["clientName", "documentId"], { unique: true })
export class TrustedDocumentEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 100 })
  clientName!: string;

  @Index("idx_trusted_documents_document")
  @Column({ type: "varchar", length: 128 })
  documentId!: string;

  @Index("idx_trusted_documents_hash")
  @Column({ type: "varchar", length: 64 })
  hash!: string;

  @Column({ type: "varchar", length: 200, nullable: true })
  operationName!: string | null;

  @Column({ type: "text" })
  body!: string;

  @Column({ type: "varchar", length: 100, nullable: true })
  clientVersion!: string | null;

  @Column({ type: "datetime", precision: 3 })
  addedAt!: Date;
}
