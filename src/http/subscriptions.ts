import type http from "node:http";
import type { Duplex } from "node:stream";
import {
  GraphQLError,
  createSourceEventStream,
  execute,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from "graphql";
import { useServer } from "graphql-ws/use/ws";
import { WebSocketServer, type WebSocket } from "ws";
import { buildCourantSchema } from "../graphql/build-schema";
import { createContext, type AppDeps } from "../graphql/context";
import { createErrorFormatter } from "../graphql/format-error";
import { limitRules } from "../graphql/limits";
import { queryCost } from "../graphql/cost";
import { subscriptionSockets } from "../metrics/metrics";
import { Refusal, type DocumentJudge } from "./trusted-documents";

const STATUS_TEXT: Record<number, string> = { 404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable" };

/** An upgrade refused before it became a WebSocket: a plain HTTP answer with the usual JSON error. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${status === 503 ? "Retry-After: 1\r\n" : ""}\r\n${body}`,
  );
}

const failed = (code: string, message: string) => [new GraphQLError(message, { extensions: { code } })];

/**
 * One update, many subscribers: every subscriber of a live blog gets the same update object from
 * the feed, and those with the same operation and variables would compute the same public answer.
 * It is computed once per update and shared (the answers hold public data only, and the context
 * is refreshed per update), so a post costs one execution, not one per reader.
 */
const answers = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

async function sharedSubscribe(args: ExecutionArgs) {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream[Symbol.asyncIterator]();
  const key = `${args.operationName ?? ""}\n${print(args.document)}\n${JSON.stringify(args.variableValues ?? {})}`;
  const run = (payload: unknown): Promise<ExecutionResult> => {
    const run1 = async () => execute({ ...args, rootValue: payload });
    if (typeof payload !== "object" || payload === null) return run1();
    const byOperation = answers.get(payload) ?? new Map<string, Promise<ExecutionResult>>();
    answers.set(payload, byOperation);
    let answer = byOperation.get(key);
    if (!answer) byOperation.set(key, (answer = run1()));
    return answer;
  };
  // Not an async generator: its return() would wait for the next update before ending the feed.
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await source.next();
      return r.done ? { value: undefined, done: true } : { value: await run(r.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator;
}

interface SocketState {
  address: string;
  subscriptions: Set<string>;
  /** Since when the socket has had no subscription. */
  idleSince: number;
}

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol) on the HTTP server's own port
 * and path, /graphql. Transport only: what is sent, and to whom, is the live feed's business
 * (src/live/live-feed.ts). Limits: sockets per client address, subscriptions per socket, the
 * same rate-limit budget and shape limits as HTTP queries, keep-alive pings (a socket that does
 * not answer one is dropped), idle sockets closed, and a slow consumer (more than
 * maxBufferedBytes unsent) dropped before its unsent messages grow without bound.
 */
export function attachSubscriptions(
  server: http.Server,
  deps: AppDeps,
  addressOf: (req: http.IncomingMessage) => string,
  judge: DocumentJudge,
): { close(): Promise<void> } {
  const settings = deps.config.subscriptions;
  const schema = buildCourantSchema();
  const formatError = createErrorFormatter(deps.log);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const perAddress = new Map<string, number>();
  const states = new WeakMap<WebSocket, SocketState>();

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/graphql") return refuse(socket, 404, "NOT_FOUND", "Not found");
    if (deps.lifecycle.shuttingDown) return refuse(socket, 503, "SERVICE_UNAVAILABLE", "The server is shutting down");
    const address = addressOf(req);
    const open = perAddress.get(address) ?? 0;
    if (open >= settings.maxConnectionsPerAddress)
      return refuse(
        socket,
        429,
        "RATE_LIMITED",
        `Too many WebSocket connections from this address (at most ${settings.maxConnectionsPerAddress})`,
      );
    perAddress.set(address, open + 1);
    socket.once("close", () => {
      const n = (perAddress.get(address) ?? 1) - 1;
      if (n > 0) perAddress.set(address, n);
      else perAddress.delete(address);
    });
    wss.handleUpgrade(req, socket, head, (ws) => {
      states.set(ws, { address, subscriptions: new Set(), idleSince: Date.now() });
      subscriptionSockets.inc();
      ws.once("close", () => subscriptionSockets.dec());
      wss.emit("connection", ws, req);
    });
  };
  server.on("upgrade", onUpgrade);

  const disposable = useServer<
    Record<string, unknown> | undefined,
    { socket: WebSocket; request: http.IncomingMessage }
  >(
    {
      schema,
      subscribe: sharedSubscribe,
      connectionInitWaitTimeout: 10_000,
      onSubscribe: async (ctx, id, payload) => {
        const state = states.get(ctx.extra.socket)!;
        if (state.subscriptions.size >= settings.maxPerConnection)
          return failed(
            "RATE_LIMITED",
            `Too many subscriptions on this connection (at most ${settings.maxPerConnection}); open another connection`,
          );
        // Counted from here, so subscribe messages arriving together cannot all pass the cap.
        state.subscriptions.add(id);
        const refused = (errors: readonly GraphQLError[]) => {
          state.subscriptions.delete(id);
          if (!state.subscriptions.size) state.idleSince = Date.now();
          return errors;
        };
        const key = `ip:${state.address}`;
        const verdict = await deps.rateLimits.consume("queries", key);
        if (!verdict.allowed)
          return refused(failed("RATE_LIMITED", `Too many requests; try again in ${verdict.resetSeconds} s`));
        // Trusted documents hold over WebSocket as over HTTP: the client names itself by the
        // apollographql-client-name header of the upgrade or by the same key in connectionParams.
        // Sockets carry no viewer, so no role may send any document here.
        const params = ctx.connectionParams as Record<string, unknown> | undefined;
        const header = ctx.extra.request.headers["apollographql-client-name"];
        const client =
          (typeof params?.["apollographql-client-name"] === "string" ? params["apollographql-client-name"] : "") ||
          (typeof header === "string" ? header : "");
        let query = payload.query;
        try {
          query = (await judge(payload, client, undefined)) ?? query;
        } catch (err) {
          if (err instanceof Refusal) return refused(failed(err.code, err.message));
          // A lookup that failed (the database away): the socket stays, the subscription is
          // refused with a code, and what failed goes to the log, not to the client.
          deps.log.error({ err }, "trusted document lookup failed for a subscription");
          return refused(failed("SERVICE_UNAVAILABLE", "Could not check this operation; try again"));
        }
        let document: DocumentNode;
        try {
          document = parse(query, { maxTokens: deps.config.limits.maxTokens });
        } catch (err) {
          return refused(failed("GRAPHQL_PARSE_FAILED", (err as Error).message));
        }
        const errors = validate(schema, document, [...specifiedRules, ...limitRules(deps.config.limits)]);
        if (errors.length)
          return refused(
            errors.map(
              (e) =>
                new GraphQLError(e.message, {
                  nodes: e.nodes,
                  extensions: { ...e.extensions, code: e.extensions?.code ?? "GRAPHQL_VALIDATION_FAILED" },
                }),
            ),
          );
        const operation = getOperationAST(document, payload.operationName);
        if (!operation)
          return refused(failed("OPERATION_RESOLUTION_FAILURE", "Name the operation to run (operationName)"));
        if (operation.operation !== "subscription")
          return refused(
            failed("BAD_REQUEST", "Only subscriptions are served over WebSocket; send queries and mutations over HTTP"),
          );
        const limit = deps.config.limits.maxCost;
        let cost = 0;
        try {
          cost = queryCost(schema, document, payload.variables ?? {}, payload.operationName ?? undefined);
        } catch {
          // Variables the estimator cannot walk fail at execution with BAD_USER_INPUT.
        }
        if (cost > limit)
          return refused([
            new GraphQLError(
              `This operation costs ${cost}, more than the limit of ${limit}; ask for smaller pages or fewer fields`,
              { extensions: { code: "QUERY_TOO_COMPLEX", cost, limit } },
            ),
          ]);
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          // Public data only, whatever the socket carries: no viewer, ever.
          contextValue: createContext(deps, `ws-${id}`, { client: { key, fingerprint: key } }),
        };
      },
      onNext: (ctx, _id, _payload, _args, result) => {
        const socket = ctx.extra.socket;
        if (socket.bufferedAmount > settings.maxBufferedBytes) {
          // It does not read: a close frame would queue behind the rest. Drop it; its feeds end with it.
          deps.log.warn({ buffered: socket.bufferedAmount }, "dropping a slow subscriber");
          socket.terminate();
        }
        if (result.errors?.length) return { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) };
      },
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((e) => new GraphQLError(e.message, { extensions: formatError(e.toJSON(), e).extensions })),
      onComplete: (ctx, id) => {
        const state = states.get(ctx.extra.socket);
        if (!state) return;
        state.subscriptions.delete(id);
        if (!state.subscriptions.size) state.idleSince = Date.now();
      },
    },
    wss,
    settings.keepAliveMs,
  );

  // Sockets that hold no subscription for idleMs are closed; a reader that comes back reconnects.
  const sweep = setInterval(
    () => {
      const now = Date.now();
      for (const ws of wss.clients) {
        const state = states.get(ws);
        if (state && !state.subscriptions.size && now - state.idleSince > settings.idleMs)
          ws.close(1000, "Idle: no subscription");
      }
    },
    Math.max(50, Math.min(5000, Math.floor(settings.idleMs / 4))),
  );
  sweep.unref();

  return {
    /** Going away: every socket is closed with 1001 (clients reconnect elsewhere), stragglers are dropped. */
    async close() {
      clearInterval(sweep);
      server.off("upgrade", onUpgrade);
      const sockets = [...wss.clients];
      const closed = Promise.all(
        sockets.map((ws) =>
          ws.readyState === ws.CLOSED ? undefined : new Promise<void>((resolve) => ws.once("close", () => resolve())),
        ),
      );
      const disposed = disposable.dispose();
      await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
      for (const ws of sockets) if (ws.readyState !== ws.CLOSED) ws.terminate();
      await disposed;
    },
  };
}
