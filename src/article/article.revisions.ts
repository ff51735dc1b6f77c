import zlib from "node:zlib";
import { diffArrays } from "diff";
import { parseDocument } from "htmlparser2";
import { getOuterHTML } from "domutils";
import { In, type EntityManager } from "typeorm";
import { ArticleRevisionEntity } from "./article-revision.entity";
import { ArticleAuthorEntity, ArticleEntity, ArticleTagEntity } from "./article.entity";

/** Whether saves keep revisions, and how many per article (0: all); published versions are always kept. */
export interface RevisionPolicy {
  enabled: boolean;
  keep: number;
}
export const KEEP_ALL: RevisionPolicy = { enabled: true, keep: 0 };

/** The editable content of one version: what a restore puts back. */
export interface RevisionContent {
  title: string;
  slug: string;
  language: string;
  standfirst: string | null;
  body: string;
  sectionId: number;
  authorIds: number[];
  tagIds: number[];
  heroImage: {
    url: string;
    alt: string | null;
    caption: string | null;
    credit: string | null;
    width: number | null;
    height: number | null;
  } | null;
  source: { name: string | null; url: string | null } | null;
  disclaimer: string | null;
  status: string;
  publishedAt: string | null;
  unpublishAt: string | null;
}

export const REVISION_FIELDS: Array<keyof RevisionContent> = [
  "title",
  "slug",
  "language",
  "standfirst",
  "body",
  "sectionId",
  "authorIds",
  "tagIds",
  "heroImage",
  "source",
  "disclaimer",
  "status",
  "publishedAt",
  "unpublishAt",
];

export function contentOf(a: ArticleEntity, links: { authorIds: number[]; tagIds: number[] }): RevisionContent {
  return {
    title: a.title,
    slug: a.slug,
    language: a.language,
    standfirst: a.standfirst,
    body: a.body,
    sectionId: a.sectionId,
    authorIds: links.authorIds,
    tagIds: [...links.tagIds].sort((x, y) => x - y),
    heroImage: a.heroImageUrl
      ? {
          url: a.heroImageUrl,
          alt: a.heroImageAlt,
          caption: a.heroImageCaption,
          credit: a.heroImageCredit,
          width: a.heroImageWidth,
          height: a.heroImageHeight,
        }
      : null,
    source: a.sourceName || a.sourceUrl ? { name: a.sourceName, url: a.sourceUrl } : null,
    disclaimer: a.disclaimer,
    status: a.status,
    publishedAt: a.publishedAt?.toISOString() ?? null,
    unpublishAt: a.unpublishAt?.toISOString() ?? null,
  };
}

/**
 * A revision's content as stored: Brotli-compressed and base64-encoded ("br:" prefix) when that is
 * smaller, which it is for all but the shortest articles (measured by bench/revisions.ts: about
 * 40 % of the JSON before base64); plain JSON otherwise.
 */
export function encodeContent(content: RevisionContent): string {
  const json = JSON.stringify(content);
  const packed = `br:${zlib.brotliCompressSync(json, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } }).toString("base64")}`;
  return packed.length < json.length ? packed : json;
}

export function decodeContent(stored: string): RevisionContent {
  const json = stored.startsWith("br:")
    ? zlib.brotliDecompressSync(Buffer.from(stored.slice(3), "base64")).toString("utf8")
    : stored;
  return JSON.parse(json) as RevisionContent;
}

/** The fields whose values differ between two contents (all of them against nothing). */
export function changedFields(before: RevisionContent | null, after: RevisionContent): string[] {
  return REVISION_FIELDS.filter((f) => !before || JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/**
 * Writes the article's revision for the version it now has, in the caller's transaction: the
 * complete editable content, who saved it, and which fields changed. A save that changed no
 * editable content (a delete, a republish that kept everything) writes none. With `keep`, the
 * article's older revisions beyond the newest `keep` are pruned, except published ones.
 */
export async function writeRevision(
  m: EntityManager,
  articleId: number,
  savedBy: string,
  now: Date,
  policy: RevisionPolicy,
): Promise<void> {
  if (!policy.enabled) return;
  const article = await m.getRepository(ArticleEntity).findOne({ where: { id: articleId } });
  if (!article) return;
  const authors = await m.find(ArticleAuthorEntity, { where: { articleId }, order: { position: "ASC" } });
  const tags = await m.find(ArticleTagEntity, { where: { articleId } });
  const content = contentOf(article, { authorIds: authors.map((l) => l.authorId), tagIds: tags.map((l) => l.tagId) });
  const repo = m.getRepository(ArticleRevisionEntity);
  const last = await repo.findOne({ where: { articleId }, order: { version: "DESC" } });
  const before = last ? decodeContent(last.content) : null;
  const changed = changedFields(before, content);
  if (!changed.length || last?.version === article.version) return;
  const published =
    (article.status === "published" || article.status === "scheduled") &&
    !!article.publishedAt &&
    article.publishedAt <= now &&
    !article.deletedAt;
  await repo.insert({
    articleId,
    version: article.version,
    savedAt: now,
    savedBy: savedBy.slice(0, 100),
    content: encodeContent(content),
    changed: JSON.stringify(changed),
    published,
  });
  if (policy.keep > 0) {
    const kept = await repo.find({
      where: { articleId },
      order: { version: "DESC" },
      take: policy.keep,
      select: { id: true },
    });
    const keepIds = new Set(kept.map((r) => r.id));
    const old = await repo.find({ where: { articleId, published: false }, select: { id: true } });
    const prune = old.map((r) => r.id).filter((id) => !keepIds.has(id));
    if (prune.length) await repo.delete({ id: In(prune) });
  }
}

export interface BlockChange {
  kind: "added" | "removed" | "changed" | "unchanged";
  old: string | null;
  new: string | null;
}

/** The body's top-level blocks (paragraphs, headings, lists, figures) as HTML. */
function blocks(html: string): string[] {
  const doc = parseDocument(html);
  return doc.children.map((n) => getOuterHTML(n, { encodeEntities: "utf8" }).trim()).filter((b) => b.length > 0);
}

/**
 * A readable block-level diff of two bodies: blocks added, removed, changed (a removal followed
 * at once by an addition, paired in order) and unchanged.
 */
export function diffBodies(oldHtml: string, newHtml: string): BlockChange[] {
  const out: BlockChange[] = [];
  const parts = diffArrays(blocks(oldHtml), blocks(newHtml));
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      const n = Math.max(part.value.length, next.value.length);
      for (let k = 0; k < n; k++) {
        const o = part.value[k] ?? null;
        const nw = next.value[k] ?? null;
        out.push({ kind: o && nw ? "changed" : o ? "removed" : "added", old: o, new: nw });
      }
      i++;
    } else if (part.removed) for (const v of part.value) out.push({ kind: "removed", old: v, new: null });
    else if (part.added) for (const v of part.value) out.push({ kind: "added", old: null, new: v });
    else for (const v of part.value) out.push({ kind: "unchanged", old: v, new: v });
  }
  return out;
}
