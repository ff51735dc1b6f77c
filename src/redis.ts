import { Redis } from "ioredis";
import type { Logger } from "pino";
import { childSpan, endSpan, SpanKind } from "./tracing";

/**
 * A Redis connection that never makes a request wait: commands fail at once while Redis is
 * away (callers fall back to local state) and it reconnects in the background.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  traceCommands(redis);
  let down = false;
  redis.on("error", (err) => {
    if (!down) log.warn({ err: err.message }, "redis unavailable; using local fallbacks");
    down = true;
  });
  redis.on("ready", () => {
    if (down) log.info("redis is back");
    down = false;
  });
  // Give Redis a moment at start so the first requests share state; never wait longer.
  await Promise.race([
    new Promise((resolve) => redis.once("ready", resolve)),
    new Promise((resolve) => setTimeout(resolve, 1000).unref()),
  ]);
  return redis;
}

/** A client span per command sent inside a traced request or job: the command name, never its keys or values. */
function traceCommands(redis: Redis): void {
  const send = redis.sendCommand.bind(redis);
  redis.sendCommand = ((command: { name: string; promise: Promise<unknown> }, ...rest: unknown[]) => {
    const span = childSpan(
      `redis ${command.name.toUpperCase()}`,
      { "db.system.name": "redis", "db.operation.name": command.name.toUpperCase() },
      SpanKind.CLIENT,
    );
    if (span)
      command.promise.then(
        () => endSpan(span),
        (err: unknown) => endSpan(span, err),
      );
    return (send as (...a: unknown[]) => unknown)(command, ...rest);
  }) as typeof redis.sendCommand;
}
