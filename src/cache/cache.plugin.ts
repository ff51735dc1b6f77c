import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../config";
import type { Context } from "../graphql/context";
import { maxAgeByType, operationMaxAge, publicCacheControl } from "./cache-policy";
import { recordedReads, startRecordingReads } from "./cache-dependencies";
import { ResponseCache } from "./response-cache";

/**
 * Cache-Control from cache hints for every response (public and cacheable only for public
 * queries that succeeded), and the response cache for those same responses.
 */
export function cachePlugin(config: Config, schema: GraphQLSchema, cache?: ResponseCache): ApolloServerPlugin<Context> {
  const ages = maxAgeByType(config.cache);
  return {
    async requestDidStart({ contextValue }) {
      let maxAge = 0;
      let key: string | undefined;
      let hit = false;
      let isQuery = false;
      return {
        async didResolveOperation({ operation, document }) {
          isQuery = operation?.operation === "query";
          // Never past the next scheduled moment: what it changes must not hide behind a cached answer.
          if (isQuery)
            maxAge = contextValue.app.events.cappedAge(
              operationMaxAge(schema, document, ages),
              contextValue.app.clock(),
            );
        },
        async responseForOperation({ source, request }) {
          if (!cache || !isQuery || contextValue.viewer || maxAge <= 0) return null;
          key = ResponseCache.key(source, request.operationName, request.variables);
          const body = cache.get(key);
          if (body) {
            hit = true;
            return {
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: "single", singleResult: body },
            };
          }
          startRecordingReads();
          return null;
        },
        async willSendResponse({ response, errors }) {
          const headers = response.http.headers;
          if (contextValue.viewer) {
            headers.set("cache-control", "private, no-store");
          } else if (!isQuery || (errors && errors.length > 0) || maxAge <= 0) {
            headers.set("cache-control", "no-store");
          } else {
            headers.set("cache-control", publicCacheControl(maxAge));
          }
          if (!cache || !key) return;
          headers.set("x-cache", hit ? "HIT" : "MISS");
          const reads = recordedReads();
          if (
            !hit &&
            reads &&
            !errors?.length &&
            response.body.kind === "single" &&
            !response.body.singleResult.errors
          ) {
            cache.set(key, response.body.singleResult, reads, maxAge);
          }
        },
      };
    },
  };
}
