import { EventSubscriber, type AfterQueryEvent, type DataSource, type EntitySubscriberInterface } from "typeorm";
import type { Attributes } from "@opentelemetry/api";
import { pastSpan, sanitizeSql, tracingEnabled } from "../tracing";

/**
 * A span for every SQL statement of a traced request or job: the statement text as sent (values
 * travel apart as parameters and are never recorded; literals in the text are masked), the
 * database system and the operation. TypeORM reports each statement after it ran, with its time.
 */
@EventSubscriber()
export class SqlTracingSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    traceStatement(
      event.connection,
      event.query,
      event.executionTime ?? 0,
      event.success ? undefined : (event.error ?? "failed"),
    );
  }
}

/**
 * The span of one statement that ran for `ms` (failed: with its error). Statements TypeORM runs
 * come here through the subscriber; Db's direct reads (sql.ts) call it themselves.
 */
export function traceStatement(connection: DataSource, query: string, ms: number, error?: unknown): void {
  if (!tracingEnabled()) return;
  const { operation, attributes } = statementOf(connection, query);
  pastSpan(operation, ms, attributes, error);
}

/**
 * A statement's span name and attributes, made once per database and statement text: statements repeat
 * verbatim (values travel apart), and a span copies the attributes it is given.
 */
function statementOf(connection: DataSource, query: string): { operation: string; attributes: Attributes } {
  let statements = byDatabase.get(connection);
  if (!statements) byDatabase.set(connection, (statements = new Map()));
  let known = statements.get(query);
  if (!known) {
    const text = sanitizeSql(query);
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "SQL";
    const type = connection.options.type;
    known = {
      operation,
      attributes: Object.freeze({
        "db.system.name": type === "better-sqlite3" ? "sqlite" : type === "mariadb" ? "mariadb" : "mysql",
        "db.operation.name": operation,
        "db.query.text": text,
      }),
    };
    if (statements.size >= 1000) statements.clear();
    statements.set(query, known);
  }
  return known;
}

const byDatabase = new WeakMap<object, Map<string, { operation: string; attributes: Attributes }>>();
