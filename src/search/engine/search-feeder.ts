import type { Logger } from "pino";
import type { Db } from "../../db/sql";
import { listedArticles } from "../../article/article.visibility";
import { readChanges } from "../../events/event-log";
import type { ContentChange } from "../../events/index";
import { searchEngineFailures, searchDocumentsIndexed } from "../../metrics/metrics";
import { SearchDocuments } from "./search-documents";
import type { SphinxEngine } from "./sphinx";

/** Articles read and sent to the engine per statement. */
const BATCH = 200;
/**
 * A restart replays this many events below the checkpoint: an event whose transaction committed
 * after a younger one (a gap the tail was still waiting on) is indexed again, harmlessly.
 */
const REPLAY_MARGIN = 1000;
/** After a fill failed, the next automatic one waits this long. */
const FILL_RETRY_MS = 60_000;
/** A fill claim older than this is taken to be a fill that died with its instance. */
const FILL_CLAIM_STALE_MS = 30 * 60_000;

/**
 * Keeps the search engine's index equal to the database's listed articles, from the content
 * event stream. Each instance's EventTail hands it every batch of events before delivering them
 * to the instance's caches and purges (`beforeDelivery`), so no cache or CDN can be told of a
 * change before search answers with it, and a writer's own answer waits for it. Indexing reads
 * each touched article's current row, so it is idempotent: several instances feeding one engine,
 * or a replay, only repeat work.
 *
 * What the engine has is recorded in it (the checkpoint: the last event indexed). While the engine
 * is unreachable, batches are delivered anyway and the checkpoint stays; a timer catches up from
 * it. An engine without a checkpoint (new, or emptied) is filled from the articles table in the
 * background, and searches use the database until it is.
 */
/** The articles a batch of changes touched, each once (live blog changes leave the article's text alone). */
const articleIdsOf = (changes: ContentChange[]) => [
  ...new Set(changes.filter((c) => c.kind === "article").flatMap((c) => c.articleIds)),
];

export class SearchFeeder {
  private checkpoint: number | null = null;
  private behind = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private work: Promise<void> = Promise.resolve();
  private rebuilding: Promise<void> | undefined;
  /** Until the engine has been seen with an index, this instance fills an empty one itself. */
  private mayFill = true;
  private lastFillFailure = 0;
  private readonly documents: SearchDocuments;

  constructor(
    private readonly db: Db,
    private readonly engine: SphinxEngine,
    private readonly log: Logger,
    private readonly retryMs = 5000,
  ) {
    this.documents = new SearchDocuments(db);
  }

  /** Whether searches may use the engine: it has been filled, and is not known to be behind. */
  get ready(): boolean {
    return this.checkpoint !== null && !this.behind;
  }

  /**
   * Whether the engine holds a filled index (maybe a little behind): a search's later pages
   * continue there, since every hit is checked in the database anyway.
   */
  get filled(): boolean {
    return this.checkpoint !== null;
  }

  /** A search found the engine without its index (a fill elsewhere): searches use the database until it is back. */
  noticeNotFilled(): void {
    if (this.checkpoint !== null) this.emptied();
  }

  /** The engine lost its index (a fill elsewhere): searches use the database until it is filled again. */
  private emptied(): void {
    this.checkpoint = null;
    this.mayFill = false;
    this.log.warn("search engine: emptied (a rebuild under way?); searches use the database until it is filled");
  }

  /** Reads the checkpoint; fills an empty engine in the background. Never throws: the database answers meanwhile. */
  async start(): Promise<void> {
    try {
      this.checkpoint = await this.engine.checkpoint();
      if (this.checkpoint === null) {
        this.log.info("search engine: empty, filling it from the articles table; searches use the database until then");
        this.fillInBackground();
      } else {
        this.mayFill = false;
        // Events committed while no instance was feeding.
        this.behind = true;
      }
    } catch (err) {
      this.behind = true;
      searchEngineFailures.inc();
      this.log.warn({ err }, "search engine unreachable at start; searches use the database until it answers");
    }
    const tick = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.poll().finally(tick), this.retryMs);
      this.timer.unref();
    };
    if (this.behind) void this.retry();
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.rebuilding;
    await this.work;
  }

  /**
   * Indexes what a batch of events touched (EventTail calls this before delivering them). While
   * the engine is being filled or caught up, the batch is not waited for: that run reads these
   * events too, and searches use the database until it is done.
   */
  beforeDelivery = (changes: ContentChange[]): Promise<void> => {
    if (this.checkpoint === null || this.behind || this.rebuilding || this.stopped) {
      void this.retry();
      return Promise.resolve();
    }
    const ids = articleIdsOf(changes);
    const last = Math.max(0, ...changes.map((c) => Number(c.eventId ?? 0)));
    return this.serial(async () => {
      if (this.checkpoint === null || this.behind) return;
      try {
        await this.sync(ids);
        if (last > this.checkpoint) await this.advance(last);
      } catch (err) {
        this.behind = true;
        searchEngineFailures.inc();
        this.log.warn({ err }, "search engine: indexing failed; searches use the database until it catches up");
      }
    });
  };

  /** Moves the checkpoint; an engine emptied meanwhile (a fill elsewhere) has none, and this instance stops using it. */
  private async advance(eventId: number): Promise<void> {
    if (await this.engine.advanceCheckpoint(eventId)) this.checkpoint = eventId;
    else this.emptied();
  }

  /** One indexing run at a time, in order. */
  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.work.then(fn, fn);
    this.work = next.catch(() => undefined);
    return next;
  }

  /**
   * Brings the engine's documents for these articles up to date. Each batch's rows are read
   * again after the write: when one changed meanwhile (another instance may have read it before
   * that change and written after us), it is written again, so the last write holds the last row.
   */
  async sync(ids: number[]): Promise<void> {
    for (let i = 0; i < ids.length; i += BATCH) {
      let batch = ids.slice(i, i + BATCH);
      for (let round = 0; batch.length > 0 && round < 5; round++) {
        const { documents, gone, stamps } = await this.documents.of(batch);
        await this.engine.replace(documents);
        await this.engine.remove(gone);
        searchDocumentsIndexed.inc(documents.length + gone.length);
        const now = await this.documents.stamps(batch);
        batch = batch.filter((id) => now.get(id) !== stamps.get(id));
      }
    }
  }

  /**
   * Fills the engine in the background, unless another instance is filling it (its claim is in
   * the engine) or a fill failed here in the last minute.
   */
  private fillInBackground(): void {
    if (this.rebuilding || this.stopped || Date.now() - this.lastFillFailure < FILL_RETRY_MS) return;
    this.rebuilding = (async () => {
      if (!(await this.engine.claimFill(Date.now(), FILL_CLAIM_STALE_MS))) {
        this.log.info("search engine: another instance is filling it; searches use the database until then");
        return;
      }
      try {
        await this.rebuild();
      } finally {
        await this.engine.releaseFill().catch(() => undefined);
      }
    })()
      .catch((err: unknown) => {
        this.lastFillFailure = Date.now();
        this.behind = true;
        searchEngineFailures.inc();
        this.log.warn({ err }, "search engine: filling failed; trying again in a minute");
      })
      .finally(() => (this.rebuilding = undefined));
  }

  /** Catches up from the checkpoint (or fills an empty engine); clears `behind` once current. */
  private retry(): Promise<void> {
    if (this.rebuilding || this.stopped || (!this.behind && this.checkpoint !== null)) return Promise.resolve();
    return this.serial(async () => {
      try {
        const checkpoint = await this.engine.checkpoint();
        if (checkpoint === null) {
          this.checkpoint = null;
          // Empty when first reached: this instance fills it. Emptied later: someone else is
          // filling it (`courant search rebuild`); the database answers until they are done.
          if (this.mayFill) this.fillInBackground();
          return;
        }
        this.checkpoint = checkpoint;
        this.mayFill = false;
        this.behind = true;
        if (!(await this.catchUp())) {
          // The events since the checkpoint are gone (retention): only a fill can make it current.
          this.log.error(
            { checkpoint },
            "search engine: the events since its checkpoint were pruned; filling it again from the articles table",
          );
          this.fillInBackground();
          return;
        }
        this.behind = false;
        this.log.info({ checkpoint: this.checkpoint }, "search engine: current");
      } catch (err) {
        searchEngineFailures.inc();
        this.log.warn({ err }, "search engine: catching up failed; retrying");
      }
    });
  }

  /** Every retryMs: catch up when behind or empty; else check that the engine still holds its index. */
  private poll(): Promise<void> {
    if (this.behind || this.rebuilding || this.checkpoint === null) return this.retry();
    return this.serial(async () => {
      try {
        if ((await this.engine.checkpoint()) === null) this.emptied();
      } catch (err) {
        this.behind = true;
        searchEngineFailures.inc();
        this.log.warn({ err }, "search engine unreachable; searches use the database until it answers");
      }
    });
  }

  /**
   * Indexes every article touched by events after the checkpoint (less a margin), then moves it.
   * False when events after the checkpoint have been pruned already (nothing is indexed then).
   */
  private async catchUp(): Promise<boolean> {
    const checkpoint = this.checkpoint ?? 0;
    const [oldest] = await this.db.query<{ id: unknown }>({
      text: "SELECT MIN(id) AS id FROM content_events",
      params: [],
    });
    // (A checkpoint of 0 is a fill of a database whose events were all pruned: nothing to miss.)
    if (checkpoint > 0 && oldest?.id != null && Number(oldest.id) > checkpoint + 1) return false;
    let from = Math.max(0, checkpoint - REPLAY_MARGIN);
    for (;;) {
      const rows = await this.db.query<{ id: unknown; type: string; touches: string }>({
        text: `SELECT id, type, touches FROM content_events WHERE id > ? ORDER BY id LIMIT ${BATCH * 5}`,
        params: [from],
      });
      if (rows.length === 0) return true;
      await this.sync(articleIdsOf(readChanges(rows, this.log)));
      from = Number(rows[rows.length - 1]!.id);
      if (from > (this.checkpoint ?? 0)) {
        await this.advance(from);
        if (this.checkpoint === null) throw new Error("search engine emptied while catching up");
      }
    }
  }

  /**
   * Fills the engine from the articles table: empties it, writes every listed article in id
   * order, creates the checkpoint at the event the fill began after, then indexes the events
   * committed since. The caller holds the fill claim (claimFill). `progress` hears of each batch.
   */
  async rebuild(progress?: (done: number, total: number) => void): Promise<void> {
    this.checkpoint = null;
    const [first] = await this.db.query<{ id: unknown }>({
      text: "SELECT MAX(id) AS id FROM content_events",
      params: [],
    });
    const startEvent = Number(first?.id ?? 0);
    const [counted] = await this.db.query<{ n: unknown }>({
      text: `SELECT COUNT(*) AS n FROM articles a WHERE ${listedArticles("a")}`,
      params: [],
    });
    const total = Number(counted?.n ?? 0);
    await this.engine.clear();
    // Reading the next batch overlaps writing this one.
    // (A read that fails while a write is under way is reported by the await that reads it.)
    const read = (after: number) => {
      const p = this.documents.after(after, BATCH * 2);
      p.catch(() => undefined);
      return p;
    };
    let next = read(0);
    let done = 0;
    for (;;) {
      const { documents, last } = await next;
      if (last === null) break;
      next = read(last);
      await this.engine.replace(documents);
      searchDocumentsIndexed.inc(documents.length);
      done += documents.length;
      progress?.(done, total);
      if (this.stopped) return;
    }
    // The events since the fill began, in turn with the batches the tail hands over meanwhile
    // (those it skipped while the engine had no checkpoint are among them).
    await this.serial(async () => {
      this.behind = true;
      await this.engine.createCheckpoint(startEvent);
      this.checkpoint = startEvent;
      this.mayFill = false;
      if (!(await this.catchUp())) throw new Error("the events since the fill began were pruned meanwhile");
      this.behind = false;
    });
    this.log.info({ articles: done, checkpoint: this.checkpoint }, "search engine: filled");
  }
}
