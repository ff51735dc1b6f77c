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

/** A run of letters, digits and combining marks: what both databases' tokenizers call a word. */
export const WORD = /[\p{L}\p{N}\p{M}]+/gu;
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
  const words = (s: string) => (s.normalize("NFC").toLowerCase().match(WORD) ?? []) as string[];
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
