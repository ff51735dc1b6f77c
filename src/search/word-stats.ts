import { visibleArticles } from "../article/article.visibility";
import type { Db } from "../db/sql";
import { sql } from "../db/sql";
import type { Logger } from "pino";
import { foldWord, WORD } from "./search.query";

/** A sample older than this is taken again, in the background, at the next search. */
const SAMPLE_MAX_AGE_MS = 10 * 60_000;
/** Ids per statement when reading the sample. */
const BATCH = 100;

export interface WordStatsOptions {
  /** Articles in the sample; 0 turns the estimates (and with them row-by-row checks) off. */
  sampleSize: number;
  clock: () => Date;
}

interface Sample {
  /** Folded word → sampled public articles containing it. */
  counts: Map<string, number>;
  size: number;
  takenAt: number;
}

/**
 * How common each word is among public articles, estimated from a random sample of them (the
 * whole set when it is smaller than the sample). InnoDB reads a word's whole posting list for
 * every search that requires it, so a word found in most articles costs a search tens of
 * milliseconds however rare the other words are; the search service uses these estimates to
 * check such words on the few rows the rare words lead to instead (see SearchService.plan).
 *
 * The sample is taken in the background on first use and every ten minutes after; until the
 * first one is ready every search goes through the index alone.
 */
export class WordStats {
  private sample?: Sample;
  private taking?: Promise<void>;

  constructor(
    private readonly db: Db,
    private readonly options: WordStatsOptions,
    private readonly log?: Logger,
  ) {}

  get enabled(): boolean {
    return this.options.sampleSize > 0 && this.db.dialect !== "sqlite";
  }

  /**
   * Share of sampled public articles whose title, standfirst or text contains the word (any
   * case or accents); undefined while no sample is ready. (The FULLTEXT indexes are built
   * without stopwords, see the article-search migration, so every word of 3 letters or more is
   * in them.)
   */
  share(word: string): number | undefined {
    if (!this.enabled) return undefined;
    const sample = this.sample;
    if (!sample || this.options.clock().getTime() - sample.takenAt > SAMPLE_MAX_AGE_MS) this.refreshSoon();
    if (!sample || sample.size === 0) return undefined;
    return (sample.counts.get(foldWord(word)) ?? 0) / sample.size;
  }

  /** Takes a sample unless one is being taken; failures are logged and retried at the next search. */
  private refreshSoon(): void {
    if (this.taking) return;
    this.taking = this.refresh()
      .catch((err: unknown) => this.log?.warn({ err }, "search word statistics: sample not taken"))
      .finally(() => (this.taking = undefined));
  }

  /** Takes a fresh sample now (tests and start-up warmers await this). */
  async refresh(): Promise<void> {
    if (!this.enabled) return;
    const visible = visibleArticles({ now: this.options.clock(), preview: false });
    // The id range from the primary key alone: no scan.
    const [range] = await this.db.query<{ lo: unknown; hi: unknown }>(
      sql("SELECT MIN(a.id) AS lo, MAX(a.id) AS hi FROM articles a"),
    );
    const lo = Number(range?.lo ?? 0);
    const hi = Number(range?.hi ?? 0);
    const span = range?.lo == null ? 0 : hi - lo + 1;
    const want = this.options.sampleSize;
    // Random ids over the range (all of them when fewer): ids of drafts, deleted or missing rows
    // only make the sample a little smaller.
    let ids: number[];
    if (span <= want) {
      ids = Array.from({ length: span }, (_, i) => lo + i);
    } else {
      const picked = new Set<number>();
      while (picked.size < want) picked.add(lo + Math.floor(Math.random() * span));
      ids = [...picked];
    }
    const counts = new Map<string, number>();
    let size = 0;
    for (let i = 0; i < ids.length; i += BATCH) {
      const list = this.db.inList("a.id", ids.slice(i, i + BATCH));
      const rows = await this.db.query<Record<string, unknown>>(
        sql(
          `SELECT a.title, a.standfirst, a.body_text FROM articles a WHERE ${list.text} AND ${visible.text}`,
          ...list.params,
          ...visible.params,
        ),
      );
      for (const row of rows) {
        size++;
        // Folding whole texts, then splitting, gives the words folding each word would, at a
        // fraction of the cost (folding decomposes, so no NFC step is needed first).
        const text = [row.title, row.standfirst, row.body_text].filter((t) => typeof t === "string").join("\n");
        for (const w of new Set(foldWord(text).match(WORD) ?? [])) {
          counts.set(w, (counts.get(w) ?? 0) + 1);
        }
      }
      // Searches keep being answered while a sample is read.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.sample = { counts, size, takenAt: this.options.clock().getTime() };
  }
}
