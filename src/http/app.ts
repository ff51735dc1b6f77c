import { randomUUID } from "node:crypto";
import http from "node:http";
import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { ApolloServer } from "@apollo/server";
import { expressMiddleware } from "@as-integrations/express5";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { buildCourantSchema } from "../graphql/build-schema";
import { createContext, type AppDeps, type Context } from "../graphql/context";
import { createErrorFormatter } from "../graphql/format-error";
import { currentRequest, withRequestTally } from "../db/sql-counter";
import type { Viewer } from "../auth/auth.service";

export const BODY_LIMIT = "100kb";
export const EDITOR_BODY_LIMIT = "2mb";

const jsonError = (status: number, code: string, message: string) => ({
  status,
  body: { errors: [{ message, extensions: { code } }] },
});

/** Every request gets an id (the caller's X-Request-Id when sane) and a statement tally. */
const requestTally: RequestHandler = (req, res, next) => {
  const given = req.get("x-request-id");
  const requestId = given && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
  res.setHeader("X-Request-Id", requestId);
  withRequestTally({ requestId, statements: 0 }, next);
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

/** Body-parser failures (malformed JSON, too large) answer in JSON, never an HTML page. */
const bodyErrors: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
  if (res.headersSent) return next(err);
  const e =
    err.type === "entity.too.large"
      ? jsonError(413, "BAD_REQUEST", `Request body is larger than ${BODY_LIMIT}`)
      : err.type === "entity.parse.failed"
        ? jsonError(400, "BAD_REQUEST", "Request body is not valid JSON")
        : err.status && err.status >= 400 && err.status < 500
          ? jsonError(err.status, "BAD_REQUEST", "Bad request")
          : jsonError(500, "INTERNAL_SERVER_ERROR", "Internal server error");
  res.status(e.status).json(e.body);
};

export interface HttpServer {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(deps: AppDeps, port: number, host: string): Promise<HttpServer> {
  const app = express();
  app.disable("x-powered-by");
  const server = http.createServer(app);
  const apollo = new ApolloServer<Context>({
    schema: buildCourantSchema(),
    formatError: createErrorFormatter(deps.log),
    includeStacktraceInErrorResponses: false,
    // Shutdown is ours (the CLI), so buffered work can be flushed before the process exits.
    stopOnTerminationSignals: false,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      ApolloServerPluginLandingPageDisabled(),
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response, contextValue }) {
              // Editors see drafts: nothing they receive may sit in a shared cache.
              if (contextValue.viewer) response.http.headers.set("cache-control", "private, no-store");
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

  app.use(requestTally);
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
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
  app.use(
    "/graphql",
    authenticate(deps),
    (req, res, next) => (res.locals.viewer ? editorJson : publicJson)(req, res, next),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const viewer = res.locals.viewer as Viewer | undefined;
        return createContext(deps, currentRequest()?.requestId ?? randomUUID(), {
          viewer,
          clientKey: viewer ? `key:${viewer.keyId}` : `ip:${req.ip ?? ""}|${req.get("user-agent") ?? ""}`,
        });
      },
    }),
  );
  app.use((_req, res) => {
    res.status(404).json(jsonError(404, "NOT_FOUND", "Not found").body);
  });
  app.use(bodyErrors);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === "object" && address ? address.port : port;
  return {
    server,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`,
    close: () => apollo.stop(),
  };
}
