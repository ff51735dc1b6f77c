/** The shapes of the answers to the operations in operations.ts. */
export interface SiteChrome {
  name: string;
  url: string;
  defaultLanguage: string;
  languages: string[];
  socialLinks: Array<{ network: string; url: string }>;
  newsletterConsentText?: string;
}

export interface HeroImage {
  url: string;
  alt: string | null;
  caption: string | null;
  credit: string | null;
  width: number | null;
  height: number | null;
  w480: string;
  w800: string;
  w1280: string;
  w1600: string;
}

export type Block =
  | { __typename: "ParagraphBlock"; html: string }
  | { __typename: "HeadingBlock"; level: number; text: string }
  | { __typename: "QuoteBlock"; text: string; attribution: string | null }
  | { __typename: "ListBlock"; ordered: boolean; items: string[] }
  | { __typename: "ImageBlock"; image: HeroImage }
  | { __typename: "EmbedBlock"; provider: string; url: string }
  | { __typename: "AdSlotBlock"; slotId: string; label: string; position: number };

export interface ArticlePageFields {
  id: string;
  language: string;
  slug: string;
  title: string;
  standfirst: string | null;
  publishedAt: string | null;
  url: string;
  byline: string | null;
  disclaimer: string | null;
  section: { id: string; slug: string; name: string; url: string };
  heroImage: HeroImage | null;
  shareLinks: Record<"facebook" | "x" | "linkedin" | "whatsapp" | "telegram" | "reddit" | "email", string>;
  seo: {
    title: string;
    description: string;
    canonicalUrl: string;
    imageUrl: string | null;
    /** schema.org JSON-LD (NewsArticle, or LiveBlogPosting for live coverage), ready for the head. */
    structuredData: Record<string, unknown>;
    /** Every public language version of the story, then x-default. */
    alternates: Array<{ hreflang: string; url: string }>;
  };
  translations: Array<{ id: string; language: string; title: string; url: string }>;
  body: { blocks: Block[] };
}

export interface ArticlePageData {
  site: SiteChrome;
  article: { id: string; language: string; shown: ArticlePageFields | null } | null;
}

export interface TrendingData {
  trending: {
    generatedAt: string;
    items: Array<{
      rank: number;
      views: number;
      article: { id: string; title: string; url: string; language: string };
    }>;
  };
}

export interface SectionFrontData {
  site: SiteChrome;
  section?: { id: string; slug: string; name: string; description: string | null; url: string } | null;
  articles: {
    edges: Array<{
      cursor: string;
      node: {
        id: string;
        title: string;
        url: string;
        language: string;
        publishedAt: string | null;
        excerpt: string;
        section: { id: string; name: string };
      };
    }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
