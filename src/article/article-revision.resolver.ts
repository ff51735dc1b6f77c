import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from "type-graphql";
import { requireRole } from "../auth/auth.guard";
import type { Context } from "../graphql/context";
import { badUserInput, notFound } from "../graphql/errors";
import { ForwardPageArgs, pageRequest } from "../graphql/pagination";
import {
  ArticleRevision,
  ArticleRevisionComparison,
  ArticleRevisionConnection,
  BlockChangeKind,
  RevisionBlockChange,
  RevisionFieldChange,
} from "./article-revision.type";
import { decodeRevisionCursor, revisionCursor, revisionIdOf } from "./article-revision.service";
import { diffBodies, REVISION_FIELDS } from "./article.revisions";
import { Article } from "./article.type";

const shown = (v: unknown): string | null => (v == null ? null : typeof v === "string" ? v : JSON.stringify(v));

/** Revisions: editors only. The public never sees them, nor learns that they exist. */
@Resolver(() => Article)
export class ArticleRevisionResolver {
  @FieldResolver(() => ArticleRevisionConnection, {
    description: "Editors only: every saved version, newest first, with who saved it and what changed.",
  })
  async revisions(
    @Root() article: Article,
    @Args() args: ForwardPageArgs,
    @Ctx() ctx: Context,
  ): Promise<ArticleRevisionConnection> {
    requireRole(ctx.viewer, "editor");
    const service = ctx.app.services.revisions;
    const page = await service.page(article.row.id, pageRequest(args, decodeRevisionCursor));
    return new ArticleRevisionConnection({
      page,
      cursor: revisionCursor,
      present: (row) => new ArticleRevision(row),
      count: () => service.count(article.row.id),
    });
  }

  @Query(() => ArticleRevision, { nullable: true, description: "Editors only: one saved version, whole." })
  async articleRevision(@Arg("id", () => ID) id: string, @Ctx() ctx: Context): Promise<ArticleRevision | null> {
    requireRole(ctx.viewer, "editor");
    const [row] = await ctx.app.services.revisions.byIds([revisionIdOf(id, "id")]);
    return row ? new ArticleRevision(row) : null;
  }

  @Query(() => ArticleRevisionComparison, {
    description: "Editors only: two versions of one article, field by field, and the body block by block.",
  })
  async compareArticleRevisions(
    @Arg("from", () => ID) from: string,
    @Arg("to", () => ID) to: string,
    @Ctx() ctx: Context,
  ): Promise<ArticleRevisionComparison> {
    requireRole(ctx.viewer, "editor");
    const ids = [revisionIdOf(from, "from"), revisionIdOf(to, "to")];
    const rows = await ctx.app.services.revisions.byIds(ids);
    const a = rows.find((r) => r.id === ids[0]);
    const b = rows.find((r) => r.id === ids[1]);
    if (!a || !b) throw notFound("Article revision not found");
    if (a.articleId !== b.articleId) throw badUserInput("is a revision of another article", "to");
    const fields = REVISION_FIELDS.filter((f) => JSON.stringify(a.content[f]) !== JSON.stringify(b.content[f])).map(
      (f) => Object.assign(new RevisionFieldChange(), { field: f, old: shown(a.content[f]), new: shown(b.content[f]) }),
    );
    const body = diffBodies(a.content.body, b.content.body).map((c) =>
      Object.assign(new RevisionBlockChange(), { kind: c.kind as BlockChangeKind, old: c.old, new: c.new }),
    );
    return Object.assign(new ArticleRevisionComparison(), {
      from: new ArticleRevision(a),
      to: new ArticleRevision(b),
      fields,
      body,
    });
  }

  @Mutation(() => Article, {
    description:
      "Editors only: makes a revision's content current again as a new version. version: the article's version the restore is based on (CONFLICT if it changed). publish: true publishes, false makes it a draft, absent keeps its state.",
  })
  async restoreArticleRevision(
    @Arg("revisionId", () => ID) revisionId: string,
    @Arg("version", () => Int) version: number,
    @Arg("publish", () => Boolean, { nullable: true }) publish: boolean | undefined,
    @Ctx() ctx: Context,
  ): Promise<Article> {
    const viewer = requireRole(ctx.viewer, "editor");
    return new Article(await ctx.app.services.articleWriter.restore(revisionId, version, publish, viewer.name));
  }
}
