import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";
import { isMysql, utf8mb4 } from "./portable";

/** The operations client apps registered at build time (`courant documents add`), shared by every instance. */
export class TrustedDocuments1796540400000 implements MigrationInterface {
  name = "TrustedDocuments1796540400000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    await q.createTable(
      new Table({
        name: "trusted_documents",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          // The client's name, as its `apollographql-client-name` header says it.
          { name: "client_name", type: "varchar", length: "100" },
          // The id the client sends: a manifest's id (Apollo: SHA-256 of the body; Relay: its own).
          { name: "document_id", type: "varchar", length: "128" },
          // SHA-256 (hex) of the body: what Apollo's persisted-query extension and `sha256:` ids carry.
          { name: "hash", type: "varchar", length: "64" },
          { name: "operation_name", type: "varchar", length: "200", isNullable: true },
          { name: "body", type: "text" },
          // The app version that last registered it; `documents remove --version` retires what only it used.
          { name: "client_version", type: "varchar", length: "100", isNullable: true },
          { name: "added_at", type: "datetime", precision: mysql ? 3 : undefined },
        ],
        indices: [
          new TableIndex({
            name: "uq_trusted_documents_client_document",
            columnNames: ["client_name", "document_id"],
            isUnique: true,
          }),
          new TableIndex({ name: "idx_trusted_documents_document", columnNames: ["document_id"] }),
          new TableIndex({ name: "idx_trusted_documents_hash", columnNames: ["hash"] }),
        ],
      }),
    );
    await utf8mb4(q, ["trusted_documents"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("trusted_documents");
  }
}
