import { PLAYGROUND_EXAMPLES } from "../src/http/playground-examples";
/** What each benchmark scenario asks the gateway, and the same thing asked of the hand-written baseline. */
import { DEEP_PAGE, PAGE_SIZE, type Fixtures } from "./dataset";

export const SCENARIO_NAMES = ["feed", "deep", "article", "trending", "search"] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface HttpRequestSpec {
  method: "GET" | "POST";
  path: string;
  body?: string;
}

export interface Scenario {
  name: ScenarioName;
  title: string;
  /** One request, or several sent in turn (searches vary their words). */
  gateway: HttpRequestSpec[];
  /** The same answer from the hand-written server; absent where there is no hand-written version. */
  baseline?: HttpRequestSpec;
}

export const FEED_QUERY = `query Feed($section: String!, $after: String) {
  articles(first: ${PAGE_SIZE}, after: $after, filter: { section: $section }) {
    edges {
      cursor
      node {
        title
        standfirst
        publishedAt
        heroImage { url alt width height }
        section { name slug }
        authors { name }
      }
    }
  }
}`;

/** The ArticlePage query of README.md, as the playground offers it (a test keeps the two identical). */
export const ARTICLE_PAGE_QUERY = PLAYGROUND_EXAMPLES.find((e) => e.name === "ArticlePage")!.query;

export const TRENDING_QUERY = `query Trending {
  trending(window: DAY, first: 10) { items { rank score article { title url section { name } } } }
}`;

export const SEARCH_QUERY = `query Search($q: String!) {
  search(query: $q, first: ${PAGE_SIZE}) { edges { node { title } highlight } }
}`;

export const gql = (query: string, variables?: Record<string, unknown>): HttpRequestSpec => ({
  method: "POST",
  path: "/graphql",
  body: JSON.stringify(variables ? { query, variables } : { query }),
});

const feedPath = (section: string, after?: string) =>
  `/feed?section=${encodeURIComponent(section)}&first=${PAGE_SIZE}${after ? `&after=${encodeURIComponent(after)}` : ""}`;

export function scenarios(f: Fixtures, deepCursor: string): Scenario[] {
  return [
    {
      name: "feed",
      title: "mobile home feed (section, first 20)",
      gateway: [gql(FEED_QUERY, { section: f.section })],
      baseline: { method: "GET", path: feedPath(f.section) },
    },
    {
      name: "deep",
      title: `section feed, page ${DEEP_PAGE + 1} (after the last cursor of page ${DEEP_PAGE})`,
      gateway: [gql(FEED_QUERY, { section: f.section, after: deepCursor })],
      baseline: { method: "GET", path: feedPath(f.section, deepCursor) },
    },
    {
      name: "article",
      title: "article page (README ArticlePage query)",
      gateway: [gql(ARTICLE_PAGE_QUERY, f.article)],
      baseline: {
        method: "GET",
        path: `/article?slug=${encodeURIComponent(f.article.slug)}&language=${encodeURIComponent(f.article.language)}`,
      },
    },
    {
      name: "trending",
      title: "trending (DAY, first 10)",
      gateway: [gql(TRENDING_QUERY)],
    },
    {
      name: "search",
      title: `search (two words, first 20; ${f.searches.length} queries in turn)`,
      gateway: f.searches.map((q) => gql(SEARCH_QUERY, { q })),
    },
  ];
}
