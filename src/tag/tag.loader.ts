import DataLoader from "dataloader";
import type { TagRow, TagService } from "./tag.service";

export function createTagLoaders(service: TagService) {
  return {
    byId: new DataLoader<number, TagRow | null>(async (ids) => {
      const rows = new Map((await service.byIds(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    bySlug: new DataLoader<string, TagRow | null>(async (slugs) => {
      const rows = new Map((await service.bySlugs(slugs)).map((r) => [r.slug, r]));
      return slugs.map((s) => rows.get(s) ?? null);
    }),
    byArticle: new DataLoader<number, TagRow[]>(async (articleIds) => {
      const map = await service.byArticleIds(articleIds);
      return articleIds.map((id) => map.get(id) ?? []);
    }),
  };
}

export type TagLoaders = ReturnType<typeof createTagLoaders>;
