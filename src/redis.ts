import { Redis } from "ioredis";
import type { Logger } from "pino";

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
