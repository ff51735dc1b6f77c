import DataLoader from "dataloader";
import type { AuthorRow, AuthorService } from "./author.service";

export function createAuthorLoaders(service: AuthorService) {
  return {
    byId: new DataLoader<number, AuthorRow | null>(async (ids) => {
      const rows = new Map((await service.byIds(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    bySlug: new DataLoader<string, AuthorRow | null>(async (slugs) => {
      const rows = new Map((await service.bySlugs(slugs)).map((r) => [r.slug, r]));
      return slugs.map((s) => rows.get(s) ?? null);
    }),
    byArticle: new DataLoader<number, AuthorRow[]>(async (articleIds) => {
      const map = await service.byArticleIds(articleIds);
      return articleIds.map((id) => map.get(id) ?? []);
    }),
  };
}

export type AuthorLoaders = ReturnType<typeof createAuthorLoaders>;
