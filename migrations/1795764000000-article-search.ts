import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from "typeorm";
import { articleBodyText } from "../src/article/article.text";

/** Rows read, converted and written back per backfill statement. */
const BACKFILL_BATCH = 500;

/**
 * Full-text search: `articles.body_text` (the body as plain text), backfilled here, and the
 * search index over title, standfirst and body_text.
 *
 * MySQL/MariaDB: FULLTEXT indexes, one over the three columns (matching and relevance) and one
 * over the title alone (so title matches can weigh more). They are built without a stopword
 * list: the built-in one is English and drops words such as "de", "la", "die" and "und".
 *
 * SQLite: an external-content FTS5 table that folds case and diacritics, kept in step by
 * triggers on `articles`, so every write path (raw SQL included) updates it. A later migration
 * that rebuilds `articles` (TypeORM's addColumn/changeColumn do on SQLite) drops these
 * triggers and must create them again; tests/e2e/search.e2e.test.ts checks they exist.
 */
export class ArticleSearch1795764000000 implements MigrationInterface {
  name = "ArticleSearch1795764000000";

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.driver.options.type === "better-sqlite3") {
      // TypeORM's addColumn rebuilds the table on SQLite; a plain ADD COLUMN is instant.
      await q.query(`ALTER TABLE "articles" ADD COLUMN "body_text" text NULL`);
      await backfill(q);
      await q.query(
        `CREATE VIRTUAL TABLE "articles_fts" USING fts5(title, standfirst, body_text,` +
          ` content='articles', content_rowid='id', tokenize='unicode61 remove_diacritics 2')`,
      );
      for (const statement of SQLITE_TRIGGERS) await q.query(statement);
      await q.query(`INSERT INTO "articles_fts"("articles_fts") VALUES ('rebuild')`);
      return;
    }

    // MySQL DDL is not transactional, so every step checks first: a run that failed halfway
    // (or was interrupted) resumes where it stopped.
    const restore = await relaxSession(q);
    try {
      if (!(await q.hasColumn("articles", "body_text"))) {
        await q.addColumn("articles", new TableColumn({ name: "body_text", type: "longtext", isNullable: true }));
      }
      // Before the indexes exist, so they are built once over the filled column.
      await backfill(q);
      const existing = new Set((await q.getTable("articles"))?.indices.map((i) => i.name));
      // One at a time: InnoDB builds only one FULLTEXT index per statement.
      for (const [name, columnNames] of [
        ["ft_articles_search", ["title", "standfirst", "body_text"]],
        ["ft_articles_title", ["title"]],
      ] as const) {
        if (!existing.has(name)) {
          await q.createIndex("articles", new TableIndex({ name, columnNames: [...columnNames], isFulltext: true }));
        }
      }
    } finally {
      await restore();
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.driver.options.type === "better-sqlite3") {
      for (const trigger of ["trg_articles_fts_insert", "trg_articles_fts_delete", "trg_articles_fts_update"]) {
        await q.query(`DROP TRIGGER IF EXISTS "${trigger}"`);
      }
      await q.query(`DROP TABLE IF EXISTS "articles_fts"`);
      await q.query(`ALTER TABLE "articles" DROP COLUMN "body_text"`);
      return;
    }
    await q.dropIndex("articles", "ft_articles_title");
    await q.dropIndex("articles", "ft_articles_search");
    await q.dropColumn("articles", "body_text");
  }
}

const SQLITE_FTS_ROW = "title, standfirst, body_text";
const SQLITE_TRIGGERS = [
  `CREATE TRIGGER "trg_articles_fts_insert" AFTER INSERT ON "articles" BEGIN
     INSERT INTO "articles_fts"(rowid, ${SQLITE_FTS_ROW}) VALUES (new.id, new.title, new.standfirst, new.body_text);
   END`,
  `CREATE TRIGGER "trg_articles_fts_delete" AFTER DELETE ON "articles" BEGIN
     INSERT INTO "articles_fts"("articles_fts", rowid, ${SQLITE_FTS_ROW})
       VALUES ('delete', old.id, old.title, old.standfirst, old.body_text);
   END`,
  // An external-content index forgets a row by being told exactly what it indexed.
  `CREATE TRIGGER "trg_articles_fts_update" AFTER UPDATE OF id, title, standfirst, body_text ON "articles" BEGIN
     INSERT INTO "articles_fts"("articles_fts", rowid, ${SQLITE_FTS_ROW})
       VALUES ('delete', old.id, old.title, old.standfirst, old.body_text);
     INSERT INTO "articles_fts"(rowid, ${SQLITE_FTS_ROW}) VALUES (new.id, new.title, new.standfirst, new.body_text);
   END`,
];

/**
 * For this session only: no stopword list for the FULLTEXT indexes built here (the built-in
 * one is English and drops "de", "la", "die", "und", ...), and no statement time cap, since
 * building them over 100k articles takes longer than any request should. Returns the undo.
 */
async function relaxSession(q: QueryRunner): Promise<() => Promise<void>> {
  const cap = q.connection.driver.options.type === "mariadb" ? "max_statement_time" : "max_execution_time";
  const [before] = (await q.query(
    `SELECT @@SESSION.innodb_ft_enable_stopword AS stopwords, @@SESSION.${cap} AS cap`,
  )) as Array<{ stopwords: unknown; cap: unknown }>;
  await q.query(`SET SESSION innodb_ft_enable_stopword = OFF, SESSION ${cap} = 0`);
  return async () => {
    await q.query(`SET SESSION innodb_ft_enable_stopword = ?, SESSION ${cap} = ?`, [
      Number(before!.stopwords) ? 1 : 0,
      Number(before!.cap),
    ]);
  };
}

/**
 * Fills body_text where it is missing, in id order, a batch per statement (each its own
 * transaction on MySQL, where the column's DDL already committed).
 */
async function backfill(q: QueryRunner): Promise<void> {
  let after = 0;
  for (;;) {
    const rows = (await q.query(
      `SELECT id, body FROM articles WHERE id > ? AND body_text IS NULL ORDER BY id LIMIT ${BACKFILL_BATCH}`,
      [after],
    )) as Array<{ id: unknown; body: unknown }>;
    if (rows.length === 0) return;
    const params: unknown[] = [];
    for (const r of rows) params.push(Number(r.id), articleBodyText(String(r.body ?? "")));
    const ids = rows.map((r) => Number(r.id));
    await q.query(
      `UPDATE articles SET body_text = CASE id ${rows.map(() => "WHEN ? THEN ?").join(" ")} END` +
        ` WHERE id IN (${ids.map(() => "?").join(", ")})`,
      [...params, ...ids],
    );
    after = ids[ids.length - 1]!;
  }
}
