import { EventSubscriber, type AfterQueryEvent, type EntitySubscriberInterface } from "typeorm";
import { pastSpan, sanitizeSql, tracingEnabled } from "../tracing";

/**
 * A span for every SQL statement of a traced request or job: the statement text as sent (values
 * travel apart as parameters and are never recorded; literals in the text are masked), the
 * database system and the operation. TypeORM reports each statement after it ran, with its time.
 */
@EventSubscriber()
export class SqlTracingSubscriber implements EntitySubscriberInterface {
  afterQuery(event: AfterQueryEvent): void {
    if (!tracingEnabled()) return;
    const text = sanitizeSql(event.query);
    const operation = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? "SQL";
    const type = event.connection.options.type;
    pastSpan(
      operation,
      event.executionTime ?? 0,
      {
        "db.system.name": type === "better-sqlite3" ? "sqlite" : type === "mariadb" ? "mariadb" : "mysql",
        "db.operation.name": operation,
        "db.query.text": text,
      },
      event.success ? undefined : (event.error ?? "failed"),
    );
  }
}
