import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { GraphQLError } from "graphql";
import { z } from "zod";
import type { Viewer } from "../auth/auth.service";
import type { AppDeps } from "../graphql/context";
import { fromGlobalIdOf } from "../graphql/global-id";
import { VIEW_ID_PATTERN } from "../trending/trending.recorder";
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientOf, corsOrigin, rateLimit } from "./guards";
import { rateLimitHeaders } from "../rate-limit";
import { viewsDropped } from "../metrics/metrics";
import { inSpan, SpanKind } from "../tracing";

/** What a page sends; unknown fields are ignored so newer pages work with older gateways. */
const BeaconBody = z.object({
  articleId: z.string({ error: "is required and must be a string" }).min(1, "is required").max(64, "is not a valid id"),
  viewId: z
    .string({ error: "must be a string" })
    .regex(VIEW_ID_PATTERN, "must be 1 to 64 letters, digits, '-', '_', '.' or ':'")
    .optional(),
});

/** The 400 body for a bad beacon, on either route; the dropped view is counted. */
function invalidBeacon(message: string, field?: string) {
  viewsDropped.inc({ reason: "invalid" });
  return {
    errors: [{ message: field ? `${field}: ${message}` : message, extensions: { code: "BAD_USER_INPUT", field } }],
  };
}

function badInput(res: Response, message: string, field?: string): void {
  res.status(400).json(invalidBeacon(message, field));
}

/** Malformed or oversized bodies answer like any other bad beacon: JSON, never an HTML page. */
const beaconBodyErrors: ErrorRequestHandler = (err: { type?: string }, _req, res, next) => {
  if (res.headersSent || (err.type !== "entity.parse.failed" && err.type !== "entity.too.large")) return next(err);
  badInput(res, err.type === "entity.too.large" ? "the body is too large" : "the body is not valid JSON");
};

/**
 * Parses and counts one beacon body (text: JSON sent as text/plain or application/json).
 * Returns the problem with it, or nothing when it was taken (counted or quietly dropped).
 */
export function countBeacon(
  deps: AppDeps,
  raw: unknown,
  client: string,
): Promise<{ message: string; field?: string } | undefined> {
  // The busiest route: a span of its own only while tracing (inSpan returns at once otherwise).
  return inSpan(
    "POST /beacon",
    { "http.request.method": "POST", "http.route": "/beacon" },
    async (span) => {
      const problem = await countBeaconNow(deps, raw, client);
      if (problem) span?.setAttribute("error.type", "BAD_REQUEST");
      return problem;
    },
    SpanKind.SERVER,
  );
}

async function countBeaconNow(
  deps: AppDeps,
  raw: unknown,
  client: string,
): Promise<{ message: string; field?: string } | undefined> {
  let body: unknown = raw;
  if (typeof body === "string") {
    try {
      body = JSON.parse(body);
    } catch {
      return { message: "the body is not valid JSON" };
    }
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { message: 'the body must be a JSON object such as {"articleId": "..."}' };
  }
  const parsed = BeaconBody.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { message: issue.message, field: issue.path.join(".") || undefined };
  }
  let articleId: number;
  try {
    articleId = fromGlobalIdOf("Article", parsed.data.articleId, "articleId");
  } catch (err) {
    if (err instanceof GraphQLError) return { message: err.message };
    throw err;
  }
  await deps.services.trending.views.record({ articleId, viewId: parsed.data.viewId, client });
  return undefined;
}

/**
 * POST /view: counts one article view for trending, for web pages. Takes JSON, or the same
 * JSON as text/plain so `navigator.sendBeacon(url, JSON.stringify(...))` works without a CORS
 * preflight. Answers 204 whether or not the view counted (a page cannot act on it), and 400
 * for a malformed body or id.
 */
export function beaconRouter(deps: AppDeps, bodyLimit: string): Router {
  const router = Router();
  // A flood guard per address or key (429); the per-client view rate drops views quietly instead.
  const floodGuard = rateLimit(deps.rateLimits, (req: Request, res: Response) => ({
    budget: "beacons",
    key: clientOf(req, res.locals.viewer as Viewer | undefined).key,
  }));
  router.post(
    "/view",
    floodGuard,
    // One parser for both: JSON bodies are read as text and parsed below, like text/plain ones.
    express.text({ limit: bodyLimit, type: ["text/plain", "application/json", "application/*+json"] }),
    async (req: Request, res: Response) => {
      const viewer = res.locals.viewer as Viewer | undefined;
      // The same client as GraphQL's recordView, so both paths share dedupe and rate.
      const problem = await countBeacon(deps, req.body, clientOf(req, viewer).fingerprint);
      if (problem) return badInput(res, problem.message, problem.field);
      res.status(204).end();
    },
    beaconBodyErrors,
  );
  return router;
}

const BEACON_TYPES = new Set(["", "text/plain", "application/json"]);

/**
 * The same beacon served below express, for its busiest callers: anonymous pages sending
 * `navigator.sendBeacon`. Anything else (an API key, a proxy to trust, another content type)
 * returns false and takes the express route above, which answers identically.
 */
export function fastBeacon(
  deps: AppDeps,
  bodyLimitBytes: number,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const origins = corsOrigin(deps.config);
  return (req, res) => {
    if (req.method !== "POST" || req.url !== "/beacon/view" || req.headers.authorization !== undefined) return false;
    if (deps.config.trustProxy !== false) return false;
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    if (!BEACON_TYPES.has(type)) return false;
    const origin = req.headers.origin;
    if (origin && (origins === true || (Array.isArray(origins) && origins.includes(origin)))) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
    }
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    const ip = req.socket.remoteAddress ?? "";
    // Every request finishes or fails in time, here as on the express routes.
    const timer = setTimeout(() => {
      if (!res.headersSent)
        json(503, { errors: [{ message: "The request did not finish in time", extensions: { code: "TIMEOUT" } }] });
      req.destroy();
    }, deps.config.limits.requestTimeoutMs);
    timer.unref();
    res.once("close", () => clearTimeout(timer));
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimitBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      void (async () => {
        const verdict = await deps.rateLimits.consume("beacons", `ip:${ip}`);
        if (!verdict.allowed) {
          return json(
            429,
            {
              errors: [
                {
                  message: `Too many requests; try again in ${verdict.resetSeconds} s`,
                  extensions: { code: "RATE_LIMITED" },
                },
              ],
            },
            rateLimitHeaders(verdict),
          );
        }
        const problem = tooLarge
          ? { message: "the body is too large", field: undefined }
          : await countBeacon(
              deps,
              Buffer.concat(chunks).toString("utf8"),
              clientOf({ ip, headers: req.headers }).fingerprint,
            );
        if (problem) return json(400, invalidBeacon(problem.message, problem.field));
        res.writeHead(204);
        res.end();
      })().catch((err: unknown) => {
        deps.log.error({ err }, "beacon failed");
        if (!res.headersSent)
          json(500, { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      });
    });
    return true;
  };
}
