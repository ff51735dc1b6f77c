import type { RequestHandler } from "express";
import type { Config } from "../config";
import type { Viewer } from "../auth/auth.service";
import type { IncomingMessage, ServerResponse } from "node:http";
import { rateLimitHeaders, type Budget, type RateLimits, type Verdict } from "../rate-limit";

/** The rate-limit verdict a request already paid for before express (fast-cache.ts), so it is not charged twice. */
export const PAID = Symbol("courant.rateLimitPaid");
export type PaidRequest = IncomingMessage & { [PAID]?: Verdict; body?: unknown };

export const jsonError = (status: number, code: string, message: string) => ({
  status,
  body: { errors: [{ message, extensions: { code } }] },
});

/** A JSON answer with its length, on any response (express or not); nothing once headers are sent. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    "content-type": "application/json; charset=utf-8",
    "content-length": bytes.length,
  });
  res.end(bytes);
}

/** What a request that did not finish in time answers: 503 TIMEOUT. */
export function answerTimeout(res: ServerResponse, ms: number, headers: Record<string, string> = {}): void {
  const e = jsonError(503, "TIMEOUT", `The request did not finish within ${ms} ms`);
  sendJson(res, e.status, e.body, { ...headers, "Retry-After": "1" });
}

/** Answers 503 TIMEOUT if the response has not been sent within `ms`. */
export function answerAfter(res: ServerResponse, ms: number): void {
  const timer = setTimeout(() => answerTimeout(res, ms), ms);
  timer.unref();
  res.once("close", () => clearTimeout(timer));
}

/** Every request finishes or fails within the configured time. */
export function requestTimeout(ms: number): RequestHandler {
  return (_req, res, next) => {
    answerAfter(res, ms);
    next();
  };
}

/** Batches are off unless configured, and then hold at most `max` operations. */
export function batchLimit(max: number): RequestHandler {
  return (req, res, next) => {
    if (!Array.isArray(req.body)) return next();
    if (max === 0 || req.body.length > max || req.body.length === 0) {
      const e = jsonError(
        400,
        "BAD_REQUEST",
        max === 0 ? "Batched requests are not accepted" : `A batch holds 1 to ${max} operations`,
      );
      res.status(e.status).json(e.body);
      return;
    }
    next();
  };
}

/**
 * Who a client is, worked out in this one place for every path (GraphQL, beacons, newsletter):
 * `key` is its API key when it sent one, else its address: what rate limits count against (a user
 * agent is the client's to change, so it never widens a limit). `fingerprint` adds the user agent
 * for anonymous clients: what view dedupe tells readers behind one shared address apart by.
 */
export function clientOf(
  req: { ip?: string; headers: { "user-agent"?: string } },
  viewer?: Viewer,
): { budget: Budget; key: string; fingerprint: string } {
  if (viewer) {
    const key = `key:${viewer.keyId}`;
    return { budget: "keyQueries", key, fingerprint: key };
  }
  const key = `ip:${req.ip ?? "unknown"}`;
  return { budget: "queries", key, fingerprint: `${key}|${req.headers["user-agent"] ?? ""}` };
}

/** Token-bucket limit per client, with RateLimit headers on every answer and 429 past it. */
export function rateLimit(
  limits: RateLimits,
  pick: (req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) => { budget: Budget; key: string },
): RequestHandler {
  return async (req, res, next) => {
    try {
      const { budget, key } = pick(req, res);
      const verdict = (req as PaidRequest)[PAID] ?? (await limits.consume(budget, key));
      res.set(rateLimitHeaders(verdict));
      if (!verdict.allowed) {
        const e = jsonError(429, "RATE_LIMITED", `Too many requests; try again in ${verdict.resetSeconds} s`);
        res.status(e.status).json(e.body);
        return;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

export function corsOrigin(config: Config): boolean | string[] {
  if (config.corsOrigins.includes("*")) return true;
  return config.corsOrigins;
}
