import { LRUCache } from "lru-cache";
import { parseDocument } from "htmlparser2";
import { getOuterHTML, textContent } from "domutils";
import type { AnyNode, Element } from "domhandler";
import { AD_MARKER, EMBED_PROVIDERS, sanitizeBody } from "./article.sanitize";

export type BodyBlock =
  | { kind: "paragraph"; html: string; text: string }
  | { kind: "heading"; level: number; text: string }
  | { kind: "quote"; text: string; attribution: string | null }
  | { kind: "list"; ordered: boolean; items: string[] }
  | {
      kind: "image";
      url: string;
      alt: string | null;
      caption: string | null;
      width: number | null;
      height: number | null;
    }
  | { kind: "embed"; provider: string; url: string }
  | { kind: "ad"; slotId: string; position: number; label: string };

/** "Advertisement" in each of the EU's languages; English where a language is not listed. */
export const AD_LABELS: Record<string, string> = {
  bg: "Реклама",
  cs: "Reklama",
  da: "Annonce",
  de: "Anzeige",
  el: "Διαφήμιση",
  en: "Advertisement",
  es: "Publicidad",
  et: "Reklaam",
  fi: "Mainos",
  fr: "Publicité",
  ga: "Fógra",
  hr: "Oglas",
  hu: "Hirdetés",
  it: "Pubblicità",
  lt: "Reklama",
  lv: "Reklāma",
  mt: "Reklam",
  nl: "advertentie",
  pl: "Reklama",
  pt: "Publicidade",
  ro: "Publicitate",
  sk: "Reklama",
  sl: "Oglas",
  sv: "Annons",
};

export const adLabel = (language: string) => AD_LABELS[language] ?? AD_LABELS[language.split("-")[0]!] ?? AD_LABELS.en!;

const squash = (s: string) => s.replace(/\s+/g, " ").trim();
const isEl = (n: AnyNode): n is Element => "name" in n;
const num = (v: string | undefined) => (v && /^\d{1,5}$/.test(v) ? Number(v) : null);
const AD = { kind: "adMarker" } as const;
type Parsed = Exclude<BodyBlock, { kind: "ad" }> | typeof AD;

function imageOf(img: Element, caption: string | null): Parsed | null {
  const url = img.attribs.src;
  if (!url) return null;
  return {
    kind: "image",
    url,
    alt: img.attribs.alt ?? null,
    caption,
    width: num(img.attribs.width),
    height: num(img.attribs.height),
  };
}

function embedOf(iframe: Element): Parsed | null {
  try {
    const url = new URL(iframe.attribs.src ?? "");
    const provider = EMBED_PROVIDERS[url.hostname];
    return provider ? { kind: "embed", provider, url: url.toString() } : null;
  } catch {
    return null;
  }
}

function find(nodes: AnyNode[], name: string): Element | undefined {
  for (const n of nodes) {
    if (!isEl(n)) continue;
    if (n.name === name) return n;
    const inner = find(n.children, name);
    if (inner) return inner;
  }
  return undefined;
}

function parse(nodes: AnyNode[], out: Parsed[]): void {
  let loose: AnyNode[] = [];
  const flushLoose = () => {
    const text = squash(textContent(loose));
    if (text)
      out.push({
        kind: "paragraph",
        html: loose
          .map((n) => getOuterHTML(n))
          .join("")
          .trim(),
        text,
      });
    loose = [];
  };
  for (const node of nodes) {
    if (!isEl(node) || ["a", "strong", "em", "br", "cite"].includes(node.name)) {
      loose.push(node);
      continue;
    }
    flushLoose();
    const text = squash(textContent(node));
    switch (node.name) {
      case "p": {
        const only = node.children.filter((c) => isEl(c) || squash(textContent(c)) !== "");
        const single = only.length === 1 && isEl(only[0]!) ? (only[0] as Element) : undefined;
        if (single?.name === "img") {
          const img = imageOf(single, null);
          if (img) out.push(img);
        } else if (single?.name === "iframe") {
          const embed = embedOf(single);
          if (embed) out.push(embed);
        } else if (text) {
          out.push({
            kind: "paragraph",
            html: node.children
              .map((c) => getOuterHTML(c))
              .join("")
              .trim(),
            text,
          });
        }
        break;
      }
      case "h2":
      case "h3":
      case "h4":
        if (text) out.push({ kind: "heading", level: Number(node.name[1]), text });
        break;
      case "blockquote": {
        const cite = find(node.children, "cite");
        const words = (nodes: AnyNode[]): string =>
          nodes.map((n) => (n === cite ? " " : isEl(n) ? ` ${words(n.children)} ` : textContent(n))).join("");
        const quote = squash(words(node.children)).replace(/[\s—–-]+$/u, "");
        if (quote)
          out.push({ kind: "quote", text: quote, attribution: cite ? squash(textContent(cite)) || null : null });
        break;
      }
      case "ul":
      case "ol": {
        const items = node.children
          .filter((c): c is Element => isEl(c) && c.name === "li")
          .map((li) => squash(textContent(li)))
          .filter(Boolean);
        if (items.length) out.push({ kind: "list", ordered: node.name === "ol", items });
        break;
      }
      case "figure": {
        const img = find(node.children, "img");
        const iframe = find(node.children, "iframe");
        const caption = find(node.children, "figcaption");
        const block = img
          ? imageOf(img, caption ? squash(textContent(caption)) || null : null)
          : iframe
            ? embedOf(iframe)
            : null;
        if (block) out.push(block);
        break;
      }
      case "img": {
        const img = imageOf(node, null);
        if (img) out.push(img);
        break;
      }
      case "iframe": {
        const embed = embedOf(node);
        if (embed) out.push(embed);
        break;
      }
      case "div":
        if (AD_MARKER in node.attribs) out.push(AD);
        else parse(node.children, out);
        break;
      default:
        parse(node.children, out);
    }
  }
  flushLoose();
}

export interface ParsedBody {
  html: string;
  /** Content blocks without ad slots. */
  blocks: Array<Exclude<BodyBlock, { kind: "ad" }>>;
  /** Indexes into `blocks` after which an ad slot goes. */
  adsAfter: number[];
  text: string;
  wordCount: number;
}

/**
 * Parses a (re-sanitised) body. Ad slots go where the body carries explicit markers;
 * without markers, after the 3rd paragraph and then after every 6th. Never first or last.
 */
export function parseBody(stored: string): ParsedBody {
  let parsed = parsedBodies.get(stored);
  if (!parsed) {
    parsed = parseBodyNow(stored);
    parsedBodies.set(stored, parsed);
  }
  return parsed;
}

/**
 * Parsed bodies by their stored text, for the process: sanitising and parsing a body is the
 * largest part of an article page that the response cache missed, and a body only changes by
 * being saved again, as a new text (so a new key). Bounded by an estimate of the memory held.
 * Callers share what they get and must not change it.
 */
const parsedBodies = new LRUCache<string, ParsedBody>({
  maxSize: 16 * 1024 * 1024,
  sizeCalculation: (parsed, stored) => 2 * (stored.length + parsed.html.length + parsed.text.length) + 1024,
});

function parseBodyNow(stored: string): ParsedBody {
  const html = sanitizeBody(stored);
  const parsed: Parsed[] = [];
  parse(parseDocument(html).children, parsed);
  const blocks: ParsedBody["blocks"] = [];
  const markers: number[] = [];
  for (const p of parsed) {
    if (p.kind === "adMarker") markers.push(blocks.length - 1);
    else blocks.push(p);
  }
  let adsAfter: number[];
  if (markers.length > 0) {
    adsAfter = markers;
  } else {
    adsAfter = [];
    let paragraphs = 0;
    blocks.forEach((b, i) => {
      if (b.kind !== "paragraph") return;
      paragraphs += 1;
      if (paragraphs === 3 || (paragraphs > 3 && (paragraphs - 3) % 6 === 0)) adsAfter.push(i);
    });
  }
  // Never first, never last, never two in a row.
  adsAfter = [...new Set(adsAfter)].filter((i) => i >= 0 && i < blocks.length - 1);
  const text = blocks
    .map((b) =>
      b.kind === "paragraph" || b.kind === "heading"
        ? b.text
        : b.kind === "quote"
          ? b.attribution
            ? `${b.text} — ${b.attribution}`
            : b.text
          : b.kind === "list"
            ? b.items.join("\n")
            : b.kind === "image"
              ? (b.caption ?? "")
              : "",
    )
    .filter(Boolean)
    .join("\n\n");
  const wordCount = (text.match(/[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*/gu) ?? []).length;
  return { html, blocks, adsAfter, text, wordCount };
}

/** The blocks a client renders, ad slots included unless `withAds` is false. */
export function blocksWithAds(body: ParsedBody, articleKey: string, language: string, withAds: boolean): BodyBlock[] {
  if (!withAds) return body.blocks;
  const out: BodyBlock[] = [];
  const label = adLabel(language);
  let n = 0;
  body.blocks.forEach((b, i) => {
    out.push(b);
    if (body.adsAfter.includes(i)) {
      n += 1;
      out.push({ kind: "ad", slotId: `${articleKey}-ad-${n}`, position: out.length, label });
    }
  });
  return out;
}

/** Minutes at 230 words a minute, at least one. */
export const readingTimeMinutes = (words: number) => Math.max(1, Math.ceil(words / 230));
