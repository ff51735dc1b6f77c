import { MigrationInterface, QueryRunner, Table, TableForeignKey, TableIndex } from "typeorm";
import { isMysql, utf8mb4 } from "./portable";

/** Webhooks: where content events go, each event's delivery to each webhook, and every attempt. */
export class Webhooks1796194800000 implements MigrationInterface {
  name = "Webhooks1796194800000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = isMysql(q);
    const datetime = { type: "datetime", precision: mysql ? 3 : undefined } as const;
    const id = {
      name: "id",
      type: "integer",
      isPrimary: true,
      isGenerated: true,
      generationStrategy: "increment",
    } as const;
    await q.createTable(
      new Table({
        name: "webhooks",
        columns: [
          id,
          { name: "url", type: "varchar", length: "2048" },
          // JSON arrays: event types, section ids, languages (empty: all).
          { name: "events", type: "text" },
          { name: "sections", type: "text" },
          { name: "languages", type: "text" },
          { name: "description", type: "varchar", length: "500", isNullable: true },
          // The signing secret (whsec_...): kept to sign, never returned after creation.
          { name: "secret", type: "varchar", length: "100" },
          { name: "enabled", type: "boolean" },
          { name: "disabled_reason", type: "varchar", length: "500", isNullable: true },
          { name: "consecutive_failures", type: "integer" },
          { name: "created_at", ...datetime },
          { name: "updated_at", ...datetime },
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "webhook_deliveries",
        columns: [
          id,
          { name: "webhook_id", type: "integer" },
          { name: "event_id", type: "integer" },
          { name: "event_type", type: "varchar", length: "40" },
          // The exact body that is signed and sent, made when the event was written.
          { name: "payload", type: "text" },
          // pending | delivered | failed
          { name: "status", type: "varchar", length: "20" },
          { name: "attempts", type: "integer" },
          { name: "next_attempt_at", ...datetime },
          { name: "created_at", ...datetime },
          { name: "delivered_at", ...datetime, isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: "uq_webhook_deliveries_event",
            columnNames: ["webhook_id", "event_id"],
            isUnique: true,
          }),
          new TableIndex({ name: "idx_webhook_deliveries_due", columnNames: ["status", "next_attempt_at"] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_webhook_deliveries_webhook",
            columnNames: ["webhook_id"],
            referencedTableName: "webhooks",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "webhook_attempts",
        columns: [
          id,
          { name: "delivery_id", type: "integer" },
          { name: "at", ...datetime },
          { name: "http_status", type: "integer", isNullable: true },
          { name: "duration_ms", type: "integer" },
          { name: "error", type: "varchar", length: "500", isNullable: true },
        ],
        indices: [new TableIndex({ name: "idx_webhook_attempts_delivery", columnNames: ["delivery_id"] })],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_webhook_attempts_delivery",
            columnNames: ["delivery_id"],
            referencedTableName: "webhook_deliveries",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );
    await utf8mb4(q, ["webhooks", "webhook_deliveries", "webhook_attempts"]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("webhook_attempts");
    await q.dropTable("webhook_deliveries");
    await q.dropTable("webhooks");
  }
}
