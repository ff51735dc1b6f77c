import sanitizeHtml from "sanitize-html";

/** Embeds we let through, by iframe host, and the provider name clients see. */
export const EMBED_PROVIDERS: Record<string, string> = {
  "www.youtube.com": "youtube",
  "youtube.com": "youtube",
  "www.youtube-nocookie.com": "youtube",
  "player.vimeo.com": "vimeo",
  "w.soundcloud.com": "soundcloud",
  "open.spotify.com": "spotify",
  "www.dailymotion.com": "dailymotion",
};

/** The marker an editor (or an importer) puts where an advertisement belongs. */
export const AD_MARKER = "data-ad-slot";

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    "p",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "cite",
    "ul",
    "ol",
    "li",
    "a",
    "strong",
    "em",
    "br",
    "figure",
    "img",
    "figcaption",
    "iframe",
    "div",
  ],
  allowedAttributes: {
    a: ["href", "title"],
    img: ["src", "alt", "width", "height"],
    iframe: ["src", "width", "height", "title", "allowfullscreen"],
    div: [AD_MARKER],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: { img: ["http", "https"], iframe: ["https"] },
  allowProtocolRelative: false,
  allowedIframeHostnames: Object.keys(EMBED_PROVIDERS),
  // b and i mean the same to a reader as strong and em; h1/h5/h6 fold into the allowed range.
  transformTags: { b: "strong", i: "em", h1: "h2", h5: "h4", h6: "h4" },
  // Drop the contents of tags that are never text, rather than leaving their code behind as text.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "template", "title"],
  disallowedTagsMode: "discard",
  exclusiveFilter: (frame) => frame.tag === "iframe" && !frame.attribs.src,
};

/**
 * The one sanitiser (an allow-list), run when bodies are written and again on output, so
 * hostile HTML already stored never reaches a client through html, text or blocks.
 */
export function sanitizeBody(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
