import { crc32 } from "node:zlib";
import { createPool, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from "mysql2/promise";
import { foldWord, WORD, type SearchQuery } from "../search.query";

/**
 * The search engine outside the database: Sphinx Search (2.2, Debian's `sphinxsearch`) or its
 * maintained fork Manticore Search, both spoken to in SphinxQL over the MySQL protocol, so the
 * client is mysql2, which Courant already uses. One real-time index holds the listed articles
 * (published or scheduled, not deleted); a second, tiny one holds the content event the index
 * is current up to (see SearchFeeder).
 */

/** Index names; `sphinxConfig` declares them. */
const ARTICLES_INDEX = "courant_articles";
const STATE_INDEX = "courant_state";

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

/** The engine holds no filled index (a fill is under way): the database answers. */
export class EngineNotFilled extends Error {
  constructor() {
    super("the search engine is being filled");
  }
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

/** Characters the index does not keep in words (see charset_table): separators, as in the index. */
const NOT_INDEXED = /[^0-9a-z_\u0080-\u{2FFFF}]+/u;

/**
 * A word as the engine holds it: folded as the query parser folds words (case, accents, ß), then
 * cut where folding produced a character the index does not keep (NFKD turns "⑴" into "(1)"),
 * so nothing a reader types reaches the engine as an operator.
 */
function engineWords(word: string): string[] {
  return foldWord(word)
    .split(NOT_INDEXED)
    .filter((w) => w.length > 0);
}

/**
 * Text as the engine indexes it: the words Courant's query parser sees (WORD), as engineWords
 * makes them, one space apart. Courant owns tokenising and folding, so the engine needs no
 * language tables of its own and matches exactly what the parser asks for.
 */
export function engineText(text: string | null | undefined): string {
  if (!text) return "";
  return ((text.normalize("NFC").match(WORD) ?? []) as string[]).flatMap(engineWords).join(" ");
}

/** A query's units as an extended-syntax MATCH: every unit required, phrases quoted. */
export function engineMatch(query: SearchQuery): string {
  return query.units
    .map((unit) => {
      const words = unit.flatMap(engineWords);
      return words.length === 1 ? words[0]! : `"${words.join(" ")}"`;
    })
    .join(" ");
}

/**
 * Whether the engine can match the query: a unit made only of characters the index does not keep
 * would match nothing there (or, emptied, everything), so such a search is answered by the database.
 */
export function engineCanMatch(query: SearchQuery): boolean {
  return query.units.every((unit) => unit.flatMap(engineWords).length > 0);
}

/** Languages as the engine stores them: a number (the database re-checks every hit's language). */
const languageCode = (language: string): number => crc32(language);

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
  # A batch of documents is one statement (the client keeps each under 4 MB).
  max_packet_size = 128M
}
`;
}

const list = (xs: number[]) => (xs.length > 0 ? `(${xs.map((x) => Math.trunc(x)).join(", ")})` : "()");

/** A statement's text is at most this long when the engine is sent documents (max_packet_size is 128M). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;
/** Searches and bookkeeping give up after this long (the database answers instead). */
const QUERY_TIMEOUT_MS = 5000;
/** Writing a batch of documents gives up after this long. */
const WRITE_TIMEOUT_MS = 60_000;
/** The checkpoint row, and the row an instance holds while it fills the engine. */
const CHECKPOINT_ROW = 1;
const FILL_ROW = 2;

/** The SphinxQL client. Statements are built from numbers and bound strings only. */
export class SphinxEngine {
  private readonly pool: Pool;

  constructor(url: string, options: { connections?: number; timeoutMs?: number } = {}) {
    const u = new URL(url);
    this.pool = createPool({
      host: u.hostname,
      port: Number(u.port || 9306),
      connectionLimit: options.connections ?? 10,
      // Callers wait for a connection at most this many at a time; past it they fail (and fall back).
      queueLimit: 100,
      connectTimeout: options.timeoutMs ?? 2000,
      // SphinxQL has no prepared statements: mysql2 binds values client-side with `query`.
      multipleStatements: false,
      enableKeepAlive: true,
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async run<T extends RowDataPacket[] | ResultSetHeader>(
    sql: string,
    values: unknown[] = [],
    timeout = QUERY_TIMEOUT_MS,
    connection?: PoolConnection,
  ): Promise<T> {
    const [result] = await (connection ?? this.pool).query<T>({ sql, timeout }, values);
    return result;
  }

  private async withConnection<T>(fn: (c: PoolConnection) => Promise<T>): Promise<T> {
    const c = await this.pool.getConnection();
    try {
      return await fn(c);
    } finally {
      c.release();
    }
  }

  /** Adds or replaces documents, in statements of at most MAX_STATEMENT_BYTES of text. */
  async replace(docs: SearchDocument[]): Promise<void> {
    let batch: SearchDocument[] = [];
    let bytes = 0;
    for (const d of docs) {
      const size = Buffer.byteLength(d.title) + Buffer.byteLength(d.standfirst) + Buffer.byteLength(d.body) + 200;
      if (batch.length > 0 && bytes + size > MAX_STATEMENT_BYTES) {
        await this.replaceBatch(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(d);
      bytes += size;
    }
    if (batch.length > 0) await this.replaceBatch(batch);
  }

  private async replaceBatch(docs: SearchDocument[]): Promise<void> {
    const rows = docs.map(
      (d) =>
        `(${Math.trunc(d.id)}, ?, ?, ?, ${languageCode(d.language)}, ${Math.trunc(d.sectionId)}, ${Math.trunc(
          d.publishedAt,
        )}, ${list(d.tagIds)}, ${list(d.authorIds)})`,
    );
    const params = docs.flatMap((d) => [d.title, d.standfirst, d.body]);
    await this.run(
      `REPLACE INTO ${ARTICLES_INDEX} (id, title, standfirst, body, lang, section_id, published_at, tag_ids, author_ids) VALUES ${rows.join(", ")}`,
      params,
      WRITE_TIMEOUT_MS,
    );
  }

  async remove(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.run(`DELETE FROM ${ARTICLES_INDEX} WHERE id IN ${list(ids)}`, [], WRITE_TIMEOUT_MS);
  }

  /**
   * Empties the engine for a fill: the checkpoint first (every instance then sees an engine with
   * no index and answers from the database), then the documents. A fill's claim stays.
   */
  async clear(): Promise<void> {
    await this.run(`DELETE FROM ${STATE_INDEX} WHERE id = ${CHECKPOINT_ROW}`);
    await this.run(`TRUNCATE RTINDEX ${ARTICLES_INDEX}`, [], WRITE_TIMEOUT_MS);
  }

  /** The content event the index holds everything up to; null for an index never filled, or being filled. */
  async checkpoint(): Promise<number | null> {
    const rows = await this.run<RowDataPacket[]>(`SELECT event_id FROM ${STATE_INDEX} WHERE id = ${CHECKPOINT_ROW}`);
    return rows.length > 0 ? Number(rows[0]!.event_id) : null;
  }

  /** Only a fill creates the checkpoint. */
  async createCheckpoint(eventId: number): Promise<void> {
    await this.run(
      `REPLACE INTO ${STATE_INDEX} (id, name, event_id) VALUES (${CHECKPOINT_ROW}, 'checkpoint', ${Math.trunc(eventId)})`,
    );
  }

  /** Moves the checkpoint on; false when there is none (the engine was emptied meanwhile). */
  async advanceCheckpoint(eventId: number): Promise<boolean> {
    const result = await this.run<ResultSetHeader>(
      `UPDATE ${STATE_INDEX} SET event_id = ${Math.trunc(eventId)} WHERE id = ${CHECKPOINT_ROW}`,
    );
    return result.affectedRows > 0;
  }

  /**
   * Claims the right to fill the engine: false while another instance's claim younger than
   * `staleMs` stands (a claim older than that is taken to be a fill that died). `staleMs` 0 (an
   * operator's rebuild) always takes it.
   */
  async claimFill(nowMs: number, staleMs: number): Promise<boolean> {
    const rows = await this.run<RowDataPacket[]>(`SELECT event_id FROM ${STATE_INDEX} WHERE id = ${FILL_ROW}`);
    if (rows.length > 0 && staleMs > 0 && nowMs - Number(rows[0]!.event_id) < staleMs) return false;
    const claim = `(${FILL_ROW}, 'filling', ${Math.trunc(nowMs)})`;
    if (rows.length > 0) {
      await this.run(`REPLACE INTO ${STATE_INDEX} (id, name, event_id) VALUES ${claim}`);
      return true;
    }
    try {
      // INSERT fails on an existing id: of two instances claiming at once, one wins.
      await this.run(`INSERT INTO ${STATE_INDEX} (id, name, event_id) VALUES ${claim}`);
      return true;
    } catch {
      return false;
    }
  }

  async releaseFill(): Promise<void> {
    await this.run(`DELETE FROM ${STATE_INDEX} WHERE id = ${FILL_ROW}`);
  }

  /** Documents in the index. */
  async size(): Promise<number> {
    return this.withConnection(async (c) => {
      await this.run(`SELECT id FROM ${ARTICLES_INDEX} LIMIT 1`, [], QUERY_TIMEOUT_MS, c);
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
      const rows = await this.run<RowDataPacket[]>(statement, [engineMatch(query)], QUERY_TIMEOUT_MS, c);
      const hits = rows.map((r) => ({ id: Number(r.id), score: Number(r.score), publishedAt: Number(r.published_at) }));
      const total = await metaTotal(c);
      // A fill deletes the checkpoint before it empties the index and creates it again once full:
      // a checkpoint still there after the search means the search read a whole index.
      const state = await this.run<RowDataPacket[]>(
        `SELECT event_id FROM ${STATE_INDEX} WHERE id = ${CHECKPOINT_ROW}`,
        [],
        QUERY_TIMEOUT_MS,
        c,
      );
      if (state.length === 0) throw new EngineNotFilled();
      return { hits, total };
    });
  }
}

async function metaTotal(c: PoolConnection): Promise<number> {
  const [meta] = await c.query<RowDataPacket[]>({ sql: "SHOW META", timeout: QUERY_TIMEOUT_MS });
  const found = meta.find((r) => r.Variable_name === "total_found");
  return Number(found?.Value ?? 0);
}
