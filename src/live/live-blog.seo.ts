import type { ArticleRow } from "../article/article.service";
import { parseBody } from "../article/article.body";
import { cutAtWord } from "../article/article.text";
import { toGlobalId } from "../graphql/global-id";
import type { LiveBlogRow, LivePostRow } from "./live-blog.service";

/** How many of the newest posts the JSON-LD lists as liveBlogUpdate. */
export const STRUCTURED_UPDATES = 20;

/**
 * schema.org LiveBlogPosting for a live blog: coverage start and end, and the newest posts as
 * liveBlogUpdate. Used alone (LiveBlog.structuredData) and merged into the article's own
 * NewsArticle data (Seo.structuredData), which then says it is live coverage.
 */
export function liveBlogPosting(
  url: string,
  article: ArticleRow,
  blog: LiveBlogRow,
  posts: LivePostRow[],
): Record<string, unknown> {
  return {
    "@context": "https://schema.org",
    "@type": "LiveBlogPosting",
    "@id": url,
    url,
    headline: article.title,
    inLanguage: article.language,
    ...(article.publishedAt ? { datePublished: article.publishedAt.toISOString() } : {}),
    dateModified: blog.updatedAt.toISOString(),
    coverageStartTime: blog.startedAt.toISOString(),
    ...(blog.endedAt ? { coverageEndTime: blog.endedAt.toISOString() } : {}),
    liveBlogUpdate: posts.map((p) => {
      const text = parseBody(p.body).text;
      return {
        "@type": "BlogPosting",
        "@id": `${url}#${toGlobalId("LivePost", p.id)}`,
        url: `${url}#${toGlobalId("LivePost", p.id)}`,
        headline: p.title ?? cutAtWord(text, 110),
        datePublished: p.publishedAt.toISOString(),
        dateModified: p.updatedAt.toISOString(),
        articleBody: text,
      };
    }),
  };
}
