// What a native app does, with nothing but fetch: page through a section feed, then render an
// article's body blocks as plain text. Requests are persisted queries sent as GET, the way a
// Swift or Kotlin client would send them (see README, "Persisted queries").
//
//   node examples/mobile-feed/feed.mjs [--url http://127.0.0.1:4000/graphql] [--section eu]
//        [--language nl] [--page-size 2] [--article SLUG]
//
// Without --article it renders the first article of the feed.
import { createHash } from "node:crypto";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({
  options: {
    url: { type: "string", default: "http://127.0.0.1:4000/graphql" },
    section: { type: "string", default: "eu" },
    language: { type: "string", default: "en" },
    "page-size": { type: "string", default: "10" },
    article: { type: "string" },
  },
});

const FEED = `query MobileFeed($section: String!, $language: Locale, $first: Int!, $after: String) {
  articles(first: $first, after: $after, filter: { section: $section, language: $language }) {
    nodes { slug title publishedAt section { name } authors { name } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const ARTICLE = `query MobileArticle($slug: String!, $language: Locale!) {
  article(slug: $slug, language: $language) {
    title
    byline
    publishedAt
    body {
      blocks {
        __typename
        ... on ParagraphBlock { text }
        ... on HeadingBlock { level text }
        ... on QuoteBlock { text attribution }
        ... on ListBlock { ordered items }
        ... on ImageBlock { image { alt caption } }
        ... on EmbedBlock { provider url }
        ... on AdSlotBlock { label }
      }
    }
  }
}`;

/**
 * One GraphQL request as an automatic persisted query: first a GET carrying only the query's
 * SHA-256 (small, and cacheable by a CDN); when the server does not know the hash yet, one POST
 * with the full query registers it. GETs must carry `apollo-require-preflight` (or a JSON
 * content-type): the server refuses header-less GETs as possible cross-site request forgery.
 */
async function graphql(query, variables) {
  const sha256Hash = createHash("sha256").update(query).digest("hex");
  const extensions = { persistedQuery: { version: 1, sha256Hash } };
  const url = new URL(args.url);
  url.searchParams.set("variables", JSON.stringify(variables));
  url.searchParams.set("extensions", JSON.stringify(extensions));
  const accept = "application/graphql-response+json, application/json;q=0.9";
  let body = await (await fetch(url, { headers: { accept, "apollo-require-preflight": "true" } })).json();
  if (body.errors?.some((e) => e.extensions?.code === "PERSISTED_QUERY_NOT_FOUND")) {
    const response = await fetch(args.url, {
      method: "POST",
      headers: { accept, "content-type": "application/json" },
      body: JSON.stringify({ query, variables, extensions }),
    });
    body = await response.json();
  }
  if (body.errors?.length) throw new Error(body.errors.map((e) => `${e.extensions?.code}: ${e.message}`).join("; "));
  return body.data;
}

/** Wraps text at `width` columns, each line starting with `indent`. */
function wrap(text, width = 78, indent = "") {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join("\n");
}

/** Plain text for each block type; an app would map each to a native view instead. */
function renderBlock(block) {
  switch (block.__typename) {
    case "ParagraphBlock":
      return wrap(block.text);
    case "HeadingBlock":
      return `${block.text}\n${(block.level <= 2 ? "=" : "-").repeat(block.text.length)}`;
    case "QuoteBlock":
      return wrap(`"${block.text}"`, 78, "    ") + (block.attribution ? `\n    - ${block.attribution}` : "");
    case "ListBlock":
      return block.items.map((item, i) => wrap(item, 78, block.ordered ? `  ${i + 1}. ` : "  * ")).join("\n");
    case "ImageBlock":
      return `[Image: ${block.image.caption ?? block.image.alt ?? "untitled"}]`;
    case "EmbedBlock":
      return `[Embed: ${block.provider} ${block.url}]`;
    case "AdSlotBlock":
      return `[Advertisement: ${block.label}]`;
    default:
      return ""; // A block type newer than this app: skip it rather than fail.
  }
}

const pageSize = Number(args["page-size"]);
const seen = [];
let after = null;
for (let page = 1; page <= 20; page++) {
  const { articles } = await graphql(FEED, { section: args.section, language: args.language, first: pageSize, after });
  console.log(`page ${page}:`);
  for (const a of articles.nodes) {
    const authors = a.authors.map((x) => x.name).join(", ");
    console.log(`  ${a.title} | ${a.section.name} | ${a.publishedAt.slice(0, 10)}${authors ? ` | ${authors}` : ""}`);
    seen.push(a.slug);
  }
  if (!articles.pageInfo.hasNextPage) break;
  after = articles.pageInfo.endCursor;
}
console.log(`${seen.length} articles in section "${args.section}" (${args.language})`);

const slug = args.article ?? seen[0];
if (slug) {
  const { article } = await graphql(ARTICLE, { slug, language: args.language });
  if (!article) throw new Error(`no public article ${slug} in ${args.language}`);
  console.log(`\n${article.title.toUpperCase()}`);
  if (article.byline) console.log(`${article.byline}, ${article.publishedAt.slice(0, 10)}`);
  console.log("");
  console.log(article.body.blocks.map(renderBlock).filter(Boolean).join("\n\n"));
}
