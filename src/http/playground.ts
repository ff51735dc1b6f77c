import path from "node:path";
import express, { type Request } from "express";
import { ruruHTML, type RuruServerConfig } from "ruru/server";
import { PLAYGROUND_EXAMPLES } from "./playground-examples";

/** Where the playground's scripts, styles and editor workers are served from (under /graphql for proxies). */
export const PLAYGROUND_ASSETS_PATH = "/graphql/playground/";

/**
 * The page may load nothing but what this gateway serves: it works offline, behind a firewall,
 * and a forgotten CDN reference fails loudly in development instead of silently in production.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // Ruru's page boots from small inline scripts; everything else comes from PLAYGROUND_ASSETS_PATH.
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "worker-src 'self'",
  // The API, and its subscriptions over WebSocket on the same host (added per request below).
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

const json = (value: unknown) => JSON.stringify(value, null, 2);

/** A browser asks for HTML first; API clients ask for JSON or anything, and get the API. */
export function wantsPlayground(req: Request): boolean {
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

/** GraphiQL (the Ruru distribution), its documentation explorer, headers editor and one tab per example. */
function playgroundPage(): string {
  const tabs = PLAYGROUND_EXAMPLES.map((e) => ({
    query: e.query,
    variables: e.variables ? json(e.variables) : undefined,
    headers: e.headers ? json(e.headers) : undefined,
  }));
  // GraphiQL's own props ride along with Ruru's: Ruru hands what it does not know to GraphiQL.
  const clientConfig = {
    defaultTabs: tabs,
    defaultQuery: tabs[0]!.query,
    // GraphiQL takes the first tab's editors from these, not from defaultTabs.
    initialVariables: tabs[0]!.variables,
    initialHeaders: tabs[0]!.headers,
    isHeadersEditorEnabled: true,
    // The Grafast plan and SQL explain tools do not apply to this server.
    debugTools: [],
  } as unknown as RuruServerConfig["clientConfig"];
  return ruruHTML({
    endpoint: "/graphql",
    staticPath: PLAYGROUND_ASSETS_PATH,
    clientConfig,
    htmlParts: {
      titleTag: "<title>Courant GraphQL playground</title>",
      // No favicon request (a 404 in the console otherwise).
      metaTags: (original) => `${original}\n<link rel="icon" href="data:," />`,
    },
  });
}

/**
 * Ruru's prebuilt scripts, styles, fonts and editor workers, as its npm package ships them.
 * (Its own in-memory server loads them with a dynamic import, which jest's sandbox cannot run.)
 */
const ASSETS_DIR = path.join(path.dirname(require.resolve("ruru/server")), "..", "static");

/**
 * The playground at GET /graphql for browsers, with nothing fetched from elsewhere at run time.
 * Mount before the GraphQL endpoint: other requests to /graphql pass through untouched.
 */
export function playgroundRouter(): express.Router {
  const router = express.Router();
  let page: string | undefined;
  router.get("/graphql", (req, res, next) => {
    if (!wantsPlayground(req)) return next();
    page ??= playgroundPage();
    // 'self' covers ws: and wss: only in newer browsers: name this host's WebSocket origins too.
    const host = req.get("host");
    const sockets = host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? ` ws://${host} wss://${host}` : "";
    res.set(
      "content-security-policy",
      CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self'${sockets}`),
    );
    res.set("cache-control", "no-cache");
    res.type("html").send(page);
  });
  router.use(PLAYGROUND_ASSETS_PATH, express.static(ASSETS_DIR, { index: false, maxAge: "1h" }), (_req, res) => {
    res.status(404).json({ errors: [{ message: "Not found", extensions: { code: "NOT_FOUND" } }] });
  });
  return router;
}
