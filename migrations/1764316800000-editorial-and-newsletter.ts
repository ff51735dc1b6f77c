import { MigrationInterface, QueryRunner, Table, TableColumn, TableForeignKey, TableIndex } from "typeorm";
import { utf8mb4 } from "./portable";

const id = {
  name: "id",
  type: "integer",
  isPrimary: true,
  isGenerated: true,
  generationStrategy: "increment",
} as const;

/** API keys with roles, article versions for conflict detection, newsletter sign-ups and the mail outbox. */
export class EditorialAndNewsletter1764316800000 implements MigrationInterface {
  name = "EditorialAndNewsletter1764316800000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type !== "better-sqlite3";
    const datetime = { type: "datetime", precision: mysql ? 3 : undefined } as const;

    await q.addColumn("articles", new TableColumn({ name: "version", type: "integer", default: 1 }));

    await q.createTable(
      new Table({
        name: "api_keys",
        columns: [
          id,
          { name: "name", type: "varchar", length: "100" },
          { name: "role", type: "enum", enum: ["editor", "admin"], enumName: "api_key_role" },
          // SHA-256 of the key, hex: keys are random and long, so a fast hash is enough and lookups stay indexed.
          { name: "key_hash", type: "varchar", length: "64" },
          { name: "created_at", ...datetime },
          { name: "revoked_at", ...datetime, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: "uq_api_keys_name", columnNames: ["name"], isUnique: true }),
          new TableIndex({ name: "uq_api_keys_hash", columnNames: ["key_hash"], isUnique: true }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "newsletter_subscriptions",
        columns: [
          id,
          { name: "email", type: "varchar", length: "320" },
          { name: "language", type: "varchar", length: "35" },
          { name: "topics", type: "text", isNullable: true },
          { name: "status", type: "enum", enum: ["pending", "subscribed"], enumName: "newsletter_status" },
          { name: "consent_text", type: "text" },
          { name: "consented_at", ...datetime },
          { name: "created_at", ...datetime },
          { name: "confirmed_at", ...datetime, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: "uq_newsletter_subscriptions_email", columnNames: ["email"], isUnique: true }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "newsletter_tokens",
        columns: [
          id,
          { name: "subscription_id", type: "integer" },
          { name: "token_hash", type: "varchar", length: "64" },
          { name: "expires_at", ...datetime },
          { name: "used_at", ...datetime, isNullable: true },
        ],
        indices: [new TableIndex({ name: "uq_newsletter_tokens_hash", columnNames: ["token_hash"], isUnique: true })],
        foreignKeys: [
          new TableForeignKey({
            name: "fk_newsletter_tokens_subscription",
            columnNames: ["subscription_id"],
            referencedTableName: "newsletter_subscriptions",
            referencedColumnNames: ["id"],
            onDelete: "CASCADE",
          }),
        ],
      }),
    );

    await q.createTable(
      new Table({
        name: "outbox",
        columns: [
          id,
          { name: "kind", type: "varchar", length: "50" },
          { name: "recipient", type: "varchar", length: "320" },
          { name: "payload", type: "text" },
          { name: "created_at", ...datetime },
          { name: "sent_at", ...datetime, isNullable: true },
        ],
        indices: [new TableIndex({ name: "idx_outbox_unsent", columnNames: ["sent_at", "id"] })],
      }),
    );
    await utf8mb4(q, ["api_keys", "newsletter_subscriptions", "newsletter_tokens", "outbox"]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ["outbox", "newsletter_tokens", "newsletter_subscriptions", "api_keys"])
      await q.dropTable(table);
    await q.dropColumn("articles", "version");
  }
}
