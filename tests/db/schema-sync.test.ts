import { Column, DataSource, Entity, type EntityMetadata } from "typeorm";
import { loadConfig } from "../../src/config";
import { dataSourceOptions, migrate, openDataSource } from "../../src/db/data-source";
import { TrendingStateEntity } from "../../src/trending/trending.entity";
import { DATABASES, freshDatabase, type DbKind } from "../helpers/databases";

/** What TypeORM's schema builder would run to make the database match the entities. */
async function pendingSchemaChanges(ds: DataSource): Promise<string[]> {
  const sql = await ds.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => (q.parameters?.length ? `${q.query} -- ${JSON.stringify(q.parameters)}` : q.query));
}

/** The data source finds its entities by file name, so they are looked up here by table. */
function table(ds: DataSource, name: string): EntityMetadata {
  const metadata = ds.entityMetadatas.find((m) => m.tableName === name);
  if (!metadata) throw new Error(`no entity for the table ${name}`);
  return metadata;
}

/**
 * What one set of decorators cannot say for both dialects. TypeORM reads an entity's decorators
 * once, for SQLite and MySQL alike; where the migrations rightly make something different on
 * each, the entity states one and this, applied to this data source's metadata only, the other.
 * Everything else about these columns and keys is still compared. Keep this list short: any
 * other difference belongs in an entity, or in a migration.
 */
async function describeDialect(ds: DataSource, kind: DbKind): Promise<void> {
  if (kind === "sqlite") {
    // SQLite keeps datetimes as text and has no fractional-second precision to declare, so the
    // migrations leave `(3)` off there; TypeORM writes the milliseconds either way.
    for (const metadata of ds.entityMetadatas) {
      for (const column of metadata.columns) if (column.type === "datetime") column.precision = undefined;
    }
    return;
  }
  // An article's HTML, and its text, can outgrow MySQL's TEXT (64 KB): LONGTEXT there, while
  // SQLite has one TEXT type for every length.
  const articles = table(ds, "articles");
  for (const property of ["body", "bodyText"]) articles.findColumnWithPropertyName(property)!.type = "longtext";
  table(ds, "article_revisions").findColumnWithPropertyName("content")!.type = "longtext";
  // The migrations leave ON UPDATE unsaid. MariaDB reads that back as RESTRICT, which InnoDB
  // treats exactly as NO ACTION (what TypeORM assumes when an entity leaves it unsaid too).
  const runner = ds.createQueryRunner();
  try {
    const tables = await runner.getTables(ds.entityMetadatas.map((m) => m.tableName));
    for (const metadata of ds.entityMetadatas) {
      const made = tables.find((t) => t.name === metadata.tableName);
      for (const fk of metadata.foreignKeys) {
        const actual = made?.foreignKeys.find((f) => f.name === fk.name)?.onUpdate;
        if (fk.onUpdate === "NO ACTION" && actual === "RESTRICT") fk.onUpdate = "RESTRICT";
      }
    }
  } finally {
    await runner.release();
  }
}

function failureMessage(kind: DbKind, pending: string[]): string {
  return (
    `The entities (src/*/*.entity.ts) and the migrated ${kind} schema differ; TypeORM's schema builder would run:\n\n` +
    pending.map((q) => `  ${q};`).join("\n") +
    "\n\nMake the entity describe what the migrations make, or add a migration that makes what the entity says."
  );
}

/** trending_state as an entity that has a column no migration made. */
@Entity({ name: "trending_state" })
class TrendingStateWithProbe extends TrendingStateEntity {
  @Column({ type: "integer", nullable: true })
  schemaSyncProbe!: number | null;
}

describe.each(DATABASES)("migrations match entities on %s", (kind) => {
  let ds: DataSource;
  let url: string;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase(kind);
    url = db.url;
    drop = db.drop;
    ds = await openDataSource(loadConfig({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent" }), undefined, {
      uncapped: true,
    });
    await migrate(ds);
    await describeDialect(ds, kind);
  });

  afterAll(async () => {
    await ds?.destroy();
    await drop?.();
  });

  it("leaves nothing for the schema builder to change", async () => {
    const pending = await pendingSchemaChanges(ds);
    if (pending.length > 0) throw new Error(failureMessage(kind, pending));
  });

  it("made the search indexes TypeORM is told to leave alone", async () => {
    const runner = ds.createQueryRunner();
    try {
      const made = (await runner.getTable("articles"))!.indices.filter((i) => i.name?.startsWith("ft_"));
      const articles = table(ds, "articles");
      // TypeORM builds no columns for an index it leaves alone; the decorator's names are kept.
      const declared = articles.indices
        .filter((i) => !i.synchronize)
        .map((i) => ({
          name: i.name,
          fulltext: i.isFulltext,
          columns: (i.givenColumnNames as string[]).map((p) => articles.findColumnWithPropertyName(p)!.databaseName),
        }));
      expect(declared.map((i) => i.name).sort()).toEqual(["ft_articles_search", "ft_articles_title"]);
      if (kind === "mysql") {
        expect(made.map((i) => ({ name: i.name, fulltext: i.isFulltext, columns: i.columnNames }))).toEqual(
          expect.arrayContaining(declared),
        );
      } else {
        expect(made).toEqual([]);
        const fts = await runner.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'articles_fts'`);
        expect(fts).toHaveLength(1);
      }
    } finally {
      await runner.release();
    }
  });

  // The check above is only worth having if it fails; these show that it does.
  it("notices an index a migration made that no entity declares", async () => {
    await ds.query("CREATE INDEX idx_schema_sync_probe ON trending_state (value)");
    try {
      expect((await pendingSchemaChanges(ds)).join("\n")).toMatch(/DROP INDEX .idx_schema_sync_probe./);
    } finally {
      await ds.query(
        kind === "mysql" ? "DROP INDEX idx_schema_sync_probe ON trending_state" : "DROP INDEX idx_schema_sync_probe",
      );
    }
    expect(await pendingSchemaChanges(ds)).toEqual([]);
  });

  it("notices a column an entity declares that no migration made", async () => {
    const options = await dataSourceOptions(loadConfig({ NODE_ENV: "test", DATABASE_URL: url, LOG_LEVEL: "silent" }));
    const probe = new DataSource({
      ...options,
      entities: ds.entityMetadatas.map((m) => (m.tableName === "trending_state" ? TrendingStateWithProbe : m.target)),
    } as typeof options);
    await probe.initialize();
    try {
      await describeDialect(probe, kind);
      const pending = await pendingSchemaChanges(probe);
      expect(pending.join("\n")).toMatch(/schema_sync_probe/);
      // Nothing but the probe: the rest still matches through this second data source.
      expect(pending.filter((q) => !/trending_state/.test(q))).toEqual([]);
    } finally {
      await probe.destroy();
    }
  });
});
