import DataLoader from "dataloader";
import type { Page, PageRequest } from "../graphql/pagination";
import { parseBody, type ParsedBody } from "./article.body";
import type {
  ArticleCount,
  ArticleKey,
  ArticleOrderValue,
  ArticleRow,
  ArticleService,
  ArticleWhere,
} from "./article.service";
import type { ArticleScope } from "./article.visibility";

export interface ArticlePageKey {
  where: ArticleWhere;
  order: ArticleOrderValue;
  page: PageRequest<ArticleKey>;
}

const keyOf = (value: unknown) => JSON.stringify(value);

/**
 * Per-request article loaders. Pages requested with the same order and page arguments
 * (every `articles(first: 5)` under a list of sections, say) become one statement.
 * `tagsOf` reads articles' tags (the request's tag loader, so a page that shows the tags reads
 * them once); related articles are found from them.
 */
export function createArticleLoaders(
  service: ArticleService,
  scope: ArticleScope,
  tagsOf: (articleIds: readonly number[]) => Promise<ReadonlyArray<readonly { id: number }[] | Error>>,
) {
  const body = new DataLoader<number, string | null>(async (ids) => {
    const bodies = await service.bodies(scope, ids);
    return ids.map((id) => bodies.get(id) ?? null);
  });
  const relatedBySize = new Map<number, DataLoader<ArticleRow, ArticleRow[]>>();
  return {
    byId: new DataLoader<number, ArticleRow | null>(async (ids) => {
      const rows = new Map((await service.byIds(scope, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    /** For `article(id)` only: editors previewing also get drafts and scheduled articles. */
    lookupById: new DataLoader<number, ArticleRow | null>(async (ids) => {
      const rows = new Map((await service.lookupByIds(scope, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    body,
    /** Sanitised and parsed once per request, however many body fields ask. */
    parsedBody: new DataLoader<number, ParsedBody | null>(async (ids) =>
      (await body.loadMany(ids)).map((b) => (typeof b === "string" ? parseBody(b) : null)),
    ),
    storyVersions: new DataLoader<string, ArticleRow[]>(async (keys) => {
      const rows = await service.storyVersions(scope, keys);
      return keys.map((k) => rows.filter((r) => r.storyKey === k));
    }),
    related(first: number): DataLoader<ArticleRow, ArticleRow[], number> {
      let loader = relatedBySize.get(first);
      if (!loader) {
        loader = new DataLoader<ArticleRow, ArticleRow[], number>(
          async (rows) => {
            const tags = await tagsOf(rows.map((r) => r.id));
            const tagIds = new Map(
              rows.map((r, i) => {
                const t = tags[i]!;
                if (t instanceof Error) throw t;
                return [r.id, t.map((tag) => tag.id)];
              }),
            );
            const map = await service.related(scope, rows, first, tagIds);
            return rows.map((r) => map.get(r.id) ?? []);
          },
          { cacheKeyFn: (r) => r.id },
        );
        relatedBySize.set(first, loader);
      }
      return loader;
    },
    pages: new DataLoader<ArticlePageKey, Page<ArticleRow>, string>(
      async (keys) => {
        const groups = new Map<string, number[]>();
        keys.forEach((k, i) => {
          const g = keyOf([k.order, k.page]);
          groups.set(g, [...(groups.get(g) ?? []), i]);
        });
        const out: Page<ArticleRow>[] = new Array(keys.length);
        await Promise.all(
          [...groups.values()].map(async (indexes) => {
            const first = keys[indexes[0]!]!;
            const pages = await service.pages(
              scope,
              indexes.map((i) => keys[i]!.where),
              first.order,
              first.page,
            );
            indexes.forEach((keyIndex, j) => (out[keyIndex] = pages[j]!));
          }),
        );
        return out;
      },
      { cacheKeyFn: keyOf },
    ),
    counts: new DataLoader<ArticleWhere, ArticleCount, string>((wheres) => service.counts(scope, wheres), {
      cacheKeyFn: keyOf,
    }),
  };
}

export type ArticleLoaders = ReturnType<typeof createArticleLoaders>;
