import { MigrationInterface, QueryRunner } from "typeorm";

const FTS_TABLE = (tokenize: string) =>
  `CREATE VIRTUAL TABLE "articles_fts" USING fts5(title, standfirst, body_text,` +
  ` content='articles', content_rowid='id', tokenize="${tokenize}")`;

/**
 * Search words may hold underscores, as MySQL's: InnoDB's FULLTEXT parser counts "_" as part of
 * a word ("harbour_master" is one word there, and "harbour" does not find it), while SQLite's
 * FTS5 split words at it. SQLite: the FTS5 table is made again with "_" as a word character and
 * rebuilt from `articles` (its triggers name it and keep working). MySQL: nothing to change.
 */
export class SearchUnderscoreWords1795936800000 implements MigrationInterface {
  name = "SearchUnderscoreWords1795936800000";

  async up(q: QueryRunner): Promise<void> {
    await this.remake(q, "unicode61 remove_diacritics 2 tokenchars '_'");
  }

  async down(q: QueryRunner): Promise<void> {
    await this.remake(q, "unicode61 remove_diacritics 2");
  }

  private async remake(q: QueryRunner, tokenize: string): Promise<void> {
    if (q.connection.driver.options.type !== "better-sqlite3") return;
    await q.query(`DROP TABLE "articles_fts"`);
    await q.query(FTS_TABLE(tokenize));
    await q.query(`INSERT INTO "articles_fts"("articles_fts") VALUES ('rebuild')`);
  }
}
