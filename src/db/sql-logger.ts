import type { Logger as TypeOrmLogger } from "typeorm";
import type { Logger } from "pino";
import { currentRequest } from "../request-context";

/**
 * TypeORM logger that counts every statement against the current request's tally, and
 * sends errors and slow queries to the application log (without parameters, which may
 * carry user data).
 */
export class CountingLogger implements TypeOrmLogger {
  constructor(private readonly appLog?: Logger) {}

  logQuery(): void {
    const request = currentRequest();
    if (request) request.statements += 1;
  }

  logQueryError(error: string | Error, query: string): void {
    this.appLog?.warn({ err: error, sql: query.slice(0, 500) }, "sql error");
  }

  logQuerySlow(time: number, query: string): void {
    this.appLog?.warn({ ms: time, sql: query.slice(0, 500) }, "slow sql");
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.appLog?.info(message);
  }

  log(level: "log" | "info" | "warn", message: unknown): void {
    if (level === "warn") this.appLog?.warn(String(message));
  }
}
