import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { Article } from "../article/article.type";
import { Author } from "../author/author.type";
import { Section } from "../section/section.type";
import { Tag } from "../tag/tag.type";
import { LivePost } from "../live/live-blog.type";
import type { Context } from "./context";
import { badUserInput } from "./errors";
import { fromGlobalId } from "./global-id";
import { Node } from "./node.type";
import { MAX_PAGE_SIZE } from "./pagination";

/** Every node lookup goes through the same per-request loaders as the rest of the API. */
async function loadNode(ctx: Context, globalId: string, field: string): Promise<Node | null> {
  const { type, id } = fromGlobalId(globalId, field);
  switch (type) {
    case "Article": {
      const row = await ctx.loaders.articles.byId.load(id);
      return row && new Article(row);
    }
    case "Author": {
      const row = await ctx.loaders.authors.byId.load(id);
      return row && new Author(row);
    }
    case "Tag": {
      const row = await ctx.loaders.tags.byId.load(id);
      return row && new Tag(row);
    }
    case "LivePost": {
      const row = await ctx.loaders.live.postById.load(id);
      if (!row) return null;
      const [blog, article] = await Promise.all([
        ctx.loaders.live.byArticle.load(row.articleId),
        ctx.loaders.articles.lookupById.load(row.articleId),
      ]);
      return article ? new LivePost(row, article.language, blog?.pinnedPostId ?? null) : null;
    }
    case "Section": {
      const row = (await ctx.loaders.sections.having((t) => t.byId.has(id))).byId.get(id);
      return row ? new Section(row) : null;
    }
  }
}

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true })
  node(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<Node | null> {
    return loadNode(ctx, id, "id");
  }

  @Query(() => [Node], { nullable: "items" })
  nodes(@Arg("ids", () => [ID]) ids: string[], @Ctx() ctx: Context): Promise<Array<Node | null>> {
    if (ids.length > MAX_PAGE_SIZE) throw badUserInput(`at most ${MAX_PAGE_SIZE} ids`, "ids");
    return Promise.all(ids.map((id, i) => loadNode(ctx, id, `ids[${i}]`)));
  }
}
