import type { RequestHandler } from "express";
import { currentRequest } from "../request-context";
import { traceIncoming, tracingEnabled } from "../tracing";

/**
 * The server span of a GraphQL request, child of the caller's `traceparent`. Authentication,
 * rate limits, the response cache and Apollo all run inside it; the GraphQL plugin names it
 * after the operation once parsed.
 */
export const traceRequest: RequestHandler = (req, res, next) => {
  if (!tracingEnabled()) return next();
  const traced = traceIncoming(
    "GraphQL Operation",
    req.headers,
    {
      "http.request.method": req.method,
      "http.route": "/graphql",
      "url.path": req.baseUrl || req.path,
      "courant.request_id": currentRequest()?.requestId ?? "",
    },
    next,
  );
  if (!traced) return;
  res.once("finish", () => {
    // Answered from the response cache before GraphQL parsed it: name it from the request.
    if (res.getHeader("x-cache") === "HIT") {
      const source = (req.method === "GET" ? req.query : req.body) as { operationName?: unknown } | undefined;
      const name = typeof source?.operationName === "string" ? source.operationName.slice(0, 100) : undefined;
      traced.span.updateName(name ? `query ${name}` : "query");
      traced.span.setAttribute("graphql.operation.type", "query");
      if (name) traced.span.setAttribute("graphql.operation.name", name);
    }
    traced.end(res.statusCode);
  });
};
