// A web client's section feed with Apollo Client 4: automatic persisted queries sent as GET
// (cacheable by a CDN), and Relay-style cursor pagination merged in the normalized cache.
//
//   node examples/web-client/feed.mjs [--url http://127.0.0.1:4000/graphql] [--section eu] [--page-size 3]
//
// Prints each request it sends, then the titles of two pages fetched with fetchMore.
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { relayStylePagination } from "@apollo/client/utilities";
import { filter, firstValueFrom } from "rxjs";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:4000/graphql" },
    section: { type: "string", default: "eu" },
    "page-size": { type: "string", default: "3" },
  },
});

const SECTION_FEED = gql`
  query SectionFeed($section: String!, $first: Int!, $after: String) {
    articles(first: $first, after: $after, filter: { section: $section }) {
      edges {
        cursor
        node {
          id
          title
          language
          publishedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** Logs each request: a GET that carries only the hash, or the POST that registers the full query. */
async function loggingFetch(input, init) {
  const response = await fetch(input, init);
  const method = init?.method ?? "GET";
  const body = await response.clone().json();
  const outcome = body.errors?.[0]?.extensions?.code ?? (body.data ? "data" : `HTTP ${response.status}`);
  console.log(`request: ${method} ${method === "GET" ? "(hash only)" : "(full query)"} -> ${outcome}`);
  return response;
}

const client = new ApolloClient({
  link: new PersistedQueryLink({
    // Apollo Server keeps queries by their SHA-256; unknown hashes are answered with
    // PERSISTED_QUERY_NOT_FOUND and the link retries once with the full query (POST).
    sha256: (query) => createHash("sha256").update(query).digest("hex"),
    useGETForHashedQueries: true,
  }).concat(
    // Apollo Client sends `content-type: application/json` on GETs too, which is what lets
    // them through the server's CSRF prevention (see README, "Persisted queries").
    new HttpLink({ uri: args.url, fetch: loggingFetch }),
  ),
  cache: new InMemoryCache({
    typePolicies: {
      // One cached list per filter and order; pages fetched with `after` are appended to it.
      Query: { fields: { articles: relayStylePagination(["filter", "orderBy"]) } },
    },
  }),
});

const feed = client.watchQuery({
  query: SECTION_FEED,
  variables: { section: args.section, first: Number(args["page-size"]) },
});
const first = await firstValueFrom(feed.pipe(filter((r) => !r.loading)));
if (first.error) throw first.error;
const firstPage = first.data.articles;
console.log(`page 1 of section "${args.section}":`);
for (const { node } of firstPage.edges) console.log(`  ${node.title} [${node.language}]`);

if (firstPage.pageInfo.hasNextPage) {
  const next = await feed.fetchMore({ variables: { after: firstPage.pageInfo.endCursor } });
  console.log("page 2:");
  for (const { node } of next.data.articles.edges) console.log(`  ${node.title} [${node.language}]`);
}

// The field policy merged both pages into one list in the cache.
const merged = feed.getCurrentResult().data.articles.edges;
console.log(`cached feed: ${merged.length} articles, ${new Set(merged.map((e) => e.node.id)).size} distinct`);
client.stop();
