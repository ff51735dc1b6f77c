/**
 * The ready-made operations the playground opens with, one tab each. They are also checked
 * by tests/playground.test.ts: each must validate against the schema, and the public ones
 * must answer without errors against the demo content.
 */
export interface PlaygroundExample {
  /** Tab title in the playground: the operation's name. */
  name: string;
  query: string;
  /** JSON object, as typed into the variables editor. */
  variables?: Record<string, unknown>;
  /** JSON object, as typed into the headers editor. */
  headers?: Record<string, string>;
}

const mobileHomeFeed: PlaygroundExample = {
  name: "MobileHomeFeed",
  query: `# A mobile app's home feed: the 20 newest articles in a section,
# with what a card shows. Public: no API key needed.
# Other sections: { sections { slug name } }
query MobileHomeFeed($section: String!, $language: Locale) {
  articles(first: 20, filter: { section: $section, language: $language }) {
    nodes {
      id
      title
      standfirst
      publishedAt
      heroImage {
        url
        alt
        rendition(width: 640)
      }
      section {
        name
      }
      authors {
        name
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
  variables: { section: "eu", language: "en" },
};

const sectionFeed: PlaygroundExample = {
  name: "SectionFeed",
  query: `# A section feed, page by page: copy pageInfo.endCursor into
# the "after" variable and run again for the next page
# (hasNextPage tells when to stop).
query SectionFeed($section: String!, $first: Int = 3, $after: String) {
  articles(first: $first, after: $after, filter: { section: $section }) {
    totalCount
    edges {
      cursor
      node {
        title
        language
        publishedAt
        url
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
  variables: { section: "eu", first: 3, after: null },
};

/** Kept identical to the ArticlePage query in README.md (a test compares them). */
const articlePage: PlaygroundExample = {
  name: "ArticlePage",
  query: `# Everything an article page needs, in one request.
query ArticlePage($slug: String!, $language: Locale!) {
  article(slug: $slug, language: $language) {
    title
    standfirst
    publishedAt
    byline
    disclaimer
    readingTimeMinutes
    section {
      name
      url
    }
    authors {
      name
      role
      avatar {
        rendition(width: 160)
      }
    }
    tags {
      name
    }
    heroImage {
      url
      alt
      caption
      credit
      rendition(width: 1280)
    }
    body {
      blocks {
        __typename
        ... on ParagraphBlock {
          html
        }
        ... on HeadingBlock {
          level
          text
        }
        ... on QuoteBlock {
          text
          attribution
        }
        ... on ListBlock {
          ordered
          items
        }
        ... on ImageBlock {
          image {
            url
            alt
            caption
          }
        }
        ... on EmbedBlock {
          provider
          url
        }
        ... on AdSlotBlock {
          slotId
          label
        }
      }
    }
    translations {
      language
      title
      url
    }
    related(first: 5) {
      title
      url
      section {
        name
      }
    }
    shareLinks {
      facebook
      x
      linkedin
      whatsapp
      telegram
      reddit
      email
    }
    seo {
      title
      description
      canonicalUrl
      imageUrl
    }
  }
}
`,
  variables: { slug: "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen", language: "nl" },
};

const trending: PlaygroundExample = {
  name: "Trending",
  query: `# The most-read articles of the last day, recent views weighing
# more. Views come from POST /beacon/view or recordView.
query Trending {
  trending(window: DAY, first: 10) {
    generatedAt
    items {
      rank
      score
      article {
        title
        url
      }
    }
  }
}
`,
};

const search: PlaygroundExample = {
  name: "Search",
  query: `# Full-text search over published articles, best match first.
query Search {
  search(query: "Baku", first: 10) {
    totalCount
    edges {
      score
      highlight
      node {
        title
        language
        url
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`,
};

const languageFallbackFeed: PlaygroundExample = {
  name: "LanguageFallbackFeed",
  query: `# A Lithuanian edition: one article per story, in Lithuanian
# where it exists, else in English, else in German.
query LanguageFallbackFeed {
  articles(first: 20, filter: { language: "lt", fallbackLanguages: ["en", "de"] }) {
    nodes {
      title
      language
      publishedAt
      url
    }
  }
}
`,
};

const createArticle: PlaygroundExample = {
  name: "CreateArticle",
  query: `# Editorial API: needs an editor or admin key in the
# Authorization header (Headers tab below). Create one with
#   npx courant api-key create --role editor --name playground
# The article is created as a draft; publishArticle makes it public.
# Ids: { sections { id slug } authors { nodes { id name } } }
mutation CreateArticle($input: CreateArticleInput!) {
  createArticle(input: $input) {
    id
    slug
    status
    url
  }
}
`,
  variables: {
    input: {
      title: "A draft from the playground",
      language: "en",
      sectionId: "U2VjdGlvbjox",
      authorIds: ["QXV0aG9yOjE"],
      standfirst: "Created with the editorial API.",
      body: "<p>First paragraph.</p><h2>A heading</h2><p>Second paragraph.</p>",
      tags: ["Diplomacy"],
    },
  },
  headers: { Authorization: "Bearer PASTE_YOUR_EDITOR_KEY_HERE" },
};

const createWebhook: PlaygroundExample = {
  name: "CreateWebhook",
  query: `# Webhooks: needs an admin key (npx courant api-key create --role admin --name ops).
# Content events are POSTed to url, signed in the Standard Webhooks form; verify them
# with the standardwebhooks package and the secret, which this answer shows once.
# List them, with every delivery attempt:
#   { webhooks { nodes { id url enabled deliveries(first: 5) { nodes { eventType status attempts { httpStatus error } } } } } }
mutation CreateWebhook($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    secret
    webhook {
      id
      url
      events
      enabled
    }
  }
}
`,
  variables: {
    input: {
      url: "https://example.com/courant-webhook",
      events: ["ARTICLE_PUBLISHED", "ARTICLE_UPDATED", "ARTICLE_UNPUBLISHED"],
      description: "Revalidate article pages on the website",
    },
  },
  headers: { Authorization: "Bearer PASTE_YOUR_ADMIN_KEY_HERE" },
};

const breakingNews: PlaygroundExample = {
  name: "BreakingNews",
  query: `# A subscription, over WebSocket (graphql-ws) on this same /graphql: press run, then
# publish an article (the CreateArticle tab, then publishArticle) and it arrives here.
# A live blog's posts as they are written:
#   subscription { liveBlogUpdated(articleId: "...") { event postId post { title body { text } } liveBlog { status } } }
subscription BreakingNews($language: String) {
  articlePublished(language: $language) {
    id
    title
    url
    publishedAt
    section {
      name
    }
  }
}
`,
  variables: { language: "en" },
};

export const PLAYGROUND_EXAMPLES: readonly PlaygroundExample[] = [
  mobileHomeFeed,
  sectionFeed,
  articlePage,
  trending,
  search,
  languageFallbackFeed,
  createArticle,
  createWebhook,
  breakingNews,
];
