// A web client's section feed with Apollo Client 4: automatic persisted queries sent as GET
// (cacheable by a CDN), and Relay-style cursor pagination merged in the normalized cache.
//
//   node examples/web-client/feed.mjs [--url http://127.0.0.1:4000/graphql] [--section eu] [--page-size 3]
//                                     [--manifest persisted-query-manifest.json] [--client-name web]
//
// Its operations are in operations.graphql. With --manifest (written from that file by
// `npx generate-persisted-query-manifest --config examples/web-client/persisted-query-manifest.config.json`
// and registered with `npx courant documents add FILE --client web`), it sends the manifest's ids
// only, as an app must when the gateway runs with TRUSTED_DOCUMENTS=enforce.
// Prints each request it sends, then the titles of two pages fetched with fetchMore.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { parseArgs } from "node:util";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { relayStylePagination } from "@apollo/client/utilities";
import { generatePersistedQueryIdsFromManifest } from "@apollo/persisted-query-lists";
import { filter, firstValueFrom } from "rxjs";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:4000/graphql" },
    section: { type: "string", default: "eu" },
    "page-size": { type: "string", default: "3" },
    manifest: { type: "string" },
    "client-name": { type: "string", default: "web-client-example" },
  },
});

const { SectionFeed: SECTION_FEED } = Object.fromEntries(
  gql(fs.readFileSync(new URL("operations.graphql", import.meta.url), "utf8")).definitions.map((d) => [
    d.name.value,
    { kind: "Document", definitions: [d] },
  ]),
);

/** Logs each request: a GET that carries only the hash, or the POST that registers the full query. */
async function loggingFetch(input, init) {
  const response = await fetch(input, init);
  const method = init?.method ?? "GET";
  const body = await response.clone().json();
  const outcome = body.errors?.[0]?.extensions?.code ?? (body.data ? "data" : `HTTP ${response.status}`);
  const sent = method === "GET" ? (args.manifest ? "(id only)" : "(hash only)") : "(full query)";
  console.log(`request: ${method} ${sent} -> ${outcome}`);
  return response;
}

const client = new ApolloClient({
  // Sent as the apollographql-client-name header: the gateway's per-client trusted-document mode.
  clientAwareness: { name: args["client-name"], version: "1.0.0" },
  link: new PersistedQueryLink({
    ...(args.manifest
      ? // The manifest's ids, registered with the gateway beforehand: never the text.
        generatePersistedQueryIdsFromManifest({
          loadManifest: () => JSON.parse(fs.readFileSync(args.manifest, "utf8")),
        })
      : // Apollo Server keeps queries by their SHA-256; unknown hashes are answered with
        // PERSISTED_QUERY_NOT_FOUND and the link retries once with the full query (POST).
        { sha256: (query) => createHash("sha256").update(query).digest("hex") }),
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
