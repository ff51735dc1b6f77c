import { HeaderMap, type ApolloServerPlugin } from "@apollo/server";
import type { GraphQLSchema } from "graphql";
import type { Config } from "../config";
import type { Context } from "../graphql/context";
import { maxAgeByType, operationMaxAge, publicCacheControl } from "./cache-policy";
import { recordedReads, startRecordingReads } from "./cache-dependencies";
import { ResponseCache } from "./response-cache";
import { keysForReads, surrogateHeaders, type SurrogateHeaders } from "./surrogate-keys";

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
      let surrogate: SurrogateHeaders | undefined;
      let since: number | undefined;
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
          if (!isQuery || contextValue.viewer || maxAge <= 0) return null;
          if (cache) {
            key = ResponseCache.key(source, request.operationName, request.variables);
            const entry = cache.get(key);
            if (entry) {
              hit = true;
              surrogate = entry.surrogate;
              return {
                http: { status: undefined, headers: new HeaderMap() },
                body: { kind: "single", singleResult: entry.body },
              };
            }
          }
          // What the answer reads: for the response cache's evictions and the CDN's surrogate keys.
          startRecordingReads();
          since = cache?.mark();
          return null;
        },
        async willSendResponse({ response, errors }) {
          const headers = response.http.headers;
          const reads = recordedReads();
          const cacheable =
            !contextValue.viewer &&
            isQuery &&
            maxAge > 0 &&
            !errors?.length &&
            !(response.body.kind === "single" && response.body.singleResult.errors);
          if (contextValue.viewer) {
            headers.set("cache-control", "private, no-store");
          } else if (!cacheable) {
            headers.set("cache-control", "no-store");
          } else {
            headers.set("cache-control", publicCacheControl(maxAge));
            surrogate ??= reads ? surrogateHeaders(keysForReads(reads)) : undefined;
            if (surrogate) for (const [name, value] of Object.entries(surrogate)) headers.set(name, value);
          }
          if (!cache || !key) return;
          headers.set("x-cache", hit ? "HIT" : "MISS");
          if (!hit && reads && cacheable && response.body.kind === "single") {
            cache.set(key, response.body.singleResult, reads, maxAge, surrogate, since);
          }
        },
      };
    },
  };
}
