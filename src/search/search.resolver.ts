import { Args, Ctx, Query, Resolver } from "type-graphql";
import { noteRead } from "../cache/cache-dependencies";
import { toArticleWhere } from "../article/article.args";
import { PageInfo } from "../graphql/connection";
import type { Context } from "../graphql/context";
import { pageRequest } from "../graphql/pagination";
import { SearchArgs } from "./search.args";
import { parseSearchQuery } from "./search.query";
import { decodeSearchCursor, searchCursor, searchFingerprint, type SearchPage } from "./search.service";
import { ArticleSearchConnection, ArticleSearchEdge } from "./search.type";

@Resolver()
export class SearchResolver {
  @Query(() => ArticleSearchConnection, {
    description: "Full-text search over published titles, standfirsts and bodies, best match first.",
  })
  async search(@Args() args: SearchArgs, @Ctx() ctx: Context): Promise<ArticleSearchConnection> {
    const query = parseSearchQuery(args.query);
    const where = await toArticleWhere(ctx, args.filter);
    // Any change to an article in the searched languages can change the results.
    noteRead((r) =>
      (where?.languages ?? (where?.language ? [where.language] : ["*"])).forEach((l) => r.languages.add(l)),
    );
    const fingerprint = searchFingerprint(query, where);
    const page = pageRequest(args, (cursor, field) => decodeSearchCursor(cursor, field, fingerprint, query));
    // No word left to search for (only punctuation, say), or a filter nothing can pass: no statement needed.
    const result: SearchPage =
      where && query.units.length > 0
        ? await ctx.app.services.search.search(ctx.scope, query, where, page)
        : { page: { items: [], hasNextPage: false, hasPreviousPage: page.after !== undefined }, total: 0, plan: [] };
    const edges = result.page.items.map(
      (hit) => new ArticleSearchEdge(hit, query, searchCursor(fingerprint, hit, result.plan)),
    );
    const info = Object.assign(new PageInfo(), {
      hasNextPage: result.page.hasNextPage,
      hasPreviousPage: result.page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    });
    const total = result.total;
    return new ArticleSearchConnection(edges, info, () =>
      total !== null || !where
        ? Promise.resolve(total ?? 0)
        : ctx.app.services.search.count(ctx.scope, query, where, result.plan),
    );
  }
}
