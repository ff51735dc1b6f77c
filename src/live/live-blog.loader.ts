import DataLoader from "dataloader";
import type { ArticleScope } from "../article/article.visibility";
import type { LiveBlogRow, LiveBlogService, LivePostRow } from "./live-blog.service";

export function createLiveBlogLoaders(service: LiveBlogService, scope: ArticleScope) {
  return {
    /** The live blog of an article already judged visible (null: it carries none). */
    byArticle: new DataLoader<number, LiveBlogRow | null>(async (ids) => {
      const rows = new Map((await service.blogs(ids)).map((r) => [r.articleId, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    /** A post by id, only if its article is visible to the scope (node lookups). */
    postById: new DataLoader<number, LivePostRow | null>(async (ids) => {
      const rows = new Map((await service.postsByIds(scope, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
