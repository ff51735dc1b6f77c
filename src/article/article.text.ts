import { parseDocument } from "htmlparser2";
import { textContent } from "domutils";
import type { AnyNode, Element } from "domhandler";

const BLOCKS = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "blockquote",
  "figcaption",
  "pre",
  "td",
  "th",
  "dt",
  "dd",
]);
const SKIP = new Set(["script", "style", "iframe", "noscript", "template", "object", "embed"]);

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

/** The readable paragraphs of an HTML body, in order; markup, scripts and styles dropped. */
export function htmlParagraphs(html: string): string[] {
  const out: string[] = [];
  const walk = (nodes: AnyNode[]) => {
    for (const node of nodes) {
      if (node.type === "text") {
        const text = squash((node as unknown as { data: string }).data);
        if (text) out.push(text);
        continue;
      }
      if (!("name" in node)) continue;
      const el = node as Element;
      if (SKIP.has(el.name)) continue;
      if (BLOCKS.has(el.name) && !el.children.some((c) => "name" in c && BLOCKS.has((c as Element).name))) {
        const text = squash(textContent(el.children.filter((c) => !("name" in c && SKIP.has((c as Element).name)))));
        if (text) out.push(text);
      } else {
        walk(el.children);
      }
    }
  };
  walk(parseDocument(html).children);
  return out;
}

/** Cuts at the last word boundary that fits, marking the cut with an ellipsis within `max`. */
export function cutAtWord(text: string, max: number): string {
  const clean = squash(text);
  if (clean.length <= max) return clean;
  const room = clean.slice(0, Math.max(0, max - 1));
  const space = room.lastIndexOf(" ");
  const cut = (space > 0 ? room.slice(0, space) : room).replace(/[\s,;:.\-–—]+$/u, "");
  return `${cut}…`;
}

/**
 * The plain text of an HTML body as stored in `articles.body_text` for full-text search:
 * its paragraphs, separated by blank lines.
 */
export function articleBodyText(html: string): string {
  return htmlParagraphs(html).join("\n\n");
}
