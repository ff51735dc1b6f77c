import { gql } from "@apollo/client";

export const SITE_CHROME = gql`
  fragment SiteChrome on Site {
    name
    url
    defaultLanguage
    languages
    socialLinks {
      network
      url
    }
  }
`;

const IMAGE = gql`
  fragment HeroImage on Image {
    url
    alt
    caption
    credit
    width
    height
    w480: rendition(width: 480)
    w800: rendition(width: 800)
    w1280: rendition(width: 1280)
    w1600: rendition(width: 1600)
  }
`;

export const ARTICLE_FIELDS = gql`
  fragment ArticlePageFields on Article {
    id
    language
    slug
    title
    standfirst
    publishedAt
    url
    byline
    disclaimer
    section {
      id
      slug
      name
      url
    }
    heroImage {
      ...HeroImage
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
      structuredData
      alternates {
        hreflang
        url
      }
    }
    translations {
      id
      language
      title
      url
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
            ...HeroImage
          }
        }
        ... on EmbedBlock {
          provider
          url
        }
        ... on AdSlotBlock {
          slotId
          label
          position
        }
      }
    }
  }
  ${IMAGE}
`;

/**
 * The article page in one request: the story by its URL (language and slug), in the reader's
 * edition when it exists there, else the version the reader came from (the API chooses), and
 * the site's chrome with the consent text in the edition's language.
 */
export const ARTICLE_PAGE = gql`
  query ArticlePage($slug: String!, $language: Locale!, $edition: Locale!) {
    site {
      ...SiteChrome
      newsletterConsentText(language: $edition)
    }
    article(slug: $slug, language: $language) {
      id
      language
      shown: translation(language: $edition, fallback: [$language]) {
        ...ArticlePageFields
      }
    }
  }
  ${SITE_CHROME}
  ${ARTICLE_FIELDS}
`;

/** The second request of the article page: Trending for its section and language. */
export const TRENDING = gql`
  query Trending($section: String, $language: Locale, $first: Int!) {
    trending(section: $section, language: $language, first: $first) {
      generatedAt
      items {
        rank
        views
        article {
          id
          title
          url
          language
        }
      }
    }
  }
`;

/** A section front (or the home page, without a section) in one request, paged with fetchMore. */
export const SECTION_FRONT = gql`
  query SectionFront($section: String, $hasSection: Boolean!, $language: Locale, $first: Int!, $after: String) {
    site {
      ...SiteChrome
    }
    section(slug: $section) @include(if: $hasSection) {
      id
      slug
      name
      description
      url
    }
    articles(first: $first, after: $after, filter: { section: $section, language: $language }) {
      edges {
        cursor
        node {
          id
          title
          url
          language
          publishedAt
          excerpt(maxLength: 160)
          section {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${SITE_CHROME}
`;

export const SUBSCRIBE = gql`
  mutation SubscribeNewsletter($input: NewsletterSubscriptionInput!) {
    subscribeNewsletter(input: $input) {
      status
    }
  }
`;
