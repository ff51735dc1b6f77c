import express, { Router, type ErrorRequestHandler, type Request, type Response } from "express";
import { GraphQLError } from "graphql";
import { z } from "zod";
import type { Viewer } from "../auth/auth.service";
import type { AppDeps } from "../graphql/context";
import { fromGlobalIdOf } from "../graphql/global-id";
import { VIEW_ID_PATTERN } from "../trending/trending.recorder";
import { clientOf, rateLimit } from "./guards";
import { viewsDropped } from "./metrics";

/** What a page sends; unknown fields are ignored so newer pages work with older gateways. */
const BeaconBody = z.object({
  articleId: z.string({ error: "is required and must be a string" }).min(1, "is required").max(64, "is not a valid id"),
  viewId: z
    .string({ error: "must be a string" })
    .regex(VIEW_ID_PATTERN, "must be 1 to 64 letters, digits, '-', '_', '.' or ':'")
    .optional(),
});

function badInput(res: Response, message: string, field?: string): void {
  viewsDropped.inc({ reason: "invalid" });
  res.status(400).json({
    errors: [{ message: field ? `${field}: ${message}` : message, extensions: { code: "BAD_USER_INPUT", field } }],
  });
}

/** Malformed or oversized bodies answer like any other bad beacon: JSON, never an HTML page. */
const beaconBodyErrors: ErrorRequestHandler = (err: { type?: string }, _req, res, next) => {
  if (res.headersSent || (err.type !== "entity.parse.failed" && err.type !== "entity.too.large")) return next(err);
  badInput(res, err.type === "entity.too.large" ? "the body is too large" : "the body is not valid JSON");
};

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
      let body: unknown = req.body;
      if (typeof body === "string") {
        try {
          body = JSON.parse(body);
        } catch {
          return badInput(res, "the body is not valid JSON");
        }
      }
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        return badInput(res, 'the body must be a JSON object such as {"articleId": "..."}');
      }
      const parsed = BeaconBody.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        return badInput(res, issue.message, issue.path.join(".") || undefined);
      }
      let articleId: number;
      try {
        articleId = fromGlobalIdOf("Article", parsed.data.articleId, "articleId");
      } catch (err) {
        if (err instanceof GraphQLError) return badInput(res, err.message);
        throw err;
      }
      const viewer = res.locals.viewer as Viewer | undefined;
      await deps.services.trending.views.record({
        articleId,
        viewId: parsed.data.viewId,
        // The same client key as GraphQL's recordView, so both paths share dedupe and rate.
        client: viewer ? `key:${viewer.keyId}` : `ip:${req.ip ?? ""}|${req.get("user-agent") ?? ""}`,
      });
      res.status(204).end();
    },
    beaconBodyErrors,
  );
  return router;
}
