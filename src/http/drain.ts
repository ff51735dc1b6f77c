import type http from "node:http";

/**
 * Graceful stop for an HTTP server. Unlike closing idle connections at once (which resets
 * requests a client has sent but the server has not parsed yet), it stops accepting, answers
 * whatever arrives on open connections with `Connection: close`, and closes them only once
 * nothing has been in flight for a quiet moment, or the budget runs out.
 */
export function drainable(server: http.Server) {
  let active = 0;
  let draining = false;
  server.on("request", (_req, res) => {
    active += 1;
    if (draining) res.setHeader("Connection", "close");
    res.once("close", () => (active -= 1));
  });
  return {
    async drain(budgetMs: number, quietMs = 300): Promise<void> {
      draining = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const deadline = Date.now() + budgetMs;
      let quietSince = Date.now();
      while (Date.now() < deadline) {
        if (active > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= quietMs) break;
        await new Promise((r) => setTimeout(r, 20));
        // Timers run before pending I/O in an event-loop turn: after a turn that blocked (GC, a
        // busy machine), let requests that arrived meanwhile be parsed before judging "quiet".
        await new Promise((r) => setImmediate(r));
      }
      server.closeAllConnections();
      await closed;
    },
  };
}
