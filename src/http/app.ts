import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { buildCourantSchema } from "../graphql/build-schema";
import { compiledExecution } from "../graphql/executor";
import { createContext, type AppDeps, type Context } from "../graphql/context";
import { createErrorFormatter } from "../graphql/format-error";
import { currentRequest, withRequestContext } from "../request-context";
import type { Viewer } from "../auth/auth.service";
import cors from "cors";
import { GraphQLError } from "graphql";
import proxyAddr from "proxy-addr";
import { limitRules } from "../graphql/limits";
import { isServiceUnavailable } from "../db/errors";
import { loggingPlugin } from "../graphql/logging.plugin";
import { costPlugin } from "../graphql/cost";
import { cachePlugin } from "../cache/cache.plugin";
import {
  batchLimit,
  clientOf,
  corsOrigin,
  jsonError,
  rateLimit,
  requestTimeout,
  answerAfter,
  sendJson,
  type PaidRequest,
} from "./guards";
import { playgroundRouter } from "./playground";
import { publicFastPath, requestIdOf, type PublicOperation } from "./fast-cache";
import { beaconRouter } from "./beacon";
import { liveFeedProbe, registry, trustedDocumentsProbe } from "../metrics/metrics";
import { createApqStore } from "../cache/apq-store";
import { TrustedDocumentStore } from "../documents/trusted-document.store";
import { TrustedDocumentService } from "../documents/trusted-document.service";
import { documentJudge, trustedDocuments, type DocumentJudge } from "./trusted-documents";
import { distributionRouter } from "./distribution";
import { tracingPlugin } from "../graphql/tracing.plugin";
import { traceRequest } from "./trace-request";

export const BODY_LIMIT = "100kb";
export const EDITOR_BODY_LIMIT = "2mb";

/** Every request gets an id (the caller's X-Request-Id when sane) and a statement tally. */
const requestTally: RequestHandler = (req, res, next) => {
  const requestId = requestIdOf(req);
  res.setHeader("X-Request-Id", requestId);
  withRequestContext({ requestId, statements: 0 }, next);
};

/**
 * A request either carries no key (public), or a valid one. A bad key is refused even on a
 * public query, so a misconfigured client notices instead of silently reading as the public.
 */
function authenticate(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const header = req.get("authorization");
    if (header === undefined) return next();
    const match = /^Bearer ([^\s]+)$/.exec(header);
    try {
      const viewer = match ? await deps.services.auth.verify(match[1]!) : null;
      if (!viewer) {
        const e = jsonError(401, "UNAUTHENTICATED", "The API key is not valid");
        res.status(e.status).json(e.body);
        return;
      }
      res.locals.viewer = viewer;
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * What an error that escaped GraphQL answers: the database's absence 503, a client's mistake
 * (malformed JSON, too large) 400/413, anything else 500 with the request id. Always JSON, never
 * an HTML page, a stack or SQL.
 */
function errorAnswer(
  err: { type?: string; status?: number },
  requestId: string | undefined,
  log: AppDeps["log"],
): { status: number; headers: Record<string, string>; body: unknown } {
  if (isServiceUnavailable(err)) {
    log.warn({ err, requestId }, "database unavailable");
    const e = jsonError(503, "SERVICE_UNAVAILABLE", "The database is unavailable right now; retry shortly");
    return { ...e, headers: { "Retry-After": "1" } };
  }
  const e =
    err.type === "entity.too.large"
      ? jsonError(413, "BAD_REQUEST", `Request body is larger than ${BODY_LIMIT}`)
      : err.type === "entity.parse.failed"
        ? jsonError(400, "BAD_REQUEST", "Request body is not valid JSON")
        : err.status && err.status >= 400 && err.status < 500
          ? jsonError(err.status, "BAD_REQUEST", "Bad request")
          : undefined;
  if (e) return { ...e, headers: {} };
  log.error({ err, requestId }, "unexpected error");
  return {
    status: 500,
    headers: {},
    body: { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR", requestId } }] },
  };
}

function httpErrors(log: AppDeps["log"]): ErrorRequestHandler {
  return (err: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(err);
    const e = errorAnswer(err, currentRequest()?.requestId, log);
    sendJson(res, e.status, e.body, e.headers);
  };
}

/**
 * A public operation run without express (see fast-cache.ts): the same request id, statement
 * tally, timeout, rate-limit headers and context as the /graphql route, straight into Apollo.
 */
function publicRunner(
  deps: AppDeps,
  apollo: ApolloServer<Context>,
): (req: PaidRequest, res: ServerResponse, op: PublicOperation) => Promise<void> {
  return (req, res, op) => {
    res.setHeader("X-Request-Id", op.requestId);
    for (const [k, v] of Object.entries(op.limitHeaders)) res.setHeader(k, v);
    answerAfter(res, deps.config.limits.requestTimeoutMs);
    return withRequestContext({ requestId: op.requestId, statements: 0 }, async () => {
      try {
        const headers = new HeaderMap();
        for (const [key, value] of Object.entries(req.headers)) {
          if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
        }
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: { method: req.method!, headers, search: op.search, body: op.body ?? {} },
          context: async () =>
            createContext(deps, op.requestId, { client: clientOf({ ip: op.ip, headers: req.headers }) }),
        });
        if (res.headersSent) return;
        for (const [key, value] of response.headers) res.setHeader(key, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === "complete") {
          // A known length (one write, no chunked framing); the text is encoded straight into the
          // socket's write, not into a Buffer of its own first.
          res.setHeader("content-length", Buffer.byteLength(response.body.string));
          res.end(response.body.string);
          return;
        }
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      } catch (err) {
        const e = errorAnswer(err as { type?: string; status?: number }, op.requestId, deps.log);
        sendJson(res, e.status, e.body, e.headers);
      }
    });
  };
}

/** The whole HTTP surface of a ready gateway, to be served on `server`. */
export async function createHttpApp(deps: AppDeps): Promise<{
  handler: express.Express;
  /** Public operations, answered before express (see fast-cache.ts); false: not taken. */
  fast: (req: IncomingMessage, res: ServerResponse) => boolean;
  stop: () => Promise<void>;
  /** The client address of a raw request (WebSocket upgrades), by the same "trust proxy" rule as req.ip. */
  addressOf: (req: IncomingMessage) => string;
  /** The trusted-documents verdict, for the WebSocket transport too. */
  judge: DocumentJudge;
}> {
  const app = express();
  app.disable("x-powered-by");
  const schema = buildCourantSchema();
  // Trusted documents: every instance reads them from the database; those that no longer validate
  // against this schema are reported at start (they would answer GRAPHQL_VALIDATION_FAILED).
  const documents = new TrustedDocumentStore(deps.db.dataSource, deps.log, deps.config.trustedDocuments.refreshMs);
  await documents.start();
  const invalid = await new TrustedDocumentService(
    deps.db.dataSource,
    buildCourantSchema(),
    limitRules(deps.config.limits),
  ).invalidStored();
  for (const d of invalid) {
    deps.log.warn(
      { client: d.clientName, documentId: d.documentId, operationName: d.operationName, problems: d.problems },
      "trusted document no longer validates against the schema",
    );
  }
  const judge = documentJudge(deps, documents);
  trustedDocumentsProbe.loaded = () => documents.size;
  trustedDocumentsProbe.invalid = () => invalid.length;
  liveFeedProbe.subscribers = () => deps.services.liveFeed.subscribers;
  const apq = createApqStore(deps.config.redisUrl, deps.log);
  const apollo = new ApolloServer<Context>({
    // Compiled execution comes in through Apollo's gateway interface (its only executor hook).
    ...(deps.config.executor === "jit" ? { gateway: compiledExecution(schema) } : { schema }),
    formatError: createErrorFormatter(deps.log),
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (the CLI), so buffered work can be flushed before the process exits.
    stopOnTerminationSignals: false,
    introspection: true,
    validationRules: limitRules(deps.config.limits),
    parseOptions: { maxTokens: deps.config.limits.maxTokens },
    // No "Did you mean ...?" hints that map the schema for scrapers in production.
    hideSchemaDetailsFromClientErrors: deps.config.production,
    allowBatchedHttpRequests: deps.config.limits.batchMaxOperations > 0,
    persistedQueries: { cache: apq.cache, ttl: deps.config.apq.ttlSeconds },
    csrfPrevention: true,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // Cache policy is worked out once per document (cache/cache-policy.ts); Apollo's own would
      // wrap every field resolver to collect hints per field, on every request.
      ApolloServerPluginCacheControlDisabled(),
      loggingPlugin(deps.log),
      tracingPlugin(),
      costPlugin(deps.config.limits.maxCost),
      cachePlugin(deps.config, schema, deps.responseCache),
      {
        // Subscriptions live on the WebSocket (src/http/subscriptions.ts); over HTTP they have no source.
        async requestDidStart() {
          return {
            async didResolveOperation({ operation }) {
              if (operation?.operation === "subscription")
                throw new GraphQLError(
                  "Subscriptions are served over WebSocket (the graphql-ws protocol) at this same URL",
                  { extensions: { code: "BAD_REQUEST", http: { status: 400 } } },
                );
            },
          };
        },
      },
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response, errors }) {
              // An outage is the server's condition, not the client's mistake: say 503 so clients and
              // load balancers back off and retry.
              if (errors?.some((e) => isServiceUnavailable(e.originalError))) {
                response.http.status = 503;
                response.http.headers.set("retry-after", "1");
              }
              const tally = currentRequest();
              if (deps.config.sqlStatementHeader && tally) {
                response.http.headers.set("x-sql-statements", String(tally.statements));
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.set("trust proxy", deps.config.trustProxy);
  // Trending views from web pages (navigator.sendBeacon); apps use the recordView mutation. The
  // busiest route and the lightest: it comes before the per-request machinery below (request
  // ids, timeouts, the playground), with its own CORS, key check and limits.
  app.use(
    "/beacon",
    cors({ origin: corsOrigin(deps.config), maxAge: 600 }),
    authenticate(deps),
    beaconRouter(deps, BODY_LIMIT),
  );
  app.use(requestTally);
  app.use(requestTimeout(deps.config.limits.requestTimeoutMs));
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    if (deps.lifecycle.shuttingDown) {
      res.status(503).json({ status: "unavailable", reason: "shutting down" });
      return;
    }
    try {
      await Promise.race([
        deps.db.dataSource.query("SELECT 1"),
        new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), 1000).unref()),
      ]);
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "unavailable" });
    }
  });
  const publicJson = express.json({ limit: BODY_LIMIT });
  // Editors send article bodies of up to 1 MB; only a valid key gets the larger limit.
  const editorJson = express.json({ limit: EDITOR_BODY_LIMIT });
  // CORS first, so preflights are answered by the allow-list and not by a route's automatic OPTIONS.
  const graphqlCors = cors({ origin: corsOrigin(deps.config), maxAge: 600 });
  app.use("/graphql", graphqlCors);
  // Browsers (GET, Accept: text/html) get the playground; everything else goes on to the API.
  if (deps.config.playground) app.use(playgroundRouter());
  app.use(
    "/graphql",
    traceRequest,
    authenticate(deps),
    rateLimit(deps.rateLimits, (req, res) => clientOf(req, res.locals.viewer as Viewer | undefined)),
    (req, res, next) => (res.locals.viewer ? editorJson : publicJson)(req, res, next),
    batchLimit(deps.config.limits.batchMaxOperations),
    trustedDocuments(judge),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = res.locals.viewer as Viewer | undefined;
        const { key, fingerprint } = clientOf(req, viewer);
        return createContext(deps, currentRequest()?.requestId ?? randomUUID(), {
          viewer,
          client: { key, fingerprint },
        });
      },
    }),
  );
  // Sitemaps, the Google News sitemap and RSS/Atom feeds (DISTRIBUTION_OUTPUTS).
  app.use(distributionRouter(deps, deps.rateLimits));
  app.get("/metrics", async (_req, res) => {
    res.set("Content-Type", registry.contentType).send(await registry.metrics());
  });
  app.use((_req, res) => {
    res.status(404).json(jsonError(404, "NOT_FOUND", "Not found").body);
  });
  app.use(httpErrors(deps.log));

  const trust = app.get("trust proxy fn") as (addr: string, i: number) => boolean;
  const fast = publicFastPath(
    deps,
    {
      cors: graphqlCors as unknown as Parameters<typeof publicFastPath>[1]["cors"],
      trust,
      bodyLimitBytes: 100 * 1024,
      run: publicRunner(deps, apollo),
    },
    app,
  );
  return {
    handler: app,
    fast,
    stop: async () => {
      documents.stop();
      await apollo.stop();
      await apq.close();
    },
    addressOf: (req) => proxyAddr(req, trust),
    judge,
  };
}
