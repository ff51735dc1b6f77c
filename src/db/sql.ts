import type { DataSource, EntityManager } from "typeorm";
import { dialectOf, type Dialect } from "./data-source";

/** A fragment of SQL with its positional parameters, so conditions compose without string games. */
export interface Sql {
  text: string;
  params: unknown[];
}

export const sql = (text: string, ...params: unknown[]): Sql => ({ text, params });

export function joinSql(parts: Sql[], separator: string): Sql {
  return { text: parts.map((p) => p.text).join(separator), params: parts.flatMap((p) => p.params) };
}

/** Datetimes travel as UTC "YYYY-MM-DD HH:MM:SS.mmm": what both drivers store and compare as text. */
export function sqlDate(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

/** Reads a datetime back: mysql2 gives a Date (timezone "Z"), better-sqlite3 the stored text. */
export function readDate(value: unknown): Date | null {
  if (value == null) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(text.includes("T") ? text : `${text.replace(" ", "T")}Z`);
}

/** A thin handle on the database for hand-written reads: the dialect and one way to run SQL. */
export class Db {
  readonly dialect: Dialect;

  constructor(readonly dataSource: DataSource) {
    this.dialect = dialectOf(dataSource);
  }

  /**
   * Runs a statement. `replica: true` marks a public read that a read replica may answer
   * (when DATABASE_REPLICA_URLS is set); everything else goes to the primary.
   */
  async query<T = Record<string, unknown>>(
    q: Sql,
    options: { manager?: EntityManager; replica?: boolean } = {},
  ): Promise<T[]> {
    if (options.replica && this.replicated) {
      const runner = this.dataSource.createQueryRunner("slave");
      try {
        return (await runner.query(q.text, q.params)) as T[];
      } finally {
        await runner.release();
      }
    }
    return (await (options.manager ?? this.dataSource.manager).query(q.text, q.params)) as T[];
  }

  private get replicated(): boolean {
    return "replication" in this.dataSource.options && this.dataSource.options.replication !== undefined;
  }

  /** `IN (?, ?, ...)` for a non-empty list. */
  inList(column: string, values: readonly unknown[]): Sql {
    return { text: `${column} IN (${values.map(() => "?").join(", ")})`, params: [...values] };
  }
}
