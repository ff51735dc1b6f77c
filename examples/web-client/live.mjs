// A live blog view with Apollo Client 4: one split link sends subscriptions over WebSocket
// (graphql-ws, the same /graphql) and everything else over HTTP. The page loads the newest posts
// with a query, then each liveBlogUpdated message updates the normalized cache, and the view
// (a watched query) re-renders from it: new posts on top, edits in place, deleted posts gone.
//
//   node examples/web-client/live.mjs --url http://127.0.0.1:4000/graphql --article <Article id> [--updates 3]
//
// Prints the view once loaded ("watching"), then after each update, and exits after --updates.
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { GraphQLWsLink } from "@apollo/client/link/subscriptions";
import { getMainDefinition } from "@apollo/client/utilities";
import { createClient } from "graphql-ws";
import WebSocket from "ws";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:4000/graphql" },
    article: { type: "string" },
    updates: { type: "string", default: "3" },
  },
});
if (!args.article) throw new Error("--article <Article id> is required");

const POST_FIELDS = gql`
  fragment LivePostFields on LivePost {
    id
    title
    pinned
    keyEvent
    publishedAt
    body {
      text
    }
  }
`;

const LIVE_BLOG = gql`
  query LiveBlog($id: ID!) {
    article(id: $id) {
      id
      title
      liveBlog {
        status
        posts(first: 10) {
          nodes {
            ...LivePostFields
          }
        }
      }
    }
  }
  ${POST_FIELDS}
`;

const UPDATES = gql`
  subscription LiveBlogUpdates($id: ID!) {
    liveBlogUpdated(articleId: $id) {
      event
      postId
      post {
        ...LivePostFields
      }
      liveBlog {
        status
      }
    }
  }
  ${POST_FIELDS}
`;

// In a browser, graphql-ws uses the page's WebSocket; Node needs the ws package.
let connected;
const ready = new Promise((resolve) => (connected = resolve));
const wsLink = new GraphQLWsLink(
  createClient({ url: args.url.replace(/^http/, "ws"), webSocketImpl: WebSocket, on: { connected } }),
);
const httpLink = new HttpLink({ uri: args.url });
const link = ApolloLink.split(
  ({ query }) => {
    const definition = getMainDefinition(query);
    return definition.kind === "OperationDefinition" && definition.operation === "subscription";
  },
  wsLink,
  httpLink,
);
const client = new ApolloClient({ link, cache: new InMemoryCache() });

function render(article) {
  const blog = article.liveBlog;
  console.log(`${article.title} [${blog.status}]`);
  for (const p of blog.posts.nodes)
    console.log(`  ${p.pinned ? "📌 " : ""}${p.title ?? p.body.text.slice(0, 60)}${p.keyEvent ? " (key event)" : ""}`);
}

const view = client.watchQuery({ query: LIVE_BLOG, variables: { id: args.article } });
const first = await client.query({ query: LIVE_BLOG, variables: { id: args.article } });
if (!first.data?.article?.liveBlog) throw new Error("that article has no public live blog");
let seen = 0;
view.subscribe({
  next: ({ data }) => {
    if (data?.article?.liveBlog) render(data.article);
  },
});

client.subscribe({ query: UPDATES, variables: { id: args.article } }).subscribe({
  next: ({ data }) => {
    const update = data.liveBlogUpdated;
    console.log(`update: ${update.event}`);
    // The post itself is already normalized into the cache by id; put new ones on top, drop deleted ones.
    client.cache.updateQuery({ query: LIVE_BLOG, variables: { id: args.article } }, (current) => {
      if (!current) return current;
      let nodes = current.article.liveBlog.posts.nodes.filter((p) => p.id !== update.postId || update.post);
      if (update.event === "POST_ADDED" && update.post) nodes = [update.post, ...nodes];
      return {
        article: {
          ...current.article,
          liveBlog: {
            ...current.article.liveBlog,
            status: update.liveBlog.status,
            posts: { ...current.article.liveBlog.posts, nodes },
          },
        },
      };
    });
    seen += 1;
    // Let the watched view render this last update before leaving.
    if (seen >= Number(args.updates)) sleep(100).then(() => process.exit(0));
  },
  error: (err) => {
    console.error(err);
    process.exit(1);
  },
});
await ready;
console.log("watching");
