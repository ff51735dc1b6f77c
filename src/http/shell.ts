import http from "node:http";
import express from "express";
import type { Lifecycle } from "../lifecycle";
import { drainable } from "./drain";

/** How long an idle keep-alive connection is kept open (see startShell). */
export const KEEP_ALIVE_MS = 65_000;

const unavailable = {
  errors: [
    {
      message: "The service is starting or its database is unavailable; retry shortly",
      extensions: { code: "SERVICE_UNAVAILABLE" },
    },
  ],
};

/**
 * The process answers from its first moment: /healthz says it is alive, /readyz and every
 * other request say 503 until the database is there. `serve` swaps in the real app.
 */
export function startShell(lifecycle: Lifecycle) {
  const shell = express();
  shell.disable("x-powered-by");
  shell.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  shell.get("/readyz", (_req, res) => {
    res.status(503).json({ status: "unavailable", reason: lifecycle.reason });
  });
  shell.use((_req, res) => {
    res.status(503).set("Retry-After", "1").json(unavailable);
  });
  let handler: http.RequestListener = shell;
  let fast: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const server = http.createServer((req, res) => {
    if (fast?.(req, res)) return;
    handler(req, res);
  });
  // Idle keep-alive connections stay open longer than a proxy or load balancer in front keeps
  // them (60 s on common ones) and than HTTP clients do (undici: 4 s): the side that closes an
  // idle connection must be the client, or a request sent just as the server closes it fails
  // with a reset (a 502 at a proxy). Node's default of 5 s is shorter than both.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1000;
  const { drain } = drainable(server);
  return {
    server,
    drain,
    /** Serves `app`, with `first` answering the requests it takes before `app` sees them. */
    serve(app: http.RequestListener, first?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean) {
      handler = app;
      fast = first;
    },
  };
}
