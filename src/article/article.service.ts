import { noteRead } from "../cache/cache-dependencies";
import type { ImageRow } from "../graphql/image.type";

import { Db, joinSql, readDate, sql, sqlDate, type Sql } from "../db/sql";
import { encodeCursor, decodeCursor } from "../graphql/cursor";
import { badUserInput } from "../graphql/errors";
import { toPage, type Page, type PageRequest } from "../graphql/pagination";
import type { ArticleStatusValue } from "./article.entity";
import { lookupArticles, visibleArticles, type ArticleScope } from "./article.visibility";

/** An article as the read paths see it: everything but the body, which is loaded only when asked for. */
export interface ArticleRow {
  id: number;
  storyKey: string;
  slug: string;
  language: string;
  title: string;
  standfirst: string | null;
  status: ArticleStatusValue;
  publishedAt: Date | null;
  /** When a published article is to be taken down (see ArticleWriter.publish). */
  unpublishAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  sectionId: number;
  heroImage: ImageRow | null;
  source: { name: string; url: string | null } | null;
  disclaimer: string | null;
  version: number;
}

/** Filters after slugs were resolved; `sectionIds` already includes child sections. */
export interface ArticleWhere {
  sectionIds?: number[];
  authorId?: number;
  authorSlug?: string;
  tagId?: number;
  tagSlug?: string;
  language?: string;
  publishedAfter?: Date;
  publishedBefore?: Date;
  /** A language feed with fallbacks: [language, ...fallbackLanguages], one article per story. */
  languages?: string[];
}

export type ArticleOrderValue = "PUBLISHED_AT_DESC" | "PUBLISHED_AT_ASC";

/** A list's totalCount: exact, or (for a list longer than the exact limit) an estimate. */
export interface ArticleCount {
  count: number;
  estimate: boolean;
}

/**
 * Related articles by shared tags are found among the newest RELATED_PER_TAG public articles in
 * the article's language of each of its first RELATED_TAGS tags (by tag id): an older article
 * sharing tags is reached through the same-section and newest candidate sets only.
 */
export const RELATED_TAGS = 8;
export const RELATED_PER_TAG = 500;

/** Position of an article in a feed: (publishedAt, id). */
export type ArticleKey = [string, number];

const CURSOR_KIND = "article";

export function articleCursor(row: ArticleRow): string {
  return encodeCursor(CURSOR_KIND, [row.publishedAt?.toISOString() ?? "", row.id]);
}

export function decodeArticleCursor(cursor: string, field: string): ArticleKey {
  const key = decodeCursor(CURSOR_KIND, cursor, field);
  const [publishedAt, id] = key;
  if (key.length !== 2 || typeof publishedAt !== "string" || typeof id !== "number") {
    throw badUserInput("is not a valid cursor for this list", field);
  }
  const date = new Date(publishedAt);
  if (Number.isNaN(date.getTime())) throw badUserInput("is not a valid cursor for this list", field);
  return [sqlDate(date), id];
}

const COLUMNS = [
  "id",
  "story_key",
  "slug",
  "language",
  "title",
  "standfirst",
  "status",
  "published_at",
  "unpublish_at",
  "created_at",
  "updated_at",
  "section_id",
  "hero_image_url",
  "hero_image_alt",
  "hero_image_caption",
  "hero_image_credit",
  "hero_image_width",
  "hero_image_height",
  "source_name",
  "source_url",
  "disclaimer",
  "version",
] as const;
const SELECT = COLUMNS.map((c) => `a.${c}`).join(", ");

type Raw = Record<(typeof COLUMNS)[number], unknown> & { parent_key?: unknown };

function toRow(r: Raw): ArticleRow {
  const num = (v: unknown) => (v == null ? null : Number(v));
  const str = (v: unknown) => (v == null ? null : String(v));
  return {
    id: Number(r.id),
    storyKey: String(r.story_key),
    slug: String(r.slug),
    language: String(r.language),
    title: String(r.title),
    standfirst: str(r.standfirst),
    status: String(r.status) as ArticleStatusValue,
    publishedAt: readDate(r.published_at),
    unpublishAt: readDate(r.unpublish_at),
    createdAt: readDate(r.created_at)!,
    updatedAt: readDate(r.updated_at)!,
    sectionId: Number(r.section_id),
    heroImage:
      r.hero_image_url == null
        ? null
        : {
            url: String(r.hero_image_url),
            alt: str(r.hero_image_alt),
            caption: str(r.hero_image_caption),
            credit: str(r.hero_image_credit),
            width: num(r.hero_image_width),
            height: num(r.hero_image_height),
          },
    source: r.source_name == null ? null : { name: String(r.source_name), url: str(r.source_url) },
    disclaimer: str(r.disclaimer),
    version: Number(r.version ?? 1),
  };
}

function filters(scope: ArticleScope, where: ArticleWhere, x = "a"): Sql[] {
  const parts: Sql[] = [];
  if (where.sectionIds) {
    parts.push(
      where.sectionIds.length === 0
        ? sql("1 = 0")
        : sql(`${x}.section_id IN (${where.sectionIds.map(() => "?").join(", ")})`, ...where.sectionIds),
    );
  }
  if (where.authorId !== undefined) {
    parts.push(sql(`${x}.id IN (SELECT aa.article_id FROM article_authors aa WHERE aa.author_id = ?)`, where.authorId));
  }
  if (where.authorSlug !== undefined) {
    parts.push(
      sql(
        `${x}.id IN (SELECT aa.article_id FROM article_authors aa JOIN authors au ON au.id = aa.author_id WHERE au.slug = ?)`,
        where.authorSlug,
      ),
    );
  }
  if (where.tagId !== undefined) {
    parts.push(sql(`${x}.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = ?)`, where.tagId));
  }
  if (where.tagSlug !== undefined) {
    parts.push(
      sql(
        `${x}.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.slug = ?)`,
        where.tagSlug,
      ),
    );
  }
  if (where.language !== undefined) parts.push(sql(`${x}.language = ?`, where.language));
  if (where.publishedAfter) parts.push(sql(`${x}.published_at >= ?`, sqlDate(where.publishedAfter)));
  if (where.publishedBefore) parts.push(sql(`${x}.published_at < ?`, sqlDate(where.publishedBefore)));
  if (where.languages && where.languages.length > 0) {
    // One version per story: the first of `languages` the story has among the candidates.
    const langs = where.languages;
    const rank = (y: string) =>
      sql(`CASE ${y}.language ${langs.map((_, i) => `WHEN ? THEN ${i}`).join(" ")} END`, ...langs);
    const better = joinSql(
      [
        sql(`b.story_key = ${x}.story_key`),
        visibleArticles(scope, "b"),
        ...filters(scope, { ...where, languages: undefined }, "b"),
        sql(`b.language IN (${langs.map(() => "?").join(", ")})`, ...langs),
        joinSql(
          [sql("("), rank("b"), sql(" < "), rank(x), sql(` OR (b.language = ${x}.language AND b.id < ${x}.id))`)],
          "",
        ),
      ],
      " AND ",
    );
    parts.push(sql(`${x}.language IN (${langs.map(() => "?").join(", ")})`, ...langs));
    parts.push({ text: `NOT EXISTS (SELECT 1 FROM articles b WHERE ${better.text})`, params: better.params });
  }
  return parts;
}

/** Rows strictly past `key` when walking in `desc` order, on the (published_at, id) columns given. */
function beyond(key: ArticleKey, desc: boolean, publishedAt = "a.published_at", id = "a.id"): Sql {
  const op = desc ? "<" : ">";
  return sql(`(${publishedAt} ${op} ? OR (${publishedAt} = ? AND ${id} ${op} ?))`, key[0], key[0], key[1]);
}

/** The window of a feed to read: keyset bounds, order, and how many rows from where. */
interface KeyWindow {
  dir: "ASC" | "DESC";
  /** The list's own order, which the keyset bounds follow. */
  listDesc: boolean;
  after?: ArticleKey;
  before?: ArticleKey;
  limit: number;
  offset?: number;
}

/**
 * The link table an author's or a tag's feed is read from (see LinkFeedColumns): its rows carry
 * the article's publish time and whether it is listed, so a page is one range of its feed index
 * instead of a sort of the author's or tag's whole set.
 */
function linkDriver(scope: ArticleScope, where: ArticleWhere): { table: string; cond: Sql; rest: ArticleWhere } | null {
  const link = (table: string, key: string, lookup: string, id?: number, slug?: string) => ({
    table,
    cond: joinSql(
      [
        id !== undefined
          ? sql(`l.${key} = ?`, id)
          : sql(`l.${key} = (SELECT x.id FROM ${lookup} x WHERE x.slug = ?)`, slug),
        sql("l.listed = 1 AND l.published_at <= ?", sqlDate(scope.now)),
      ],
      " AND ",
    ),
  });
  if (where.authorId !== undefined || where.authorSlug !== undefined) {
    const { authorId, authorSlug, ...rest } = where;
    // Both given: the id drives, the slug stays a filter.
    return {
      ...link("article_authors", "author_id", "authors", authorId, authorId === undefined ? authorSlug : undefined),
      rest: authorId !== undefined && authorSlug !== undefined ? { ...rest, authorSlug } : rest,
    };
  }
  if (where.tagId !== undefined || where.tagSlug !== undefined) {
    const { tagId, tagSlug, ...rest } = where;
    return {
      ...link("article_tags", "tag_id", "tags", tagId, tagId === undefined ? tagSlug : undefined),
      rest: tagId !== undefined && tagSlug !== undefined ? { ...rest, tagSlug } : rest,
    };
  }
  return null;
}

/**
 * All article reads. Each statement starts from `visibleArticles(scope)`, the one place that
 * decides what a reader may see.
 */
export class ArticleService {
  private readonly countExactLimit: number;

  constructor(
    private readonly db: Db,
    options: { countExactLimit?: number } = {},
  ) {
    this.countExactLimit = options.countExactLimit ?? 10_000;
  }

  /** Public reads may go to a read replica; an editor's preview reads the primary, to see its own writes. */
  private replica(scope: ArticleScope) {
    return { replica: !scope.preview };
  }

  private base(scope: ArticleScope, where: ArticleWhere): Sql[] {
    return [visibleArticles(scope), ...filters(scope, where)];
  }

  /**
   * `SELECT id, published_at` of the window's rows of one list, in order. Three shapes, each
   * reading about as many index entries as it returns:
   * - an author's or a tag's list walks that author's or tag's link rows (linkDriver);
   * - a section with child sections takes the window's rows from each section's own feed
   *   index and merges them (a section IN list walked by date checks the section row by row);
   * - anything else walks the feed index that its filters pick.
   */
  private keys(scope: ArticleScope, where: ArticleWhere, w: KeyWindow): Sql {
    const order = (publishedAt: string, id: string) =>
      ` ORDER BY ${publishedAt} ${w.dir}, ${id} ${w.dir} LIMIT ${w.limit}${w.offset ? ` OFFSET ${w.offset}` : ""}`;
    const bounds = (publishedAt: string, id: string): Sql[] => [
      ...(w.after ? [beyond(w.after, w.listDesc, publishedAt, id)] : []),
      ...(w.before ? [beyond(w.before, !w.listDesc, publishedAt, id)] : []),
    ];
    // A language feed with fallbacks checks each candidate's better versions under the same
    // filters (see filters()): the two shapes below would check them under a part of the filters
    // only (without the author, or within one section), so such a list takes the plain shape.
    const fallback = !!where.languages?.length;
    const driver = fallback ? null : linkDriver(scope, where);
    if (driver) {
      const conds = joinSql(
        [driver.cond, ...this.base(scope, driver.rest), ...bounds("l.published_at", "l.article_id")],
        " AND ",
      );
      // The join reads only the rows the link index hands over; the article's own row still
      // decides visibility (and takes the other filters).
      return {
        text:
          `SELECT l.article_id AS id, l.published_at AS published_at FROM ${driver.table} l` +
          ` JOIN articles a ON a.id = l.article_id WHERE ${conds.text}${order("l.published_at", "l.article_id")}`,
        params: conds.params,
      };
    }
    if (!fallback && where.sectionIds && where.sectionIds.length > 1) {
      const { sectionIds, ...rest } = where;
      const parts = sectionIds.map((sectionId, i) => {
        const conds = joinSql(
          [...this.base(scope, { ...rest, sectionIds: [sectionId] }), ...bounds("a.published_at", "a.id")],
          " AND ",
        );
        // Each section's part needs no more rows than the whole window.
        return {
          text:
            `SELECT * FROM (SELECT a.id AS id, a.published_at AS published_at FROM articles a WHERE ${conds.text}` +
            ` ORDER BY a.published_at ${w.dir}, a.id ${w.dir} LIMIT ${w.limit + (w.offset ?? 0)}) s${i}`,
          params: conds.params,
        };
      });
      const union = joinSql(parts, " UNION ALL ");
      return {
        text: `SELECT u.id, u.published_at FROM (${union.text}) u${order("u.published_at", "u.id")}`,
        params: union.params,
      };
    }
    const conds = joinSql([...this.base(scope, where), ...bounds("a.published_at", "a.id")], " AND ");
    return {
      text: `SELECT a.id AS id, a.published_at AS published_at FROM articles a WHERE ${conds.text}${order("a.published_at", "a.id")}`,
      params: conds.params,
    };
  }

  /** One keyset page for each `where`, all in a single statement. */
  async pages(
    scope: ArticleScope,
    wheres: readonly ArticleWhere[],
    order: ArticleOrderValue,
    page: PageRequest<ArticleKey>,
  ): Promise<Page<ArticleRow>[]> {
    noteRead((r) => r.lists.push(...(wheres as unknown as Array<Record<string, unknown>>)));
    if (wheres.length === 0) return [];
    const listDesc = order === "PUBLISHED_AT_DESC";
    // Walking backwards reads the list from its far end.
    const walkDesc = page.direction === "forward" ? listDesc : !listDesc;
    const dir = walkDesc ? "DESC" : "ASC";
    const selects = wheres.map((where, i) => {
      const k = this.keys(scope, where, {
        dir,
        listDesc,
        after: page.after ?? undefined,
        before: page.before ?? undefined,
        limit: page.size + 1,
      });
      // Late row lookup: the page is chosen from an index alone, then only its rows are read.
      return {
        text: `SELECT ${i} AS parent_key, ${SELECT} FROM articles a JOIN (${k.text}) k ON k.id = a.id`,
        params: k.params,
      };
    });
    const statement =
      selects.length === 1
        ? selects[0]!
        : joinSql(
            selects.map((s, i) => ({ text: `SELECT * FROM (${s.text}) p${i}`, params: s.params })),
            " UNION ALL ",
          );
    const raws = await this.db.query<Raw>(statement, this.replica(scope));
    const grouped = wheres.map(() => [] as ArticleRow[]);
    for (const raw of raws) grouped[Number(raw.parent_key)]!.push(toRow(raw));
    const sign = walkDesc ? -1 : 1;
    return grouped.map((rows) => {
      // A UNION ALL does not keep each part's order.
      rows.sort((x, y) => sign * ((x.publishedAt?.getTime() ?? 0) - (y.publishedAt?.getTime() ?? 0) || x.id - y.id));
      return toPage(rows, page);
    });
  }

  /**
   * Counts for each `where`, in a single statement: exact up to `countExactLimit` (L) articles,
   * which costs at most L + 1 index entries (per section of a parent section's list). A longer
   * list is estimated from its publishing rate: its newest L + 1 articles came out over L
   * intervals, from the newest's time to the (L + 1)-th's; at that rate the whole list, from its
   * newest to its oldest, holds 1 + L × (newest − oldest) / (newest − (L + 1)-th) articles.
   * Exact when articles came out at an even rate, and never below L + 1. Counting exactly would
   * read every entry of the list: hundreds of thousands for a big section of a multilingual
   * archive, on every request.
   */
  async counts(scope: ArticleScope, wheres: readonly ArticleWhere[]): Promise<ArticleCount[]> {
    noteRead((r) => r.lists.push(...(wheres as unknown as Array<Record<string, unknown>>)));
    if (wheres.length === 0) return [];
    const cap = this.countExactLimit;
    const selects = wheres.map((where, i) => {
      const keys = (w: Omit<KeyWindow, "listDesc">) => this.keys(scope, where, { ...w, listDesc: true });
      return joinSql(
        [
          sql(`SELECT ${i} AS parent_key, c.n, c.newest, c.last, (SELECT MAX(x.published_at) FROM (`),
          keys({ dir: "ASC", limit: 1 }),
          sql(
            ") x) AS oldest FROM (SELECT COUNT(*) AS n, MAX(k.published_at) AS newest, MIN(k.published_at) AS last FROM (",
          ),
          keys({ dir: "DESC", limit: cap + 1 }),
          sql(") k) c"),
        ],
        "",
      );
    });
    const raws = await this.db.query<{
      parent_key: unknown;
      n: unknown;
      newest: unknown;
      last: unknown;
      oldest: unknown;
    }>(joinSql(selects, " UNION ALL "), this.replica(scope));
    const out: ArticleCount[] = wheres.map(() => ({ count: 0, estimate: false }));
    for (const r of raws) {
      const n = Number(r.n);
      if (n <= cap) {
        out[Number(r.parent_key)] = { count: n, estimate: false };
        continue;
      }
      const newest = readDate(r.newest)!.getTime();
      const last = readDate(r.last)!.getTime();
      const oldest = readDate(r.oldest)!.getTime();
      const estimate = newest > last ? Math.round(1 + (cap * (newest - oldest)) / (newest - last)) : cap + 1;
      out[Number(r.parent_key)] = { count: Math.max(cap + 1, estimate), estimate: true };
    }
    return out;
  }

  /** Public articles by id (what `node`, `nodes` and relations see). */
  async byIds(scope: ArticleScope, ids: readonly number[]): Promise<ArticleRow[]> {
    return this.where(scope, visibleArticles(scope), ids);
  }

  /** Articles by id for `article(id)`: with an editor's preview scope, drafts and scheduled ones too. */
  async lookupByIds(scope: ArticleScope, ids: readonly number[]): Promise<ArticleRow[]> {
    return this.where(scope, lookupArticles(scope), ids);
  }

  private async where(scope: ArticleScope, visible: Sql, ids: readonly number[]): Promise<ArticleRow[]> {
    noteRead((r) => ids.forEach((id) => r.articleIds.add(id)));
    if (ids.length === 0) return [];
    const w = joinSql([visible, this.db.inList("a.id", ids)], " AND ");
    const rows = (
      await this.db.query<Raw>(
        { text: `SELECT ${SELECT} FROM articles a WHERE ${w.text}`, params: w.params },
        this.replica(scope),
      )
    ).map(toRow);
    noteRead((r) => rows.forEach((row) => r.storyKeys.add(row.storyKey)));
    return rows;
  }

  /**
   * By slug in one language; without a language, the default language's article wins, then the
   * oldest. With the article's body in the same statement: a page that shows one
   * article needs it, and a second round trip for one column costs more than the bytes.
   */
  async bySlugWithBody(
    scope: ArticleScope,
    slug: string,
    language: string | undefined,
    defaultLanguage: string,
  ): Promise<{ row: ArticleRow; body: string } | null> {
    // Recorded before the query: an answer that found nothing must hear when the slug appears.
    noteRead((r) => r.articleSlugs.add(`${language ?? "*"}:${slug}`));
    const conds = [lookupArticles(scope), sql("a.slug = ?", slug)];
    if (language) conds.push(sql("a.language = ?", language));
    const w = joinSql(conds, " AND ");
    const rows = await this.db.query<Raw & { body: unknown }>(
      {
        text: `SELECT ${SELECT}, a.body FROM articles a WHERE ${w.text} ORDER BY CASE WHEN a.language = ? THEN 0 ELSE 1 END, a.id LIMIT 1`,
        params: [...w.params, defaultLanguage],
      },
      this.replica(scope),
    );
    if (!rows[0]) return null;
    const row = toRow(rows[0]);
    // What reading the body through `bodies` would have recorded.
    noteRead((r) => r.articleIds.add(row.id));
    return { row, body: String(rows[0].body) };
  }

  /** Bodies (HTML) of the articles a lookup may return. */
  async bodies(scope: ArticleScope, ids: readonly number[]): Promise<Map<number, string>> {
    noteRead((r) => ids.forEach((id) => r.articleIds.add(id)));
    if (ids.length === 0) return new Map();
    const w = joinSql([lookupArticles(scope), this.db.inList("a.id", ids)], " AND ");
    const rows = await this.db.query<{ id: unknown; body: unknown }>(
      {
        text: `SELECT a.id, a.body FROM articles a WHERE ${w.text}`,
        params: w.params,
      },
      this.replica(scope),
    );
    return new Map(rows.map((r) => [Number(r.id), String(r.body)]));
  }

  /** Every visible language version of the given stories, in one statement. */
  async storyVersions(scope: ArticleScope, storyKeys: readonly string[]): Promise<ArticleRow[]> {
    noteRead((r) => storyKeys.forEach((k) => r.storyKeys.add(k)));
    if (storyKeys.length === 0) return [];
    const w = joinSql([visibleArticles(scope), this.db.inList("a.story_key", storyKeys)], " AND ");
    const rows = await this.db.query<Raw>(
      {
        text: `SELECT ${SELECT} FROM articles a WHERE ${w.text} ORDER BY a.story_key, a.language, a.id`,
        params: w.params,
      },
      this.replica(scope),
    );
    return rows.map(toRow);
  }

  /**
   * Related articles for many articles in one statement: other visible articles in the same
   * language, never the same story, ranked by shared tags, then same section, then recency.
   * One bounded candidate set per article (tag-sharing, same section, newest), ranked in the
   * database; only the `first` that win are read whole. The tag-sharing set looks only at the
   * newest RELATED_PER_TAG public articles of each tag in the article's language, so an older
   * article that shares tags can be left out for newer ones (on a 2.4M-row archive, counting
   * shared tags over every article of each tag read about 70,000 rows per article page). Those
   * are one range of the tag's language feed index (TagLinkLanguage1796886000000); before, the
   * set was the tag's newest in every language, of which a five-language archive kept a fifth
   * after one article lookup each (#16).
   *
   * `tagIds` gives each article's tags (the page reads them anyway, through the tag loader): the
   * statement names them rather than looking up the article's k-th tag in a subquery per tag, so
   * it has a candidate set per tag the article has, not RELATED_TAGS of them whatever it has. With
   * the 8 lookups, the empty sets of an article with fewer tags still cost the database about
   * 1 ms per page (bench archive, #16).
   */
  async related(
    scope: ArticleScope,
    of: readonly ArticleRow[],
    first: number,
    tagIds: ReadonlyMap<number, readonly number[]>,
  ): Promise<Map<number, ArticleRow[]>> {
    // Any change in these languages can reorder related lists.
    noteRead((r) => of.forEach((row) => r.languages.add(row.language)));
    const out = new Map<number, ArticleRow[]>(of.map((r) => [r.id, []]));
    if (of.length === 0) return out;
    const vis = visibleArticles(scope);
    // Candidates are checked (visible, same language, another story) and ranked through the narrow
    // index by id, not the article rows: on MySQL the planner takes the primary key for a lookup
    // by id unless told. SQLite's rowid lookup is already the cheapest.
    const candidates =
      this.db.dialect === "mysql" ? "STRAIGHT_JOIN articles a FORCE INDEX (idx_articles_trending)" : "JOIN articles a";
    const parts: Sql[] = of.map((row, i) => {
      const common = joinSql([vis, sql("a.language = ? AND a.story_key <> ?", row.language, row.storyKey)], " AND ");
      const tags = [...(tagIds.get(row.id) ?? [])].sort((x, y) => x - y);
      const sharedTags = tags.length
        ? joinSql(
            [
              sql("(SELECT COUNT(*) FROM article_tags t2 WHERE t2.article_id = a.id AND "),
              this.db.inList("t2.tag_id", tags),
              sql(")"),
            ],
            "",
          )
        : sql("0");
      // The newest listed articles in the article's language of each of its tags (its first
      // RELATED_TAGS tags), from the tag's language feed index: a bounded candidate set whatever
      // the tag's size, where counting shared tags over every article of each tag read tens of
      // thousands of rows.
      const perTag = tags
        .slice(0, RELATED_TAGS)
        .map((tag, k) =>
          sql(
            `SELECT * FROM (SELECT l.article_id FROM article_tags l WHERE l.tag_id = ? AND l.language = ?` +
              ` AND l.listed = 1 AND l.published_at <= ? ORDER BY l.published_at DESC, l.article_id DESC LIMIT ${RELATED_PER_TAG}) c${k}`,
            tag,
            row.language,
            sqlDate(scope.now),
          ),
        );
      // The section's and the language's newest articles join the candidates: whatever they
      // leave out is outranked by `first` rows they keep.
      const newest = (n: number, section?: number) =>
        joinSql(
          [
            sql("SELECT * FROM (SELECT a.id AS article_id FROM articles a WHERE "),
            section === undefined ? sql("") : sql("a.section_id = ? AND ", section),
            common,
            sql(` ORDER BY a.published_at DESC, a.id DESC LIMIT ${n}) n${section === undefined ? 2 : 1}`),
          ],
          "",
        );
      // Candidates are ranked by id and the few that win are read whole (a late row lookup):
      // the ranking sorts narrow rows, not every candidate's columns.
      const ranked = joinSql(
        [
          sql("SELECT a.id, "),
          sharedTags,
          sql(" AS shared_tags, CASE WHEN a.section_id = ? THEN 1 ELSE 0 END AS same_section FROM (", row.sectionId),
          joinSql([...perTag, newest(2 * first, row.sectionId), newest(3 * first)], " UNION "),
          sql(`) s ${candidates} ON a.id = s.article_id WHERE `),
          common,
          sql(` ORDER BY shared_tags DESC, same_section DESC, a.published_at DESC, a.id DESC LIMIT ${first}`),
        ],
        "",
      );
      return joinSql(
        [
          sql(`SELECT ${i} AS parent_key, ${SELECT}, r.shared_tags, r.same_section FROM (`),
          ranked,
          sql(") r JOIN articles a ON a.id = r.id"),
        ],
        "",
      );
    });
    const raws = await this.db.query<Raw & { shared_tags: unknown; same_section: unknown }>(
      joinSql(parts, " UNION ALL "),
      this.replica(scope),
    );
    const ranked = new Map<number, Map<number, { row: ArticleRow; shared: number; same: number }>>();
    for (const raw of raws) {
      const parent = of[Number(raw.parent_key)]!.id;
      const seen = ranked.get(parent) ?? new Map();
      const row = toRow(raw);
      if (!seen.has(row.id)) seen.set(row.id, { row, shared: Number(raw.shared_tags), same: Number(raw.same_section) });
      ranked.set(parent, seen);
    }
    for (const [parent, seen] of ranked) {
      out.set(
        parent,
        [...seen.values()]
          .sort(
            (x, y) =>
              y.shared - x.shared ||
              y.same - x.same ||
              (y.row.publishedAt?.getTime() ?? 0) - (x.row.publishedAt?.getTime() ?? 0) ||
              y.row.id - x.row.id,
          )
          .slice(0, first)
          .map((c) => c.row),
      );
    }
    return out;
  }
}

/**
 * For the other read paths over articles (search): the same columns (on alias `a`), the same
 * row mapping, and the same conditions, visibility first.
 */
export const ARTICLE_SELECT = SELECT;
export const toArticleRow = (raw: Record<string, unknown>): ArticleRow => toRow(raw as Raw);
export function articleConditions(scope: ArticleScope, where: ArticleWhere): Sql[] {
  return [visibleArticles(scope), ...filters(scope, where)];
}
