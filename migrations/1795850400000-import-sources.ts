import { MigrationInterface, QueryRunner, Table, TableIndex } from "typeorm";

/**
 * Where imported rows came from: one row per imported post, category, tag or user, so a
 * re-run updates what it imported before (ids stay stable) instead of adding it again.
 */
export class ImportSources1795850400000 implements MigrationInterface {
  name = "ImportSources1795850400000";

  async up(q: QueryRunner): Promise<void> {
    const mysql = q.connection.driver.options.type !== "better-sqlite3";
    const datetime = { type: "datetime", precision: mysql ? 3 : undefined } as const;
    await q.createTable(
      new Table({
        name: "import_sources",
        columns: [
          { name: "id", type: "integer", isPrimary: true, isGenerated: true, generationStrategy: "increment" },
          // e.g. "wordpress:db.example.com/wordpress/wp_" or "wordpress:https://example.com"
          { name: "source", type: "varchar", length: "255" },
          { name: "kind", type: "enum", enum: ["post", "category", "tag", "user"], enumName: "import_source_kind" },
          { name: "external_id", type: "varchar", length: "64" },
          { name: "local_id", type: "integer" },
          // What the source said when we last took it; equal on a re-run means nothing to do.
          { name: "source_modified_at", ...datetime, isNullable: true },
          { name: "source_status", type: "varchar", length: "20", isNullable: true },
          { name: "imported_at", ...datetime },
        ],
        indices: [
          new TableIndex({
            name: "uq_import_sources_external",
            columnNames: ["source", "kind", "external_id"],
            isUnique: true,
          }),
          new TableIndex({ name: "idx_import_sources_local", columnNames: ["kind", "local_id"] }),
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable("import_sources");
  }
}
