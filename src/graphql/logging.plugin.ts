import type { ApolloServerPlugin } from "@apollo/server";
import type { Logger } from "pino";
import type { Context } from "./context";
import { graphqlDuration, graphqlErrors, graphqlRequests } from "../metrics/metrics";

/**
 * One structured line per operation: request id, operation, duration, outcome and error
 * codes. Variables and headers are never logged (they may carry keys or e-mail addresses).
 */
export function loggingPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ response, operationName, errors, operation }) {
          const codes = [...new Set((errors ?? []).map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR")))];
          const seconds = (performance.now() - started) / 1000;
          const opName = operationName ?? "anonymous";
          graphqlRequests.inc({ operation: opName, outcome: codes.length === 0 ? "ok" : "error" });
          graphqlDuration.observe({ operation: opName }, seconds);
          for (const code of codes) graphqlErrors.inc({ code });
          log.info(
            {
              requestId: contextValue.requestId,
              operationName: operationName ?? null,
              operationType: operation?.operation ?? null,
              durationMs: Math.round((performance.now() - started) * 10) / 10,
              status: response.http.status ?? 200,
              outcome: codes.length === 0 ? "ok" : "error",
              errorCodes: codes.length ? codes : undefined,
              apiKey: contextValue.viewer ? contextValue.viewer.name : undefined,
            },
            "graphql request",
          );
        },
      };
    },
  };
}
