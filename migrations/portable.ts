import type { QueryRunner } from "typeorm";

export const isMysql = (q: QueryRunner) => q.connection.driver.options.type !== "better-sqlite3";

/**
 * Text in every language the site publishes needs utf8mb4, whatever the server's default
 * (a fresh MariaDB defaults to latin1). Tables made by a migration are converted right away,
 * while they are still empty.
 */
export async function utf8mb4(q: QueryRunner, tables: string[]): Promise<void> {
  if (!isMysql(q)) return;
  for (const table of tables) {
    await q.query(`ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  }
}

/** Makes utf8mb4 the database's default too, so later tables start right; needs ALTER on the database. */
export async function utf8mb4Database(q: QueryRunner): Promise<void> {
  if (!isMysql(q)) return;
  const [{ db }] = (await q.query("SELECT DATABASE() AS db")) as Array<{ db: string }>;
  await q.query(`ALTER DATABASE \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
}
