import http from "node:http";
import express from "express";
import type { Lifecycle } from "../lifecycle";
import { drainable } from "./drain";

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
