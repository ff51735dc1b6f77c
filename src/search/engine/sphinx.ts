import { crc32 } from "node:zlib";
import { createPool, type Pool, type PoolConnection, type RowDataPacket } from "mysql2/promise";
import { foldWord, WORD, type SearchQuery } from "../search.query";

/**
 * The search engine outside the database: Sphinx Search (2.2, Debian's `sphinxsearch`) or its
 * maintained fork Manticore Search, both spoken to in SphinxQL over the MySQL protocol, so the
 * client is mysql2, which Courant already uses. One real-time index holds the listed articles
 * (published or scheduled, not deleted); a second, tiny one holds the content event the index
 * is current up to (see SearchFeeder).
 */

/** Index names; `sphinxConfig` declares them. */
export const ARTICLES_INDEX = "courant_articles";
export const STATE_INDEX = "courant_state";

/** Field weights of the engine's ranking: a title match counts most, as in the database's. */
const FIELD_WEIGHTS = "title=10, standfirst=3, body=1";

/** What the engine holds of one article: its text as folded words, and the attributes filters push down. */
export interface SearchDocument {
  id: number;
  title: string;
  standfirst: string;
  body: string;
  language: string;
  sectionId: number;
  /** Milliseconds since the epoch. */
  publishedAt: number;
  tagIds: number[];
  authorIds: number[];
}

/** What a search pushes down to the engine. Everything else is checked in the database. */
export interface EngineFilter {
  /** Public at this moment: published_at at or before it. */
  nowMs: number;
  language?: string;
  sectionIds?: number[];
  authorId?: number;
  tagId?: number;
  publishedAfterMs?: number;
  publishedBeforeMs?: number;
}

export interface EngineHit {
  id: number;
  score: number;
  publishedAt: number;
}

export interface EngineWindow {
  hits: EngineHit[];
  /** Every match the engine has for the query and filter. */
  total: number;
}

/**
 * Text as the engine indexes it: the words Courant's query parser sees (WORD), folded as it folds
 * query words (case, accents, ß), one space apart. Courant owns tokenising and folding, so the
 * engine needs no language tables of its own and matches exactly what the parser asks for.
 */
export function engineText(text: string | null | undefined): string {
  if (!text) return "";
  return ((text.normalize("NFC").match(WORD) ?? []) as string[]).map(foldWord).join(" ");
}

/** A query's units as an extended-syntax MATCH: every unit required, phrases quoted. */
export function engineMatch(query: SearchQuery): string {
  return query.units
    .map((unit) => {
      const words = unit.map(foldWord).filter((w) => w.length > 0);
      return words.length === 1 ? words[0]! : `"${words.join(" ")}"`;
    })
    .join(" ");
}

/** The highest code point the engine's index keeps in words (see charset_table). */
const HIGHEST = 0x2ffff;

/**
 * Whether the engine can match every word of the query as the parser sees it: a word with a
 * character past what the index keeps would match nothing there (or, emptied, everything), so
 * such a search is answered by the database.
 */
export function engineCanMatch(query: SearchQuery): boolean {
  return query.units.every((unit) =>
    unit.every((word) => {
      const folded = foldWord(word);
      return folded.length > 0 && [...folded].every((c) => c.codePointAt(0)! <= HIGHEST);
    }),
  );
}

/** Languages as the engine stores them: a number (the database re-checks every hit's language). */
export const languageCode = (language: string): number => crc32(language);

/** The two indexes and the daemon, for a private instance (tests, the bench) or as a deployment's start. */
export function sphinxConfig(options: { dir: string; port: number; host?: string; memLimitMb?: number }): string {
  const { dir, port } = options;
  return `# Courant's search indexes (Sphinx 2.2 / Manticore; see docs/search.md)
index ${ARTICLES_INDEX}
{
  type = rt
  path = ${dir}/${ARTICLES_INDEX}
  rt_field = title
  rt_field = standfirst
  rt_field = body
  rt_attr_uint = lang
  rt_attr_uint = section_id
  rt_attr_bigint = published_at
  rt_attr_multi = tag_ids
  rt_attr_multi = author_ids
  rt_mem_limit = ${options.memLimitMb ?? 256}M
  # Courant sends folded words one space apart (engineText): every other character is a word
  # character, up to U+2FFFF, the highest Sphinx takes (engineCanMatch sends the rest to the database).
  charset_table = 0..9, a..z, _, U+80..U+2FFFF
  min_word_len = 1
}

index ${STATE_INDEX}
{
  type = rt
  path = ${dir}/${STATE_INDEX}
  rt_field = name
  rt_attr_bigint = event_id
}

searchd
{
  listen = ${options.host ?? "127.0.0.1"}:${port}:mysql41
  log = ${dir}/searchd.log
  query_log = ${dir}/query.log
  pid_file = ${dir}/searchd.pid
  binlog_path = ${dir}
  workers = threads
}
`;
}

const list = (xs: number[]) => (xs.length > 0 ? `(${xs.map((x) => Math.trunc(x)).join(", ")})` : "()");

/** The SphinxQL client. Statements are built from numbers and bound strings only. */
export class SphinxEngine {
  private readonly pool: Pool;

  constructor(url: string, options: { connections?: number; timeoutMs?: number } = {}) {
    const u = new URL(url);
    this.pool = createPool({
      host: u.hostname,
      port: Number(u.port || 9306),
      connectionLimit: options.connections ?? 10,
      connectTimeout: options.timeoutMs ?? 2000,
      // SphinxQL has no prepared statements: mysql2 binds values client-side with `query`.
      multipleStatements: false,
      enableKeepAlive: true,
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async withConnection<T>(fn: (c: PoolConnection) => Promise<T>): Promise<T> {
    const c = await this.pool.getConnection();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  }

  /** Adds or replaces documents, in one statement per batch. */
  async replace(docs: SearchDocument[]): Promise<void> {
    if (docs.length === 0) return;
    const rows = docs.map(
      (d) =>
        `(${Math.trunc(d.id)}, ?, ?, ?, ${languageCode(d.language)}, ${Math.trunc(d.sectionId)}, ${Math.trunc(
          d.publishedAt,
        )}, ${list(d.tagIds)}, ${list(d.authorIds)})`,
    );
    const params = docs.flatMap((d) => [d.title, d.standfirst, d.body]);
    await this.pool.query(
      `REPLACE INTO ${ARTICLES_INDEX} (id, title, standfirst, body, lang, section_id, published_at, tag_ids, author_ids) VALUES ${rows.join(", ")}`,
      params,
    );
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(`DELETE FROM ${ARTICLES_INDEX} WHERE id IN ${list(ids)}`);
  }

  /** Every document of the index, removed (a rebuild starts with this). */
  async truncate(): Promise<void> {
    await this.pool.query(`TRUNCATE RTINDEX ${ARTICLES_INDEX}`);
    await this.pool.query(`TRUNCATE RTINDEX ${STATE_INDEX}`);
  }

  /** The content event the index holds everything up to; null for an index never filled. */
  async checkpoint(): Promise<number | null> {
    const [rows] = await this.pool.query<RowDataPacket[]>(`SELECT event_id FROM ${STATE_INDEX} WHERE id = 1`);
    return rows.length > 0 ? Number(rows[0]!.event_id) : null;
  }

  async setCheckpoint(eventId: number): Promise<void> {
    await this.pool.query(
      `REPLACE INTO ${STATE_INDEX} (id, name, event_id) VALUES (1, 'checkpoint', ${Math.trunc(eventId)})`,
    );
  }

  /** Documents in the index. */
  async size(): Promise<number> {
    return this.withConnection(async (c) => {
      await c.query(`SELECT id FROM ${ARTICLES_INDEX} LIMIT 1`);
      return metaTotal(c);
    });
  }

  /**
   * Matches best first (score, then newest, then highest id): `count` of them from position
   * `start`, and how many there are in all.
   */
  async search(query: SearchQuery, filter: EngineFilter, start: number, count: number): Promise<EngineWindow> {
    const where = [`MATCH(?)`, `published_at <= ${Math.trunc(filter.nowMs)}`];
    if (filter.language !== undefined) where.push(`lang = ${languageCode(filter.language)}`);
    if (filter.sectionIds)
      where.push(filter.sectionIds.length > 0 ? `section_id IN ${list(filter.sectionIds)}` : "id = 0");
    if (filter.authorId !== undefined) where.push(`author_ids = ${Math.trunc(filter.authorId)}`);
    if (filter.tagId !== undefined) where.push(`tag_ids = ${Math.trunc(filter.tagId)}`);
    if (filter.publishedAfterMs !== undefined) where.push(`published_at >= ${Math.trunc(filter.publishedAfterMs)}`);
    if (filter.publishedBeforeMs !== undefined) where.push(`published_at < ${Math.trunc(filter.publishedBeforeMs)}`);
    const statement =
      `SELECT id, WEIGHT() AS score, published_at FROM ${ARTICLES_INDEX} WHERE ${where.join(" AND ")}` +
      ` ORDER BY score DESC, published_at DESC, id DESC LIMIT ${Math.trunc(start)}, ${Math.trunc(count)}` +
      ` OPTION ranker=proximity_bm25, field_weights=(${FIELD_WEIGHTS}), max_matches=${Math.trunc(start + count)}`;
    return this.withConnection(async (c) => {
      const [rows] = await c.query<RowDataPacket[]>(statement, [engineMatch(query)]);
      const hits = rows.map((r) => ({ id: Number(r.id), score: Number(r.score), publishedAt: Number(r.published_at) }));
      return { hits, total: await metaTotal(c) };
    });
  }
}

async function metaTotal(c: PoolConnection): Promise<number> {
  const [meta] = await c.query<RowDataPacket[]>("SHOW META");
  const found = meta.find((r) => r.Variable_name === "total_found");
  return Number(found?.Value ?? 0);
}
