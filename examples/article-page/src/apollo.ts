import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { relayStylePagination } from "@apollo/client/utilities";
import { GRAPHQL_URL } from "./config";

/** SHA-256 of the query text in hex, with the browser's own Web Crypto (no library needed). */
async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export function createClient(): ApolloClient {
  return new ApolloClient({
    // Automatic persisted queries: queries go out as GET with only their hash (cacheable by a
    // CDN); an unknown hash is answered PERSISTED_QUERY_NOT_FOUND and the link sends the full
    // query once with POST, which registers it. Mutations always use POST.
    link: new PersistedQueryLink({ sha256, useGETForHashedQueries: true }).concat(
      // Apollo Client sends `content-type: application/json` on GETs too, which satisfies the
      // gateway's CSRF prevention (and makes the browser ask CORS first: see CORS_ORIGINS).
      new HttpLink({ uri: GRAPHQL_URL }),
    ),
    cache: new InMemoryCache({
      typePolicies: {
        // One list per filter; pages fetched with `after` are appended to it, each story once.
        Query: { fields: { articles: relayStylePagination(["filter", "orderBy"]) } },
      },
    }),
  });
}
