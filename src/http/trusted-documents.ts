import type { RequestHandler } from "express";
import { LRUCache } from "lru-cache";
import type { AppDeps } from "../graphql/context";
import type { Viewer } from "../auth/auth.service";
import type { TrustedDocumentStore } from "../documents/trusted-document.store";
import { sha256 } from "../documents/trusted-document.manifest";
import { untrustedOperations } from "../metrics/metrics";
import { currentRequest } from "../request-context";
import { jsonError } from "./guards";

/** What one operation of a request carries, from a GET's parameters or a POST's JSON. */
export interface Operation {
  query?: unknown;
  documentId?: unknown;
  doc_id?: unknown;
  operationName?: unknown;
  extensions?: unknown;
}

export class Refusal {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/** At most `max` distinct label values; the rest are counted together, so probes cannot blow up /metrics. */
function cappedLabels(max: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= max) return "(other)";
    seen.add(value);
    return value;
  };
}

const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/;

function apqHash(extensions: unknown): string | undefined {
  let e = extensions;
  if (typeof e === "string") {
    try {
      e = JSON.parse(e);
    } catch {
      return undefined;
    }
  }
  const hash = (e as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

/**
 * Trusted documents on the way in, before the response cache and Apollo:
 * - `documentId` (or Relay's `doc_id`; `sha256:<hex>` names a document by its hash) is replaced by
 *   the registered text, as is the hash of Apollo's persisted-query extension when it names one;
 * - in audit mode an operation whose text is not registered is counted and logged (name and hash,
 *   never variables); in enforce mode it is refused (403 QUERY_NOT_IN_SAFELIST) unless the API key's
 *   role may send any document. The mode is per client (`apollographql-client-name`).
 * Apollo then parses and validates the text once per process (its document store, by hash).
 */
export type DocumentJudge = (op: Operation, client: string, viewer: Viewer | undefined) => Promise<string | undefined>;

/**
 * The verdict on one operation, for HTTP and WebSocket alike: the registered text it names (or
 * undefined: run what it sent), or a Refusal. `client` is the apollographql-client-name.
 */
export function documentJudge(deps: AppDeps, store: TrustedDocumentStore): DocumentJudge {
  const cfg = deps.config.trustedDocuments;
  const clientLabel = cappedLabels(100);
  const operationLabel = cappedLabels(100);
  // One log line per untrusted text per instance and hour; the counter counts every request.
  const logged = new LRUCache<string, true>({ max: 10_000, ttl: 3_600_000 });

  async function check(op: Operation, client: string, viewer: Viewer | undefined): Promise<string | undefined> {
    const mode = cfg.clients[client] ?? cfg.mode;
    const id = op.documentId ?? op.doc_id;
    if (id !== undefined) {
      if (op.query !== undefined) throw new Refusal(400, "BAD_REQUEST", "Send a query or a documentId, not both");
      const doc = typeof id === "string" ? await store.findById(id, client) : undefined;
      if (!doc) throw new Refusal(404, "PERSISTED_QUERY_NOT_IN_LIST", `No trusted document has the id ${String(id)}`);
      return doc.body;
    }
    let text = typeof op.query === "string" ? op.query : undefined;
    // Plain text in off mode needs no verdict: nothing to look up, nothing to count.
    if (mode === "off" && text !== undefined) return undefined;
    let filled: string | undefined;
    const hash = text !== undefined ? sha256(text) : apqHash(op.extensions);
    if (hash === undefined) return undefined; // Nothing to run: Apollo says what is missing.
    // A text is judged from memory; a bare hash may name a document added a moment ago (where it
    // matters: off mode answers an unknown hash PERSISTED_QUERY_NOT_FOUND anyway, without SQL).
    const trusted = await store.findByHash(hash, text !== undefined || mode === "off");
    if (trusted && text === undefined) filled = text = trusted.body;
    if (trusted || mode === "off") return filled;
    const operation =
      (typeof op.operationName === "string" ? op.operationName : undefined) ??
      (text ? OPERATION_NAME.exec(text)?.[1] : undefined) ??
      "anonymous";
    const bypass = viewer !== undefined && cfg.anyDocumentRoles.includes(viewer.role);
    const outcome = mode === "enforce" && !bypass ? "refused" : "served";
    untrustedOperations.inc({
      mode,
      outcome,
      client: clientLabel(client || "(none)"),
      operation: operationLabel(operation),
    });
    if (!logged.has(hash)) {
      logged.set(hash, true);
      deps.log.info(
        {
          requestId: currentRequest()?.requestId,
          operationName: operation,
          hash,
          client: client || null,
          mode,
          outcome,
        },
        "untrusted operation",
      );
    }
    if (outcome === "refused") {
      throw new Refusal(
        403,
        "QUERY_NOT_IN_SAFELIST",
        "This server answers trusted documents only: send a registered documentId (see `courant documents`)",
      );
    }
    return undefined;
  }
  return check;
}

export function trustedDocuments(check: DocumentJudge): RequestHandler {
  return async (req, res, next) => {
    const viewer = res.locals.viewer as Viewer | undefined;
    const client = req.get("apollographql-client-name") ?? "";
    try {
      if (req.method === "GET") {
        const params = req.query as Operation;
        const text = await check(params, client, viewer);
        if (text !== undefined) {
          const url = new URL(req.url, "http://gateway");
          url.searchParams.delete("documentId");
          url.searchParams.delete("doc_id");
          url.searchParams.set("query", text);
          req.url = `${url.pathname}${url.search}`;
        }
      } else if (req.method === "POST" && req.body && typeof req.body === "object") {
        const ops = (Array.isArray(req.body) ? req.body : [req.body]) as Operation[];
        for (const op of ops) {
          if (!op || typeof op !== "object") continue;
          const text = await check(op, client, viewer);
          if (text !== undefined) {
            delete op.documentId;
            delete op.doc_id;
            op.query = text;
          }
        }
      }
      next();
    } catch (err) {
      if (!(err instanceof Refusal)) return next(err);
      const e = jsonError(err.status, err.code, err.message);
      res.status(e.status).set("cache-control", "no-store").json(e.body);
    }
  };
}
