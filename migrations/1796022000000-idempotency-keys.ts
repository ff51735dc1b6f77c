import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";
import { utf8mb4 } from "./portable";

/** Client mutation ids of creates, so a create retried by a client makes one row, not two. */
export class IdempotencyKeys1796022000000 implements MigrationInterface {
  name = "IdempotencyKeys1796022000000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type !== "better-sqlite3";
    await q.createTable(
      new Table({
        name: "idempotency_keys",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          { name: "principal", type: "varchar", length: "64" },
          { name: "operation", type: "varchar", length: "40" },
          { name: "client_key", type: "varchar", length: "100" },
          { name: "request_hash", type: "varchar", length: "64" },
          { name: "result_id", type: "integer" },
          { name: "created_at", type: "datetime", precision: mysql ? 3 : undefined },
        ],
        indices: [
          new TableIndex({
            name: "uq_idempotency_keys_client",
            columnNames: ["principal", "operation", "client_key"],
            isUnique: true,
          }),
          new TableIndex({ name: "idx_idempotency_keys_created", columnNames: ["created_at"] }),
        ],
      }),
    );
    await utf8mb4(q, ["idempotency_keys"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("idempotency_keys");
  }
}
