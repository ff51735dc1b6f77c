import { foldWord, WORD, type SearchQuery } from "./search.query";

/** About how long a passage is, in characters. */
const PASSAGE_LENGTH = 160;

interface Token {
  start: number;
  end: number;
  text: string;
}

interface Span {
  start: number;
  end: number;
  unit: number;
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Folded words seen lately: texts repeat their words, and folding (NFKD) is costly. */
const FOLDED = new Map<string, string>();
const FOLDED_MAX = 50_000;
const ASCII = /^[\p{ASCII}]*$/u;

/** Whether a word of the text is, folded, the folded query word `w`. */
function sameWord(word: string, w: string): boolean {
  // Plain ASCII folds to its lower case, of the same length: most words of a text are ruled
  // out without folding anything.
  if (ASCII.test(word)) return word.length === w.length && word.toLowerCase() === w;
  let folded = FOLDED.get(word);
  if (folded === undefined) {
    folded = foldWord(word);
    if (FOLDED.size >= FOLDED_MAX) FOLDED.clear();
    FOLDED.set(word, folded);
  }
  return folded === w;
}

function tokenize(text: string): Token[] {
  return [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, text: m[0] }));
}

/** Where the units occur, left to right, the longest unit winning where several start at one word. */
function spansOf(tokens: Token[], units: string[][]): Span[] {
  const spans: Span[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let best: { unit: number; length: number } | undefined;
    units.forEach((unit, u) => {
      if (unit.length <= (best?.length ?? 0) || i + unit.length > tokens.length) return;
      if (unit.every((w, k) => sameWord(tokens[i + k]!.text, w))) best = { unit: u, length: unit.length };
    });
    if (best) {
      spans.push({ start: tokens[i]!.start, end: tokens[i + best.length - 1]!.end, unit: best.unit });
      i += best.length - 1;
    }
  }
  return spans;
}

interface Passage {
  text: string;
  tokens: Token[];
  spans: Span[];
  distinct: number;
}

/** The run of matches that fits in one passage and covers the most units, then the most matches. */
function bestRun(text: string, tokens: Token[], spans: Span[]): Passage | null {
  let best: Passage | null = null;
  for (let i = 0; i < spans.length; i++) {
    let j = i;
    while (j + 1 < spans.length && spans[j + 1]!.end - spans[i]!.start <= PASSAGE_LENGTH) j++;
    const run = spans.slice(i, j + 1);
    const distinct = new Set(run.map((s) => s.unit)).size;
    if (!best || distinct > best.distinct || (distinct === best.distinct && run.length > best.spans.length)) {
      best = { text, tokens, spans: run, distinct };
    }
  }
  return best;
}

/** Cuts the passage at word boundaries around its matches and marks them; everything else is escaped. */
function render({ text, tokens, spans }: Passage): string {
  const first = spans[0]!.start;
  const last = spans[spans.length - 1]!.end;
  const room = Math.max(0, PASSAGE_LENGTH - (last - first));
  // A little context before the matches, the rest after; room one side cannot use goes to the other.
  let wantStart = first - Math.floor(room / 3);
  let wantEnd = wantStart + (last - first) + room;
  if (wantStart < 0) [wantStart, wantEnd] = [0, wantEnd - wantStart];
  if (wantEnd > text.length) [wantStart, wantEnd] = [Math.max(0, wantStart - (wantEnd - text.length)), text.length];
  const start = wantStart === 0 ? 0 : Math.min(first, tokens.find((t) => t.start >= wantStart)?.start ?? first);
  const end =
    wantEnd === text.length ? text.length : Math.max(last, tokens.findLast((t) => t.end <= wantEnd)?.end ?? last);
  let out = start > 0 ? "…" : "";
  let at = start;
  for (const span of spans) {
    out += `${escapeHtml(text.slice(at, span.start))}<mark>${escapeHtml(text.slice(span.start, span.end))}</mark>`;
    at = span.end;
  }
  out += escapeHtml(text.slice(at, end));
  return end < text.length ? `${out}…` : out;
}

/**
 * A short passage around the best match in the body, standfirst or title, with the matched
 * words wrapped in <mark> and everything else HTML-escaped. Null when no unit occurs literally
 * (after folding case and accents) in any of them.
 */
export function highlight(
  query: SearchQuery,
  texts: { title: string; standfirst: string | null; bodyText: string | null },
): string | null {
  const units = query.units.map((unit) => unit.map(foldWord));
  let best: Passage | null = null;
  // On a tie the body wins, then the standfirst: the title is shown beside the passage anyway.
  for (const raw of [texts.bodyText, texts.standfirst, texts.title]) {
    if (!raw) continue;
    const text = raw.replace(/\s+/gu, " ").trim();
    const tokens = tokenize(text);
    const run = bestRun(text, tokens, spansOf(tokens, units));
    if (
      run &&
      (!best ||
        run.distinct > best.distinct ||
        (run.distinct === best.distinct && run.spans.length > best.spans.length))
    ) {
      best = run;
    }
  }
  return best ? render(best) : null;
}
