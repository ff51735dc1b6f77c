/**
 * Synthetic benchmark content: 20 sections, 200 authors, 500 tags and N articles, generated
 * deterministically from a seed and bulk-loaded with multi-row INSERTs.
 *
 * Bench rows are recognisable by their slugs and live next to the demo content without touching it:
 *   sections  "bench-section-<n>" (6 top-level, 14 children)
 *   authors   "bench-author-<n>"
 *   tags      "bench-tag-<n>"
 *   articles  "<slugified title>-bench-<n>", always in a bench section
 * Only rows matching these patterns (articles: slug and section) are ever deleted here. Ids are
 * assigned explicitly from MAX(id) + 1, so run it while nothing else writes to these tables.
 */
import { statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { inTransaction } from "../db/transaction";
import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { linkFeed, recountArticleMonths } from "../article/article.store";
import { articleBodyText } from "../article/article.text";

export interface BenchSeedOptions {
  articles: number;
  seed: number;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
  /**
   * A multilingual archive: every story in up to this many languages (of MULTILINGUAL_LANGUAGES),
   * with realistic gaps (see ArchiveShape). Absent: the original five-language mix.
   */
  languages?: number;
  /** Words in the body of a translation (absent: as long as the original, 540 to 660 words). */
  bodyWords?: number;
  /** Refuse to load when less than this would stay free on the database's disk (see checkFreeDisk). */
  diskMarginBytes?: number;
  /**
   * Build the articles table's secondary and FULLTEXT indexes after the rows (MySQL only; the
   * indexes a foreign key needs stay). "auto": when loading at least BULK_INDEX_THRESHOLD articles.
   */
  indexesAfterRows?: boolean | "auto";
}

export interface BenchSeedResult {
  sections: number;
  authors: number;
  tags: number;
  articles: number;
  skipped: boolean;
  /** Milliseconds spent rebuilding indexes after the rows (0 when they were kept during the load). */
  indexMs?: number;
}

const SECTION_COUNT = 20;
const TOP_LEVEL_SECTIONS = 6;
const AUTHOR_COUNT = 200;
const TAG_COUNT = 500;
const LANGUAGES = ["en", "de", "fr", "nl", "lt"] as const;
/**
 * The languages of a multilingual archive, in the order `--languages N` takes them: the five of
 * the original mix first (the fallback feed reads lt, en and de), then the rest of the EU's 24.
 */
export const MULTILINGUAL_LANGUAGES = [
  ...LANGUAGES,
  ...["es", "it", "pl", "pt", "ro", "cs", "sv", "hu", "el", "bg", "da", "fi", "sk", "hr", "sl", "lv", "et", "ga", "mt"],
] as const;
/**
 * How often a story is translated into a language, by its position in MULTILINGUAL_LANGUAGES:
 * the big editions nearly always, the small ones less (machine translation is cheap, but
 * editors skip local stories for far-away editions). Lithuanian (5th) has gaps on purpose, so
 * the fallback feed has work to do. At 24 languages a story has about 20 versions on average.
 */
const TRANSLATION_COVERAGE = [
  1, 0.95, 0.93, 0.9, 0.8, 0.92, 0.9, 0.88, 0.88, 0.86, 0.86, 0.84, 0.84, 0.82, 0.8, 0.8, 0.8, 0.78, 0.78, 0.76, 0.76,
  0.74, 0.7, 0.7,
];
/** Loads at least this big build the articles table's indexes after the rows (MySQL). */
export const BULK_INDEX_THRESHOLD = 200_000;
const ARTICLES_PER_BATCH = 500;
/** Rows per statement for the small tables and for id lists in deletes. */
const ROWS_PER_STATEMENT = 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_NOW = new Date("2026-11-01T00:00:00Z");

const SECTION_SLUG_LIKE = "bench-section-%";
const AUTHOR_SLUG_LIKE = "bench-author-%";
const TAG_SLUG_LIKE = "bench-tag-%";
const ARTICLE_SLUG_LIKE = "%-bench-%";
const IN_BENCH_SECTION = `section_id IN (SELECT id FROM sections WHERE slug LIKE '${SECTION_SLUG_LIKE}')`;
/**
 * What counts as a bench article when deleting: bench-style slug AND a bench section, so a
 * demo article whose slug happens to contain "-bench-" is never touched. (Counting uses the
 * section alone: it stays on an index, where the slug test would read every row.)
 */
const BENCH_ARTICLES_WHERE = `slug LIKE '${ARTICLE_SLUG_LIKE}' AND ${IN_BENCH_SECTION}`;

// ---------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------

/** mulberry32: a tiny 32-bit PRNG, plenty for synthetic content. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZIPF_CDF = new WeakMap<readonly unknown[], Map<number, number[]>>();

/** Names follow a flatter law than words (Zipf–Mandelbrot): the most named entity is in about 1 % of stories. */
const NAME_OFFSET = 50;

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** Integer in [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /**
   * Zipf's law, as in real text: the k-th item is drawn with weight 1/(k + offset), so a few
   * words are everywhere and most are rare.
   */
  zipf<T>(items: readonly T[], offset = 0): T {
    let cdfs = ZIPF_CDF.get(items);
    if (!cdfs) ZIPF_CDF.set(items, (cdfs = new Map()));
    let cdf = cdfs.get(offset);
    if (!cdf) {
      cdf = [];
      let total = 0;
      for (let k = 1; k <= items.length; k++) cdf.push((total += 1 / (k + offset)));
      cdfs.set(offset, cdf);
    }
    const x = this.next() * cdf[cdf.length - 1];
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return items[lo];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** k distinct integers from [0, n), in draw order. */
  distinct(k: number, n: number): number[] {
    const out: number[] = [];
    while (out.length < k) {
      const v = this.int(n);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }
  /** A UUID-shaped (version 4 layout) string: 36 characters. */
  uuid(): string {
    const hex = (digits: number): string => {
      let s = "";
      for (let i = 0; i < digits; i++) s += this.int(16).toString(16);
      return s;
    };
    const variant = (8 + this.int(4)).toString(16);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`;
  }
}

/** Same format as sqlDate() in ../sql.ts (inlined to keep this module clear of the data-access code). */
function sqlDate(date: Date): string {
  return date.toISOString().replace("T", " ").replace("Z", "");
}

// ---------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------

/** Whitespace-separated words. */
const words = (text: string): string[] => text.trim().split(/\s+/);
/** Items separated by "|" or line breaks. */
const items = (text: string): string[] => text.trim().split(/\s*[|\n]\s*/);

const NOUNS = words(`
agreement agency aid alliance ambassador analysis annual approval army assembly asylum audit authority
balance bank barrier battle benefit bill billion biodiversity bloc border budget bureau business
cabinet campaign candidate capital carbon ceasefire central chamber charter chief citizens city claim
climate coalition coast commission committee community company compromise conference conflict congress
consensus constitution consumer contract council country court crisis critics currency customs
data deal debate debt decision defence deficit delegation demand democracy deputy diplomat directive
dispute district draft drought economy election electricity emissions employment energy enforcement
enlargement environment envoy equality euro europe evidence exchange executive export farmers federal
finance fisheries flood forecast foreign forest framework freedom fuel funding gas government grain
growth guidance harbour health hearing housing human hydrogen immigration import income independence
industry inflation infrastructure initiative inquiry institution insurance interest interior investment
investors judges justice labour law leaders legislation liberal licence loan lobby majority manifesto
market measure media member migration military minister ministry minority mission monitoring nation
negotiation network nuclear observers office official oil opposition order outlook pact parliament
partner party payment peace pension permit petition pipeline plan plenary police policy port poverty
power premier presidency president press price prime procurement production programme project protest
province public quota railway rate reform refugees region regulation renewable report republic research
reserve resolution resources revenue review rights risk rule safety sanctions savings scheme science
screening sector security senate service session settlement shipping solar sovereignty spending
stability standard state statement strategy strike subsidy summit supply support surplus survey
talks target tariff tax technology territory testimony threat trade traffic transport treaty tribunal
troops trust turnout unemployment union university vaccine verdict veto village vote voters wage water
welfare wind withdrawal workers
`);

const VERBS = words(`
accepted agreed announced approved argued backed banned blocked called cautioned challenged claimed
confirmed criticised cut debated declined defended delayed demanded denied doubled warned estimated
expanded expected extended faced failed fell forecast froze granted halted increased insisted launched
lifted lowered met moved negotiated noted objected opened opposed pledged postponed praised proposed
raised reached recalled rejected released renewed reported requested resigned restored reversed rose
ruled said scrapped secured signed stressed suggested suspended tabled told urged vetoed voted welcomed
`);

const ADJECTIVES = words(`
additional binding broad central critical cross-border crucial digital domestic early eastern european
federal final financial fiscal foreign formal fragile general global green historic independent
joint key large late leading legal local major military modest national new northern official open
political private provisional public recent regional rural senior sharp short-term significant
social southern special strategic strong sustainable temporary tough urgent western wider
`);

const ADVERBS = words(`
again almost already also closely currently directly early finally firmly further immediately jointly
largely later nearly now officially only openly quickly recently sharply still strongly widely yet
`);

const PREPOSITIONS = words(`
across after against ahead amid among before behind between during over since through under within
`);

const LINKS = words(`and as while after because but`);

const SYLLABLES = words(`
ka ro va len tis mar do zel ur bri an sko ne vi tal or pe mun ga ri lo sen dra ek ha mi tor us fel bo
`);

/**
 * Made-up proper names (people, places, organisations), of which real news text is full: each
 * story is about a few of them, and a reader searches for them.
 */
export const BENCH_NAMES: readonly string[] = (() => {
  const random = mulberry32(20_261_127);
  const out = new Set<string>();
  while (out.size < 6000) {
    let name = "";
    for (let i = 2 + Math.floor(random() * 2); i > 0; i--) name += SYLLABLES[Math.floor(random() * SYLLABLES.length)];
    out.add(name.charAt(0).toUpperCase() + name.slice(1));
  }
  return [...out];
})();

const TERM_SYLLABLES = words(`
bel fin gor ust am pel tru nok sar ib dem vol que hin cor ald mep sut rav eld gim pos tar um nib
`);

/**
 * Content words: the common nouns above, then a long tail of made-up ones, drawn by Zipf's law
 * with WORD_OFFSET. News text has a vocabulary of tens of thousands of words (Heaps' law), so
 * most nouns are in few stories: measured on the 100,000-article set, the most common noun is in
 * 50% of articles and the nouns of the bench's 20 searches in 0.2% to 50% (median 5%). Made of
 * other syllables than BENCH_NAMES, so a name never doubles as a noun.
 */
const CONTENT_WORDS: readonly string[] = (() => {
  const random = mulberry32(20_261_128);
  const names = new Set(BENCH_NAMES.map((n) => n.toLowerCase()));
  const out = new Set<string>(NOUNS);
  while (out.size < NOUNS.length + 20_000) {
    let word = "";
    // Two to four syllables: 25² + 25³ + 25⁴ possible words, plenty for 20,000.
    for (let i = 2 + Math.floor(random() * 3); i > 0; i--)
      word += TERM_SYLLABLES[Math.floor(random() * TERM_SYLLABLES.length)];
    if (!names.has(word)) out.add(word);
  }
  return [...out];
})();
const WORD_OFFSET = 60;

/** The words article text is made of, for benchmarks that search it. */
export const BENCH_VOCABULARY: readonly string[] = [...CONTENT_WORDS, ...VERBS, ...ADJECTIVES, ...ADVERBS];

const FIRST_NAMES = words(`
Anna Lukas Sophie Jonas Marie Pieter Eva Tomas Laura Matteo Ines Jakub Elena Nikos Camille Rasa
Mindaugas Sofia Jan Clara Felix Hanna Marco Lea Jules Agnieszka Bram Ingrid Oskar Zofia Dimitra
Andrius Greta Paul Nora Milan
`);

const LAST_NAMES = items(`
Jansen | Müller | Dubois | Kowalski | Rossi | Petrauskas | Papadopoulos | Novak | Schmidt
Martin | De Vries | García | Lindqvist | Horvath | Kazlauskas | Bernard | Wagner | Peeters
Nielsen | Moreau | Fischer | Popescu | Silva | Virtanen | Van Dijk | Lambert | Becker | Ferrari
Dvořák | Jankauskas
`);

const ROLES = items(`
Brussels correspondent | Berlin correspondent | Paris correspondent | Vilnius correspondent
Amsterdam correspondent | Strasbourg correspondent | Economics editor | Political editor
Energy reporter | Climate reporter | Trade reporter | Data journalist | Senior reporter
Foreign affairs editor | Contributing writer | Opinion columnist
`);

const BEATS = items(`
the European Commission | the European Parliament | energy markets | trade policy | migration
the Baltic states | central banking | agriculture and fisheries | digital regulation
defence and security | climate policy | competition law | national elections | public health
`);

const SECTION_NAMES = items(`
Europe | Politics | Economy | World | Climate | Opinion | Parliament | Commission | Council
Elections | Markets | Trade | Energy | Neighbourhood | Transatlantic | Nature | Agriculture
Columns | Letters | Analysis
`);

const capitalise = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

function slugify(text: string): string {
  const slug = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= 150) return slug;
  const cut = slug.slice(0, 150);
  return cut.slice(0, Math.max(cut.lastIndexOf("-"), 1));
}

/** The names the article being written is about; empty outside article bodies. */
let topics: string[] = [];

/** the? adjective? noun noun?, or a name (mostly the story's own) */
function nounPhrase(rng: Rng, out: string[]): void {
  if (topics.length > 0 && rng.chance(0.12)) {
    out.push(rng.chance(0.8) ? rng.pick(topics) : rng.zipf(BENCH_NAMES, NAME_OFFSET));
    return;
  }
  if (rng.chance(0.45)) out.push("the");
  if (rng.chance(0.35)) out.push(rng.zipf(ADJECTIVES));
  out.push(rng.zipf(CONTENT_WORDS, WORD_OFFSET));
  if (rng.chance(0.25)) out.push(rng.zipf(CONTENT_WORDS, WORD_OFFSET));
}

/** noun-phrase adverb? verb noun-phrase (preposition noun-phrase)? */
function clause(rng: Rng, out: string[]): void {
  nounPhrase(rng, out);
  if (rng.chance(0.15)) out.push(rng.zipf(ADVERBS));
  out.push(rng.zipf(VERBS));
  nounPhrase(rng, out);
  if (rng.chance(0.5)) {
    out.push(rng.pick(PREPOSITIONS));
    nounPhrase(rng, out);
  }
}

const FUNCTION_WORDS = new Set(["the", ...PREPOSITIONS, ...LINKS]);

/** Exactly `count` words of news-flavoured word salad, never ending on "the", "and" or a preposition. */
function phrase(rng: Rng, count: number): string[] {
  const out: string[] = [];
  while (out.length < count) {
    if (out.length > 0) out.push(rng.pick(LINKS));
    clause(rng, out);
  }
  out.length = count;
  if (FUNCTION_WORDS.has(out[count - 1])) out[count - 1] = rng.zipf(CONTENT_WORDS, WORD_OFFSET);
  return out;
}

function sentence(rng: Rng, count: number): string {
  const w = phrase(rng, count);
  // A comma before some of the linking words ("..., while the ...").
  for (let i = 2; i < w.length - 1; i++) if (LINKS.includes(w[i]) && rng.chance(0.5)) w[i - 1] += ",";
  return capitalise(w.join(" ")) + ".";
}

function paragraphText(rng: Rng, words: number): string {
  const sentences: string[] = [];
  let left = words;
  while (left > 0) {
    const n = left < 24 ? left : rng.between(8, 20);
    sentences.push(sentence(rng, n));
    left -= n;
  }
  return sentences.join(" ");
}

/** 540 to 660 words in 6 to 10 paragraphs, or about `words` words (a shorter translated body). */
function body(rng: Rng, words?: number): string {
  // Drawn in this order (paragraphs, then words) so the original data set stays what it was.
  const paragraphs = words === undefined ? rng.between(6, 10) : Math.max(1, Math.min(10, Math.round(words / 60)));
  const total = words ?? rng.between(540, 660);
  const out: string[] = [];
  for (let i = 0; i < paragraphs; i++) {
    const base = Math.round(total / paragraphs);
    out.push(`<p>${paragraphText(rng, Math.max(12, base + rng.between(-15, 15)))}</p>`);
  }
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// Row generation
// ---------------------------------------------------------------------------

interface ArticleRow {
  id: number;
  storyKey: string;
  slug: string;
  language: string;
  title: string;
  standfirst: string;
  body: string;
  status: "draft" | "scheduled" | "published";
  publishedAt: string | null;
  createdAt: string;
  sectionId: number;
  heroUrl: string | null;
  heroAlt: string | null;
  heroWidth: number | null;
  heroHeight: number | null;
  authorIds: number[];
  tagIds: number[];
}

interface Story {
  key: string;
  languages: string[];
  status: ArticleRow["status"];
  publishedAt: number | null; // epoch ms
  sectionId: number;
  authorIds: number[];
  tagIds: number[];
  hero: boolean;
  /** The names the story is about (shared by its language versions). */
  topics: string[];
}

/**
 * Streams articles: stories are drawn one after another and each language version is one
 * article, so the first k articles are the same whatever the total (only the last story may
 * lose versions to make exactly `total` articles).
 */
class ArticleGenerator {
  private readonly rng: Rng;
  private story: Story | null = null;
  private versionIndex = 0;
  private storyFirstNumber = 0;
  private produced = 0;

  constructor(
    seed: number,
    private readonly now: number,
    private readonly firstId: number,
    private readonly sectionIds: number[],
    private readonly authorIds: number[],
    private readonly tagIds: number[],
    private readonly archive: { languages: number; bodyWords?: number } | null = null,
  ) {
    this.rng = new Rng((seed ^ 0x5eed_a271) >>> 0);
  }

  /** An archive story: written in one language (mostly English), then translated with gaps. */
  private archiveLanguages(count: number): string[] {
    const rng = this.rng;
    const all = MULTILINGUAL_LANGUAGES.slice(0, count);
    const original = rng.chance(0.5) ? "en" : rng.pick(all);
    const out = [original];
    all.forEach((language, i) => {
      if (language !== original && rng.chance(TRANSLATION_COVERAGE[i] ?? 0.7)) out.push(language);
    });
    return out;
  }

  private newStory(): Story {
    const rng = this.rng;
    let languages: string[];
    if (this.archive) languages = this.archiveLanguages(this.archive.languages);
    else {
      const multi = rng.chance(0.3);
      const versions = multi ? rng.between(2, 4) : 1;
      languages = multi
        ? rng.distinct(versions, LANGUAGES.length).map((i) => LANGUAGES[i])
        : [rng.chance(0.6) ? "en" : rng.pick(LANGUAGES)];
    }
    const roll = rng.float();
    let status: Story["status"] = "published";
    let publishedAt: number | null = this.now - 1000 - Math.floor(rng.float() * (2 * 365 * DAY_MS - 1000));
    if (roll < 0.02) {
      status = "draft";
      publishedAt = null;
    } else if (roll < 0.03) {
      status = "scheduled";
      publishedAt = this.now + 60_000 + Math.floor(rng.float() * (30 * DAY_MS - 60_000));
    }
    const authors = rng.distinct(rng.chance(0.75) ? 1 : 2, this.authorIds.length).map((i) => this.authorIds[i]);
    const tags = rng.distinct(rng.between(0, 5), this.tagIds.length).map((i) => this.tagIds[i]);
    return {
      key: rng.uuid(),
      languages,
      status,
      publishedAt,
      sectionId: this.sectionIds[rng.int(this.sectionIds.length)],
      authorIds: authors,
      tagIds: tags,
      hero: rng.chance(0.5),
      topics: [
        rng.zipf(BENCH_NAMES, NAME_OFFSET),
        rng.zipf(BENCH_NAMES, NAME_OFFSET),
        rng.zipf(BENCH_NAMES, NAME_OFFSET),
      ],
    };
  }

  next(): ArticleRow {
    const rng = this.rng;
    if (!this.story || this.versionIndex >= this.story.languages.length) {
      this.story = this.newStory();
      this.versionIndex = 0;
      this.storyFirstNumber = this.produced + 1;
    }
    const story = this.story;
    const language = story.languages[this.versionIndex];
    const number = ++this.produced;

    // Translations follow the original by up to a few hours, staying inside the story's window:
    // before `now` when published, within 30 days after it when scheduled.
    let publishedAt = story.publishedAt;
    if (publishedAt !== null && this.versionIndex > 0) {
      const later = publishedAt + rng.between(5, 360) * 60_000;
      publishedAt = Math.min(later, story.status === "published" ? this.now - 1000 : this.now + 30 * DAY_MS);
    }
    this.versionIndex++;

    topics = story.topics;
    const title = capitalise(phrase(rng, rng.between(6, 12)).join(" "));
    const standfirst = sentence(rng, rng.between(20, 30));
    const translation = this.versionIndex > 1;
    const text = translation && this.archive?.bodyWords ? body(rng, this.archive.bodyWords) : body(rng);
    topics = [];
    const published = publishedAt === null ? null : sqlDate(new Date(publishedAt));
    const created = story.status === "published" && published ? published : sqlDate(new Date(this.now));
    return {
      id: this.firstId + number - 1,
      storyKey: story.key,
      slug: `${slugify(title)}-bench-${number}`,
      language,
      title,
      standfirst,
      body: text,
      status: story.status,
      publishedAt: published,
      createdAt: created,
      sectionId: story.sectionId,
      heroUrl: story.hero ? `https://images.example.com/bench/${this.storyFirstNumber}.jpg` : null,
      heroAlt: story.hero ? capitalise(phrase(rng, rng.between(5, 10)).join(" ")) : null,
      heroWidth: story.hero ? 1200 : null,
      heroHeight: story.hero ? 800 : null,
      authorIds: story.authorIds,
      tagIds: story.tagIds,
    };
  }
}

// ---------------------------------------------------------------------------
// SQL helpers
// ---------------------------------------------------------------------------

type Querier = Pick<EntityManager, "query">;

async function insertRows(q: Querier, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const maxRows = Math.max(1, Math.floor(30_000 / columns.length));
  const tuple = `(${columns.map(() => "?").join(",")})`;
  for (let i = 0; i < rows.length; i += maxRows) {
    const chunk = rows.slice(i, i + maxRows);
    await q.query(
      `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${chunk.map(() => tuple).join(",")}`,
      chunk.flat(),
    );
  }
}

async function scalar(q: Querier, text: string, params: unknown[] = []): Promise<number> {
  const rows = (await q.query(text, params)) as Array<Record<string, unknown>>;
  return Number(rows[0]?.n ?? 0);
}

async function benchCounts(q: Querier): Promise<Omit<BenchSeedResult, "skipped">> {
  return {
    sections: await scalar(q, `SELECT COUNT(*) AS n FROM sections WHERE slug LIKE ?`, [SECTION_SLUG_LIKE]),
    authors: await scalar(q, `SELECT COUNT(*) AS n FROM authors WHERE slug LIKE ?`, [AUTHOR_SLUG_LIKE]),
    tags: await scalar(q, `SELECT COUNT(*) AS n FROM tags WHERE slug LIKE ?`, [TAG_SLUG_LIKE]),
    articles: await scalar(q, `SELECT COUNT(*) AS n FROM articles WHERE ${IN_BENCH_SECTION}`),
  };
}

async function deleteBench(ds: DataSource): Promise<void> {
  const ids = (
    (await ds.query(`SELECT id FROM articles WHERE ${BENCH_ARTICLES_WHERE} ORDER BY id`)) as Array<{ id: unknown }>
  ).map((r) => Number(r.id));
  for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT * 5) {
    const chunk = ids.slice(i, i + ROWS_PER_STATEMENT * 5);
    const list = chunk.map(() => "?").join(",");
    await inTransaction(ds, async (m) => {
      await m.query(`DELETE FROM article_tags WHERE article_id IN (${list})`, chunk);
      await m.query(`DELETE FROM article_authors WHERE article_id IN (${list})`, chunk);
      await m.query(`DELETE FROM articles WHERE id IN (${list})`, chunk);
    });
  }
  await inTransaction(ds, async (m) => {
    await m.query(`DELETE FROM tags WHERE slug LIKE ?`, [TAG_SLUG_LIKE]);
    await m.query(`DELETE FROM authors WHERE slug LIKE ?`, [AUTHOR_SLUG_LIKE]);
    // Children first, so the self-reference never has to cascade inside one statement.
    await m.query(`DELETE FROM sections WHERE slug LIKE ? AND parent_id IS NOT NULL`, [SECTION_SLUG_LIKE]);
    await m.query(`DELETE FROM sections WHERE slug LIKE ?`, [SECTION_SLUG_LIKE]);
  });
}

async function nextId(q: Querier, table: string): Promise<number> {
  return (await scalar(q, `SELECT COALESCE(MAX(id), 0) AS n FROM ${table}`)) + 1;
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

export async function seedBench(ds: DataSource, opts: BenchSeedOptions): Promise<BenchSeedResult> {
  const total = Math.max(0, Math.floor(opts.articles));
  const now = (opts.now ?? DEFAULT_NOW).getTime();

  const existing = await benchCounts(ds);
  const hasSections = (await scalar(ds, `SELECT COUNT(*) AS n FROM sections WHERE slug = ?`, ["bench-section-1"])) > 0;
  if (
    hasSections &&
    existing.articles >= total &&
    existing.sections >= SECTION_COUNT &&
    existing.authors >= AUTHOR_COUNT &&
    existing.tags >= TAG_COUNT
  ) {
    return { ...existing, skipped: true };
  }
  if (opts.diskMarginBytes !== undefined) await checkFreeDisk(ds, estimatedLoadBytes(opts), opts.diskMarginBytes);
  if (existing.sections + existing.authors + existing.tags + existing.articles > 0) await deleteBench(ds);

  // Reference data: its own PRNG stream, independent of the article count.
  const rng = new Rng(opts.seed >>> 0);
  const sectionIds: number[] = [];
  const authorIds: number[] = [];
  const tagIds: number[] = [];
  await inTransaction(ds, async (m) => {
    const firstSection = await nextId(m, "sections");
    const sections: unknown[][] = [];
    for (let n = 1; n <= SECTION_COUNT; n++) {
      const id = firstSection + n - 1;
      const parent =
        n <= TOP_LEVEL_SECTIONS ? null : firstSection + ((n - TOP_LEVEL_SECTIONS - 1) % TOP_LEVEL_SECTIONS);
      const name = `${SECTION_NAMES[n - 1]} (bench ${n})`;
      const description = sentence(rng, rng.between(10, 18));
      const position = n <= TOP_LEVEL_SECTIONS ? n : Math.floor((n - TOP_LEVEL_SECTIONS - 1) / TOP_LEVEL_SECTIONS) + 1;
      sections.push([id, `bench-section-${n}`, name, description, parent, position]);
      sectionIds.push(id);
    }
    // Parents (n <= 6) come first in the list, so the self-reference is satisfied row by row.
    await insertRows(m, "sections", ["id", "slug", "name", "description", "parent_id", "position"], sections);

    const firstAuthor = await nextId(m, "authors");
    const authors: unknown[][] = [];
    for (let n = 1; n <= AUTHOR_COUNT; n++) {
      const id = firstAuthor + n - 1;
      const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
      const role = rng.pick(ROLES);
      const bio = `${name} covers ${rng.pick(BEATS)} and ${rng.pick(BEATS)}. ${sentence(rng, rng.between(10, 20))}`;
      authors.push([id, `bench-author-${n}`, name, role, bio, `author-${n}@bench.example`]);
      authorIds.push(id);
    }
    await insertRows(m, "authors", ["id", "slug", "name", "role", "bio", "email"], authors);

    const firstTag = await nextId(m, "tags");
    const tags: unknown[][] = [];
    for (let n = 1; n <= TAG_COUNT; n++) {
      const id = firstTag + n - 1;
      tags.push([id, `bench-tag-${n}`, `${capitalise(rng.pick(ADJECTIVES))} ${rng.pick(NOUNS)} ${n}`]);
      tagIds.push(id);
    }
    await insertRows(m, "tags", ["id", "slug", "name"], tags);
  });

  const firstArticle = await nextId(ds, "articles");
  const archive = opts.languages
    ? { languages: Math.min(opts.languages, MULTILINGUAL_LANGUAGES.length), bodyWords: opts.bodyWords }
    : null;
  const gen = new ArticleGenerator(opts.seed, now, firstArticle, sectionIds, authorIds, tagIds, archive);
  // Link rows carry their article's feed position and visibility (migration 1796626800000), when present.
  const hasLinkFeed = await schemaHas(ds, (r) => r.hasColumn("article_tags", "listed"));
  // ... and a tag's link rows their article's language (migration 1796886000000).
  const hasTagLanguage = await schemaHas(ds, (r) => r.hasColumn("article_tags", "language"));
  const mysql = ds.options.type !== "better-sqlite3";
  const bulk =
    mysql && (opts.indexesAfterRows === true || (opts.indexesAfterRows !== false && total >= BULK_INDEX_THRESHOLD));
  const rebuild = bulk ? await dropArticleIndexes(ds) : null;
  const articleColumns = [
    "id",
    "story_key",
    "slug",
    "language",
    "title",
    "standfirst",
    "body",
    "body_text",
    "status",
    "published_at",
    "created_at",
    "updated_at",
    "section_id",
    "hero_image_url",
    "hero_image_alt",
    "hero_image_width",
    "hero_image_height",
  ];
  let done = 0;
  const batch = archive ? ARTICLES_PER_BATCH * 4 : ARTICLES_PER_BATCH;
  while (done < total) {
    const size = Math.min(batch, total - done);
    const articles: unknown[][] = [];
    const articleAuthors: unknown[][] = [];
    const articleTags: unknown[][] = [];
    for (let i = 0; i < size; i++) {
      const a = gen.next();
      articles.push([
        a.id,
        a.storyKey,
        a.slug,
        a.language,
        a.title,
        a.standfirst,
        a.body,
        articleBodyText(a.body),
        a.status,
        a.publishedAt,
        a.createdAt,
        a.createdAt,
        a.sectionId,
        a.heroUrl,
        a.heroAlt,
        a.heroWidth,
        a.heroHeight,
      ]);
      // The write core's own rule for what a link row lists (bench rows are never deleted).
      const listed = linkFeed({
        status: a.status,
        publishedAt: a.publishedAt === null ? null : new Date(a.publishedAt),
        deletedAt: null,
      }).listed;
      const feed = hasLinkFeed ? [a.publishedAt, listed ? 1 : 0] : [];
      a.authorIds.forEach((authorId, position) => articleAuthors.push([a.id, authorId, position, ...feed]));
      const tagFeed = hasTagLanguage ? [...feed, a.language] : feed;
      for (const tagId of a.tagIds) articleTags.push([a.id, tagId, ...tagFeed]);
    }
    const feedColumns = hasLinkFeed ? ["published_at", "listed"] : [];
    await inTransaction(ds, async (m) => {
      if (bulk) await m.query("SET SESSION unique_checks = 0, SESSION foreign_key_checks = 0");
      await insertRows(m, "articles", articleColumns, articles);
      if (articleAuthors.length)
        await insertRows(m, "article_authors", ["article_id", "author_id", "position", ...feedColumns], articleAuthors);
      if (articleTags.length)
        await insertRows(
          m,
          "article_tags",
          ["article_id", "tag_id", ...feedColumns, ...(hasTagLanguage ? ["language"] : [])],
          articleTags,
        );
      if (bulk) await m.query("SET SESSION unique_checks = 1, SESSION foreign_key_checks = 1");
    });
    done += size;
    opts.onProgress?.(done, total);
  }
  const indexStarted = Date.now();
  if (rebuild) await rebuild();
  // The rows went in beside the write core: its per-month counts are made again from them.
  if (await schemaHas(ds, (r) => r.hasTable("article_months"))) await recountArticleMonths(ds);

  return {
    sections: SECTION_COUNT,
    authors: AUTHOR_COUNT,
    tags: TAG_COUNT,
    articles: total,
    skipped: false,
    indexMs: rebuild ? Date.now() - indexStarted : 0,
  };
}

/** Asks the schema (a table, a column) through a query runner of its own. */
async function schemaHas(ds: DataSource, ask: (runner: QueryRunner) => Promise<boolean>): Promise<boolean> {
  const runner = ds.createQueryRunner();
  try {
    return await ask(runner);
  } finally {
    await runner.release();
  }
}

interface IndexDefinition {
  name: string;
  columns: string[];
  unique: boolean;
  fulltext: boolean;
}

/**
 * Drops the articles table's secondary indexes (but those a foreign key needs) and returns what
 * builds them again: InnoDB builds an index over loaded rows by sorting them once, far faster
 * than keeping seven B-trees and a FULLTEXT index up to date row by row. MySQL only.
 */
async function dropArticleIndexes(ds: DataSource): Promise<() => Promise<void>> {
  const rows = (await ds.query(
    `SELECT INDEX_NAME AS name, COLUMN_NAME AS col, SEQ_IN_INDEX AS seq, NON_UNIQUE AS nonUnique, INDEX_TYPE AS type` +
      ` FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'articles'` +
      ` ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
  )) as Array<{ name: string; col: string; seq: unknown; nonUnique: unknown; type: string }>;
  const fkColumns = new Set(
    (
      (await ds.query(
        `SELECT COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE()` +
          ` AND TABLE_NAME = 'articles' AND REFERENCED_TABLE_NAME IS NOT NULL`,
      )) as Array<{ col: string }>
    ).map((r) => r.col),
  );
  const byName = new Map<string, IndexDefinition>();
  for (const r of rows) {
    const def = byName.get(r.name) ?? {
      name: r.name,
      columns: [],
      unique: Number(r.nonUnique) === 0,
      fulltext: r.type === "FULLTEXT",
    };
    def.columns.push(r.col);
    byName.set(r.name, def);
  }
  const kept = new Set<string>();
  for (const col of fkColumns) {
    const serving = [...byName.values()].find((d) => !d.fulltext && d.columns[0] === col);
    if (serving) kept.add(serving.name);
  }
  const dropped = [...byName.values()].filter((d) => d.name !== "PRIMARY" && !kept.has(d.name));
  if (dropped.length === 0) return async () => {};
  await ds.query(`ALTER TABLE articles ${dropped.map((d) => `DROP INDEX \`${d.name}\``).join(", ")}`);
  return async () => {
    const q = ds.createQueryRunner();
    try {
      // No stopwords, no statement cap: as the search migration built them (see its relaxSession).
      const cap = ds.options.type === "mariadb" ? "max_statement_time" : "max_execution_time";
      await q.query(`SET SESSION innodb_ft_enable_stopword = OFF, SESSION ${cap} = 0`);
      const btree = dropped.filter((d) => !d.fulltext);
      const cols = (d: IndexDefinition) => d.columns.map((c) => `\`${c}\``).join(", ");
      if (btree.length)
        await q.query(
          `ALTER TABLE articles ${btree.map((d) => `ADD ${d.unique ? "UNIQUE " : ""}INDEX \`${d.name}\` (${cols(d)})`).join(", ")}`,
        );
      // InnoDB builds one FULLTEXT index per statement.
      for (const d of dropped.filter((x) => x.fulltext))
        await q.query(`ALTER TABLE articles ADD FULLTEXT INDEX \`${d.name}\` (${cols(d)})`);
    } finally {
      await q.release();
    }
  };
}

/** Bytes an article takes in MariaDB (row, body twice, search indexes, feed indexes), measured on the bench sets. */
export function estimatedArticleBytes(bodyWords: number): number {
  return Math.round(1800 + bodyWords * 24);
}

/** Rough size of a bench load, for the free-space check: originals at full length, translations at `bodyWords`. */
export function estimatedLoadBytes(opts: Pick<BenchSeedOptions, "articles" | "languages" | "bodyWords">): number {
  const originals = opts.languages ? opts.articles / 20 : opts.articles * 0.75;
  const translations = opts.articles - originals;
  return Math.round(
    originals * estimatedArticleBytes(600) + translations * estimatedArticleBytes(opts.bodyWords ?? 600),
  );
}

/**
 * Refuses a load that would leave less than `marginBytes` free where the database keeps its
 * files (MySQL's datadir when the server is on this machine, the SQLite file's directory).
 * Returns the figures, or null when the database's disk cannot be seen from here (a remote server).
 */
export async function checkFreeDisk(
  ds: DataSource,
  neededBytes: number,
  marginBytes: number,
): Promise<{ freeBytes: number; neededBytes: number; path: string } | null> {
  let path: string;
  if (ds.options.type === "better-sqlite3") path = dirname(resolve(String(ds.options.database)));
  else {
    const host = (ds.options as { host?: string; url?: string }).url
      ? new URL((ds.options as { url: string }).url).hostname
      : ((ds.options as { host?: string }).host ?? "localhost");
    if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) return null;
    path = String(((await ds.query("SELECT @@datadir AS dir")) as Array<{ dir: string }>)[0]!.dir);
  }
  let freeBytes: number;
  try {
    const st = statfsSync(path);
    freeBytes = Number(st.bavail) * Number(st.bsize);
  } catch {
    return null;
  }
  if (freeBytes - neededBytes < marginBytes) {
    const gb = (n: number) => `${(n / 1e9).toFixed(1)} GB`;
    throw new Error(
      `not enough free disk for this load: it needs about ${gb(neededBytes)} and ${path} has ${gb(freeBytes)} free;` +
        ` at least ${gb(marginBytes)} must stay free. Load fewer articles, shorter translations (--body-words)` +
        ` or free some space (drop an old bench database).`,
    );
  }
  return { freeBytes, neededBytes, path };
}

/**
 * Two-word queries as readers type them: a name a story is about and a word from its text,
 * drawn with the corpus's own frequencies (so common names and words come up most).
 */
export function benchSearchQueries(seed: number, count: number, options: { functionWords?: boolean } = {}): string[] {
  const rng = new Rng(seed);
  const out = new Set<string>();
  while (out.size < count) {
    const name = rng.zipf(BENCH_NAMES, NAME_OFFSET);
    const noun = rng.zipf(CONTENT_WORDS, WORD_OFFSET);
    // As readers type them too: "the Loorva territory", "Gaorek and agreement" (the indexes keep
    // such words, so they are searched like any other and are in nearly every article).
    out.add(
      options.functionWords
        ? rng.pick([`the ${name} ${noun}`, `${name} and ${noun}`, `${noun} of the ${name}`])
        : `${name} ${noun}`,
    );
  }
  return [...out];
}

export interface TableSize {
  table: string;
  rows: number;
  dataBytes: number;
  indexBytes: number;
}

/** Data and index sizes per table, biggest first (MySQL: InnoDB's figures, after ANALYZE TABLE). */
export async function tableSizes(ds: DataSource): Promise<TableSize[]> {
  if (ds.options.type === "better-sqlite3") return [];
  const tables = (await ds.query(
    "SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'",
  )) as Array<{ t: string }>;
  for (const { t } of tables) await ds.query(`ANALYZE TABLE \`${t}\``);
  const rows = (await ds.query(
    "SELECT TABLE_NAME AS t, TABLE_ROWS AS r, DATA_LENGTH AS d, INDEX_LENGTH AS i FROM information_schema.TABLES" +
      " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY DATA_LENGTH + INDEX_LENGTH DESC",
  )) as Array<{ t: string; r: unknown; d: unknown; i: unknown }>;
  return rows.map((r) => ({ table: r.t, rows: Number(r.r), dataBytes: Number(r.d), indexBytes: Number(r.i) }));
}
