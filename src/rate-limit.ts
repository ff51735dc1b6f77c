import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Redis } from "ioredis";
import type { Config } from "./config";
import { rateLimited } from "./metrics/metrics";

export type Budget = "queries" | "keyQueries" | "beacons" | "newsletter";

export interface Verdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket refills enough for the next request. */
  resetSeconds: number;
}

/**
 * Token buckets per client address and per API key, one budget per kind of traffic. With
 * Redis they are shared by every instance; if Redis goes away each instance falls back to
 * its own memory buckets (rate-limiter-flexible's insurance limiter) and keeps serving.
 */
export class RateLimits {
  private readonly limiters: Record<Budget, { limiter: RateLimiterAbstract; points: number }>;

  constructor(config: Config, redis?: Redis) {
    const make = (name: Budget, points: number, duration: number) => {
      const memory = new RateLimiterMemory({ keyPrefix: name, points, duration });
      const limiter = redis
        ? new RateLimiterRedis({
            storeClient: redis,
            keyPrefix: `courant:rl:${name}`,
            points,
            duration,
            insuranceLimiter: memory,
          })
        : memory;
      return { limiter, points };
    };
    this.limiters = {
      queries: make("queries", config.rateLimits.queriesPerMinute, 60),
      keyQueries: make("keyQueries", config.rateLimits.keyQueriesPerMinute, 60),
      beacons: make("beacons", config.rateLimits.beaconsPerMinute, 60),
      newsletter: make("newsletter", config.newsletter.signupsPerHour, 3600),
    };
  }

  async consume(budget: Budget, key: string): Promise<Verdict> {
    const { limiter, points } = this.limiters[budget];
    try {
      const r = await limiter.consume(key);
      return {
        allowed: true,
        limit: points,
        remaining: r.remainingPoints,
        resetSeconds: Math.ceil(r.msBeforeNext / 1000),
      };
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        rateLimited.inc({ budget });
        return {
          allowed: false,
          limit: points,
          remaining: 0,
          resetSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
        };
      }
      throw err;
    }
  }
}

/** RateLimit header fields (IETF draft) and Retry-After when refused. */
export function rateLimitHeaders(v: Verdict): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Limit": String(v.limit),
    "RateLimit-Remaining": String(Math.max(0, v.remaining)),
    "RateLimit-Reset": String(v.resetSeconds),
  };
  if (!v.allowed) headers["Retry-After"] = String(v.resetSeconds);
  return headers;
}
