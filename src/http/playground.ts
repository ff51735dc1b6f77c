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

/**
 * Runs before Ruru boots, in the browser. A link `/graphql?query=...&variables=...&operationName=...`
 * opens on that operation: a tab of its own, first among the examples for a new visitor, and
 * added to (or picked from) the stored tabs for a returning one. The page itself stays the same
 * for every link (nothing from the address is written into it by the server), and headers are
 * never read from or put into a link: they may hold an API key.
 */
const LINK_SCRIPT = `<script>
(function () {
  var params = new URLSearchParams(location.search);
  var query = params.get("query");
  var variables = params.get("variables") || "";
  var operationName = params.get("operationName");
  try { if (variables) variables = JSON.stringify(JSON.parse(variables), null, 2); } catch (e) {}
  if (query) {
    RURU_CONFIG.defaultTabs = [{ query: query, variables: variables || undefined }].concat(RURU_CONFIG.defaultTabs || []);
    RURU_CONFIG.defaultQuery = query;
    RURU_CONFIG.initialQuery = query;
    RURU_CONFIG.initialVariables = variables;
    RURU_CONFIG.initialHeaders = "";
    if (operationName) RURU_CONFIG.operationName = operationName;
  }
  // What the open tab holds, for "Copy link".
  var current = { query: query || RURU_CONFIG.initialQuery || "", variables: variables || RURU_CONFIG.initialVariables || "", operationName: operationName };
  RURU_CONFIG.onTabChange = function (state) {
    var tab = state.tabs[state.activeTabIndex] || {};
    current = { query: tab.query || "", variables: tab.variables || "", operationName: tab.operationName };
  };
  RURU_CONFIG.onEditQuery = function (value) { current.query = value; };
  RURU_CONFIG.onEditVariables = function (value) { current.variables = value; };
  RURU_CONFIG.onEditOperationName = function (value) { current.operationName = value; };
  function link() {
    var url = new URL(location.pathname, location.origin);
    url.searchParams.set("query", current.query);
    var v = (current.variables || "").trim();
    if (v && v !== "{}") {
      try { v = JSON.stringify(JSON.parse(v)); } catch (e) {}
      url.searchParams.set("variables", v);
    }
    if (current.operationName) url.searchParams.set("operationName", current.operationName);
    return url.toString();
  }
  addEventListener("DOMContentLoaded", function () {
    var bar = document.createElement("div");
    bar.id = "courant-share";
    bar.style.cssText = "position:fixed;right:16px;bottom:16px;z-index:100;display:flex;gap:8px;align-items:center;font:13px system-ui,sans-serif";
    var shown = document.createElement("input");
    shown.readOnly = true;
    shown.setAttribute("aria-label", "Link to this tab");
    shown.style.cssText = "display:none;width:320px;padding:6px;border:1px solid #999;border-radius:4px";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Copy link";
    button.title = "Copy a link that opens the playground on this tab's operation and variables (never its headers)";
    button.style.cssText = "padding:6px 12px;border-radius:4px;border:1px solid #999;background:#fff;cursor:pointer";
    button.addEventListener("click", function () {
      var url = link();
      shown.value = url;
      shown.style.display = "block";
      shown.select();
      var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy link"; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(url).then(done, function () {});
    });
    bar.appendChild(shown);
    bar.appendChild(button);
    document.body.appendChild(bar);
  });
})();
</script>`;

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
      configScript: (original) => `${original}\n${LINK_SCRIPT}`,
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
