import { badUserInput } from "../graphql/errors";

export const MAX_QUERY_LENGTH = 200;
/**
 * Shorter words are left out of MySQL's index (innodb_ft_min_token_size, 3 by default), so a
 * query cannot require them there; they are ignored on SQLite too, so both answer alike.
 * Inside a phrase they still count ("Baku en Yerevan").
 */
export const MIN_TERM_LENGTH = 3;
/** Longer words are left out of MySQL's index (innodb_ft_max_token_size). */
export const MAX_TERM_LENGTH = 84;
/** Enough for any real query; bounds the work one request can ask for. */
const MAX_UNITS = 16;

/**
 * A run of letters, digits, combining marks and underscores: what both databases' tokenizers
 * call a word (InnoDB counts "_" in words; the FTS5 table is told to, see the
 * search-underscore-words migration).
 */
export const WORD = /[\p{L}\p{N}\p{M}_]+/gu;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const QUOTE = /["“”„«»]/u;

/**
 * What must match: each unit is a word, or words that must follow one another (a phrase).
 * Tokens are lowercased NFC text made only of letters, digits and combining marks.
 */
export interface SearchQuery {
  units: string[][];
}

const codePoints = (s: string) => [...s].length;

/**
 * Turns what a reader typed into units. Text between a pair of double quotes is a phrase; an
 * unpaired quote is ignored. Outside quotes every whitespace-separated chunk is a word, or a
 * phrase when punctuation joins several ("Nagorno-Karabakh", "l'Europe", "COVID-19"). Every
 * operator character of either database's query syntax is dropped here, so nothing a reader
 * types can act as one.
 */
export function parseSearchQuery(raw: string): SearchQuery {
  const text = raw.trim();
  const length = codePoints(text);
  if (length < 1 || length > MAX_QUERY_LENGTH) {
    throw badUserInput(`must be 1 to ${MAX_QUERY_LENGTH} characters long (not counting surrounding spaces)`, "query");
  }
  const words = (s: string) =>
    ((s.normalize("NFC").toLowerCase().match(WORD) ?? []) as string[]).filter((w) => HAS_LETTER_OR_DIGIT.test(w));
  const candidates: string[][] = [];
  const parts = text.split(QUOTE);
  parts.forEach((part, i) => {
    const quoted = i % 2 === 1 && i < parts.length - 1;
    if (quoted) candidates.push(words(part));
    else for (const chunk of part.split(/\s+/u)) candidates.push(words(chunk));
  });
  const seen = new Set<string>();
  const units: string[][] = [];
  for (const unit of candidates) {
    if (unit.length === 0 || unit.some((w) => codePoints(w) > MAX_TERM_LENGTH)) continue;
    if (!unit.some((w) => codePoints(w) >= MIN_TERM_LENGTH)) continue;
    const key = unit.join(" ");
    if (seen.has(key)) continue;
    seen.add(key);
    units.push(unit);
    if (units.length === MAX_UNITS) break;
  }
  return { units };
}

/** Tokens hold no quote or operator character, so a quoted unit is always a plain phrase. */
const quoted = (unit: string[]) => `"${unit.join(" ")}"`;

/** MySQL boolean mode: every unit required. */
export const mysqlAllUnits = (q: SearchQuery) => q.units.map((u) => `+${quoted(u)}`).join(" ");
/** MySQL boolean mode: any unit, each adding to relevance. */
export const mysqlAnyUnit = (q: SearchQuery) => q.units.map(quoted).join(" ");
/** FTS5: phrases side by side must all match. */
export const fts5AllUnits = (q: SearchQuery) => q.units.map(quoted).join(" ");

/** Case, accents and ß folded away, as both databases compare words. */
export function foldWord(word: string): string {
  return word
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/ß/g, "ss");
}

/** Ranges whose letters fold (see foldWord) to a single letter: Latin, Greek and Cyrillic. */
const FOLDING_RANGES: Array<[number, number]> = [
  [0x41, 0x5a],
  [0x61, 0x7a],
  [0xc0, 0x24f],
  [0x1e00, 0x1eff],
  [0x370, 0x3ff],
  [0x1f00, 0x1fff],
  [0x400, 0x4ff],
];

let variants: Map<string, string[]> | undefined;

/** Folded letter → every letter that folds to it (itself included). */
function foldVariants(): Map<string, string[]> {
  if (variants) return variants;
  variants = new Map();
  for (const [lo, hi] of FOLDING_RANGES) {
    for (let cp = lo; cp <= hi; cp++) {
      const ch = String.fromCodePoint(cp);
      if (!/\p{L}/u.test(ch)) continue;
      const folded = foldWord(ch);
      if ([...folded].length !== 1) continue;
      const list = variants.get(folded) ?? [folded];
      if (!list.includes(ch)) list.push(ch);
      variants.set(folded, list);
    }
  }
  return variants;
}

/**
 * Whether a word can be checked by wordPattern exactly as the FULLTEXT index matches it: not
 * where the database's collation expands letters (ß = ss, æ = ae, œ = oe), which one character
 * class per letter cannot express.
 */
export const patternMatchesLikeIndex = (word: string): boolean => !/ss|ae|oe|[^\p{L}\p{N}]/u.test(foldWord(word));

/**
 * A regular expression (PCRE, as MariaDB and MySQL 8 run REGEXP) matching the word as a whole
 * word in any case and with any accents: each letter becomes the class of letters folding to
 * it. Words are letters, digits, marks and underscores only (see WORD), so nothing in them is
 * syntax.
 */
export function wordPattern(word: string): string {
  const table = foldVariants();
  const classes = [...foldWord(word)].map((c) => {
    const list = table.get(c);
    return list && list.length > 1 ? `[${list.join("")}]` : c;
  });
  return `(?<![\\p{L}\\p{N}_])${classes.join("")}(?![\\p{L}\\p{N}_])`;
}
