import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import proxyaddr from "proxy-addr";
import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { AppDeps } from "../graphql/context";
import { ResponseCache } from "../cache/response-cache";
import { publicCacheControl } from "../cache/cache-policy";
import { graphqlRequests } from "../metrics/metrics";
import { rateLimitHeaders } from "../rate-limit";
import { answerTimeout, clientOf, jsonError, PAID, sendJson, type PaidRequest } from "./guards";
import { tracingEnabled } from "../tracing";

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/** Request texts (a GET's URL, a POST's body) up to this length have their cache key remembered. */
const REMEMBERED_CHARS = 4096;

const SIMPLE_TYPES = new Set(["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]);

/** A public operation the fast path hands to GraphQL itself (a cache miss, or no response cache). */
export interface PublicOperation {
  requestId: string;
  /** The client's address, by the "trust proxy" rule. */
  ip: string;
  /** Rate-limit headers the answer carries (the budget is already paid). */
  limitHeaders: Record<string, string>;
  /** A POST's parsed JSON object; undefined for a GET (its operation is in `search`). */
  body: Record<string, unknown> | undefined;
  /** The query string with its "?", or "". */
  search: string;
}

/**
 * Public queries, answered before the web framework: the same CORS rule (the same `cors`
 * middleware), the same rate limit, body limit and CSRF rule as the /graphql route. An answer in
 * the response cache is sent as stored bytes; any other single operation that sends its text is
 * handed to `run`, which executes it without the framework's middleware chain. Anything else (a
 * key, a batch, a document id or bare persisted-query hash, a compressed or non-UTF-8 body, a
 * preflight, the playground, a traced request) goes on to the express app untouched, with the
 * body already read and the rate limit already paid.
 */
export function publicFastPath(
  deps: AppDeps,
  options: {
    cors: Middleware;
    trust: (addr: string, i: number) => boolean;
    bodyLimitBytes: number;
    run: (req: PaidRequest, res: ServerResponse, operation: PublicOperation) => Promise<void>;
  },
  app: RequestListener,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const cache = deps.responseCache;
  const log = deps.log;
  // Bounded by what the texts take (two bytes a character at worst), not only by their number.
  const rememberedKeys = new LRUCache<string, { key: string; operation: string }>({
    max: 2000,
    maxSize: 4 * 1024 * 1024,
    sizeCalculation: (_value, text) => text.length * 2 + 200,
  });
  return (req, res) => {
    if (req.headers.authorization !== undefined) return false;
    // Traced requests take the route, whose server span covers them (hits are answered there too).
    if (tracingEnabled()) return false;
    // Trusted documents (audit counts, enforce refuses, ids are resolved) are the route's business.
    const client = req.headers["apollographql-client-name"];
    const documents = deps.config.trustedDocuments;
    if ((documents.clients[typeof client === "string" ? client : ""] ?? documents.mode) !== "off") return false;
    const url = req.url ?? "";
    const isGet = req.method === "GET";
    if (!(isGet ? url.startsWith("/graphql?") : req.method === "POST" && url === "/graphql")) return false;
    const [mediaType, ...parameters] = (req.headers["content-type"] ?? "").split(";");
    const type = mediaType!.trim().toLowerCase();
    if (isGet) {
      // Browsers asking for a page get the playground; simple GETs are Apollo's CSRF business.
      if ((req.headers.accept ?? "").includes("text/html")) return false;
      if (
        req.headers["apollo-require-preflight"] === undefined &&
        req.headers["x-apollo-operation-name"] === undefined &&
        SIMPLE_TYPES.has(type)
      )
        return false;
    } else {
      if (type !== "application/json") return false;
      // Compressed bodies and other charsets are the body parser's to decode (or refuse).
      const encoding = req.headers["content-encoding"];
      if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") return false;
      if (parameters.some((p) => /^\s*charset\s*=/i.test(p) && !/^\s*charset\s*=\s*"?utf-8"?\s*$/i.test(p)))
        return false;
    }

    const go = () =>
      void answer(req as PaidRequest, res, isGet, url).catch(() => {
        if (!res.headersSent) app(req, res);
      });
    // Without an Origin (apps, servers, the CDN) all the CORS rule adds is "Vary: Origin".
    if (req.headers.origin === undefined) {
      res.setHeader("Vary", "Origin");
      go();
      return true;
    }
    options.cors(req, res, (err) => (err ? app(req, res) : go()));
    return true;
  };

  async function answer(req: PaidRequest, res: ServerResponse, isGet: boolean, url: string): Promise<void> {
    const ip = proxyaddr(req, options.trust);
    const { budget, key } = clientOf({ ip, headers: req.headers });
    const verdict = await deps.rateLimits.consume(budget, key);
    req[PAID] = verdict;
    const limitHeaders = rateLimitHeaders(verdict);
    const refuse = (e: ReturnType<typeof jsonError>) => sendJson(res, e.status, e.body, limitHeaders);
    if (!verdict.allowed) {
      return refuse(jsonError(429, "RATE_LIMITED", `Too many requests; try again in ${verdict.resetSeconds} s`));
    }
    let raw = url;
    if (!isGet) {
      const timeoutMs = deps.config.limits.requestTimeoutMs;
      const text = await readBody(req, options.bodyLimitBytes, timeoutMs);
      if (text === TIMED_OUT) {
        // The body never arrived: answer as the route's timeout does, and close the connection,
        // whose framing is lost.
        return answerTimeout(res, timeoutMs, { ...limitHeaders, connection: "close" });
      }
      if (text === null) {
        return refuse(
          jsonError(413, "BAD_REQUEST", `Request body is larger than ${Math.round(options.bodyLimitBytes / 1024)}kb`),
        );
      }
      raw = text;
    }
    // The same request text has the same cache key: a repeated one is looked up without being
    // parsed, re-serialised and hashed again.
    const remembered = cache && raw.length <= REMEMBERED_CHARS ? rememberedKeys.get(raw) : undefined;
    let hit = remembered && cache!.peek(remembered.key);
    let operation = remembered?.operation ?? "anonymous";
    if (!hit) {
      let source: Record<string, unknown> | undefined;
      if (isGet) {
        source = Object.fromEntries(new URLSearchParams(url.slice(url.indexOf("?") + 1)));
      } else {
        try {
          req.body = raw === "" ? {} : JSON.parse(raw);
        } catch {
          return refuse(jsonError(400, "BAD_REQUEST", "Request body is not valid JSON"));
        }
        source = req.body && typeof req.body === "object" && !Array.isArray(req.body) ? (req.body as never) : undefined;
      }
      const lookup = source && cache && !remembered ? cacheKeyOf(source) : undefined;
      if (lookup) {
        if (raw.length <= REMEMBERED_CHARS) rememberedKeys.set(raw, lookup);
        hit = cache!.peek(lookup.key);
        operation = lookup.operation;
      }
      if (!hit) {
        // One operation sending its own text: GraphQL runs it here. Batches, document ids and bare
        // persisted-query hashes take the route (batch limit, trusted documents).
        if (
          !source ||
          typeof source.query !== "string" ||
          source.documentId !== undefined ||
          source.doc_id !== undefined
        )
          return app(req, res);
        return options.run(req, res, {
          requestId: requestIdOf(req),
          ip,
          limitHeaders,
          body: isGet ? undefined : source,
          search: isGet ? url.slice(url.indexOf("?")) : "",
        });
      }
    }
    const requestId = requestIdOf(req);
    res.writeHead(200, {
      ...limitHeaders,
      "content-type": "application/json; charset=utf-8",
      // A known length: one write of headers and body, not chunked framing around it.
      "content-length": hit.json.length,
      "cache-control": publicCacheControl(deps.events.cappedAge(hit.maxAge, deps.clock())),
      ...hit.surrogate,
      "x-cache": "HIT",
      "x-request-id": requestId,
      ...(deps.config.sqlStatementHeader ? { "x-sql-statements": "0" } : {}),
    });
    res.end(hit.json);
    graphqlRequests.inc({ operation, outcome: "ok" });
    logLater(log, requestId, operation);
  }
}

/** The caller's X-Request-Id when sane, else a new one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
}

function cacheKeyOf(source: Record<string, unknown>): { key: string; operation: string } | undefined {
  const { query, operationName, extensions } = source;
  // Persisted-query registrations (query plus hash) must reach Apollo, which stores the hash.
  if (typeof query !== "string" || extensions !== undefined) return undefined;
  let variables = source.variables;
  if (typeof variables === "string") {
    try {
      variables = JSON.parse(variables);
    } catch {
      return undefined;
    }
  }
  const name = typeof operationName === "string" ? operationName : null;
  return { key: ResponseCache.key(query, name, variables), operation: name ?? "anonymous" };
}

const TIMED_OUT = Symbol("body timed out");

/**
 * The body as text, or null past the limit (the rest is drained, so the answer still reaches the
 * client), or TIMED_OUT when it does not arrive within the request timeout.
 */
function readBody(req: IncomingMessage, limit: number, timeoutMs: number): Promise<string | null | typeof TIMED_OUT> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      req.removeAllListeners("data");
      req.pause();
      resolve(TIMED_OUT);
    }, timeoutMs);
    timer.unref();
    req.once("close", () => clearTimeout(timer));
    const declared = Number(req.headers["content-length"]);
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => {
      clearTimeout(timer);
      resolve(tooLarge ? null : Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
  });
}

/** The request's log line, after the answer is on its way. */
function logLater(log: Logger, requestId: string, operationName: string): void {
  setImmediate(() =>
    log.info({ requestId, operationName, status: 200, outcome: "ok", cache: "hit" }, "graphql request"),
  );
}
