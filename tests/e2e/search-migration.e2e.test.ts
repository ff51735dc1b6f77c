import { DataSource } from "typeorm";
import { loadConfig } from "../../src/config";
import { dataSourceOptions } from "../../src/db/data-source";
import { migrations } from "../../migrations";
import { ArticleSearch1795764000000 } from "../../migrations/1795764000000-article-search";
import { SearchUnderscoreWords1795936800000 } from "../../migrations/1795936800000-search-underscore-words";
import { DATABASES, freshDatabase } from "../helpers/databases";

/** More rows than one backfill batch holds, so the batching is exercised. */
const ROWS = 1203;

describe.each(DATABASES)("the search migration on %s", (kind) => {
  it("backfills body_text for existing rows and indexes them", async () => {
    const db = await freshDatabase(kind);
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url, LOG_LEVEL: "silent" });
    const options = await dataSourceOptions(config);
    const before = new DataSource({
      ...options,
      // The later migration that remakes the FTS5 table needs it, so it waits too.
      migrations: migrations.filter(
        (m) => m !== ArticleSearch1795764000000 && m !== SearchUnderscoreWords1795936800000,
      ),
    } as typeof options);
    let ds: DataSource | undefined;
    try {
      await before.initialize();
      await before.runMigrations({ transaction: "each" });
      await before.query("INSERT INTO sections (slug, name, position) VALUES ('s', 'S', 0)");
      const [{ id: sectionId }] = await before.query("SELECT id FROM sections");
      const when = "2026-01-01 00:00:00.000";
      const values: unknown[] = [];
      for (let i = 0; i < ROWS; i++) {
        const body =
          i === ROWS - 1 ? "<h2>Kapitel</h2><p>Die Grüne &amp; Co.<script>x()</script></p>" : `<p>Row ${i} text.</p>`;
        values.push(`k${i}`, `row-${i}`, `Title ${i}`, body, when, when, when, sectionId);
      }
      await before.query(
        "INSERT INTO articles (story_key, slug, language, title, body, status, published_at, created_at, updated_at," +
          ` section_id) VALUES ${Array.from({ length: ROWS }, () => "(?, ?, 'de', ?, ?, 'published', ?, ?, ?, ?)").join(", ")}`,
        values,
      );
      await before.destroy();

      ds = new DataSource(options);
      await ds.initialize();
      const ran = await ds.runMigrations({ transaction: "each" });
      expect(ran.map((m) => m.name)).toEqual(["ArticleSearch1795764000000", "SearchUnderscoreWords1795936800000"]);
      const [{ n }] = await ds.query("SELECT COUNT(*) AS n FROM articles WHERE body_text IS NULL");
      expect(Number(n)).toBe(0);
      const [last] = await ds.query("SELECT body_text FROM articles WHERE slug = ?", [`row-${ROWS - 1}`]);
      expect(last.body_text).toBe("Kapitel\n\nDie Grüne & Co.");
      const match =
        kind === "sqlite"
          ? "SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?"
          : "SELECT id FROM articles WHERE MATCH(title, standfirst, body_text) AGAINST (? IN BOOLEAN MODE)";
      const grune = await ds.query(match, [kind === "sqlite" ? '"grune"' : '+"grune"']);
      expect(grune).toHaveLength(1);
      const row = await ds.query(match, [kind === "sqlite" ? '"row" "1202"' : '+"row" +"1202"']);
      expect(row).toHaveLength(0);
      const text = await ds.query(match, [kind === "sqlite" ? '"1201"' : '+"1201"']);
      expect(text).toHaveLength(1);
    } finally {
      if (before.isInitialized) await before.destroy();
      if (ds?.isInitialized) await ds.destroy();
      await db.drop();
    }
  });

  it("counts underscores in words after the underscore migration, and not after undoing it on SQLite", async () => {
    const db = await freshDatabase(kind);
    const config = loadConfig({ NODE_ENV: "test", DATABASE_URL: db.url, LOG_LEVEL: "silent" });
    const ds = new DataSource(await dataSourceOptions(config));
    try {
      await ds.initialize();
      await ds.runMigrations({ transaction: "each" });
      await ds.query("INSERT INTO sections (slug, name, position) VALUES ('s', 'S', 0)");
      const [{ id: sectionId }] = await ds.query("SELECT id FROM sections");
      const when = "2026-01-01 00:00:00.000";
      await ds.query(
        "INSERT INTO articles (story_key, slug, language, title, body, body_text, status, published_at, created_at," +
          " updated_at, section_id) VALUES ('k', 'a', 'en', 'Port news', '<p>x</p>', 'The harbour_master spoke.'," +
          " 'published', ?, ?, ?, ?)",
        [when, when, when, sectionId],
      );
      const found = async (word: string) =>
        (
          await ds.query(
            kind === "sqlite"
              ? "SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH ?"
              : "SELECT id FROM articles WHERE MATCH(title, standfirst, body_text) AGAINST (? IN BOOLEAN MODE)",
            [kind === "sqlite" ? `"${word}"` : `+"${word}"`],
          )
        ).length;
      expect([await found("harbour"), await found("harbour_master")]).toEqual([0, 1]);
      // Undo the migrations that came after it, then it.
      for (;;) {
        const [last] = await ds.query("SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1");
        await ds.undoLastMigration({ transaction: "each" });
        if (last.name === "SearchUnderscoreWords1795936800000") break;
      }
      // SQLite splits at "_" again; InnoDB always counted it in words.
      expect(await found("harbour")).toBe(kind === "sqlite" ? 1 : 0);
      await ds.runMigrations({ transaction: "each" });
      expect([await found("harbour"), await found("harbour_master")]).toEqual([0, 1]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});
