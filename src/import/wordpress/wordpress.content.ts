import { autop } from "@wordpress/autop";
import { parse as parseBlocks } from "@wordpress/block-serialization-default-parser";
import { replace as replaceShortcodes, type Shortcode } from "@wordpress/shortcode";
import { sanitizeBody } from "../../article/article.sanitize";
import type { WpImage } from "./wordpress.model";

type ParsedBlock = ReturnType<typeof parseBlocks>[number];

/** What [gallery] may show: the site's attachments this post refers to. */
export interface ContentContext {
  attachments: Map<string, WpImage>;
  childAttachmentIds: string[];
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A player iframe on a provider the sanitiser allows, from the page URL an author pasted. */
export function embedSrc(pageUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(pageUrl.trim());
  } catch {
    return null;
  }
  const host = url.hostname.replace(/^(www\.|m\.)/, "");
  const path = url.pathname.split("/").filter(Boolean);
  const id = (s: string | undefined | null) => (s && /^[\w-]+$/.test(s) ? s : null);
  let v: string | null;
  switch (host) {
    case "youtube.com":
    case "youtube-nocookie.com":
      v =
        path[0] === "watch"
          ? id(url.searchParams.get("v"))
          : ["embed", "shorts", "live"].includes(path[0] ?? "")
            ? id(path[1])
            : null;
      return v && `https://www.youtube.com/embed/${v}`;
    case "youtu.be":
      v = id(path[0]);
      return v && `https://www.youtube.com/embed/${v}`;
    case "vimeo.com":
      v = path.find((p) => /^\d+$/.test(p)) ?? null;
      return v && `https://player.vimeo.com/video/${v}`;
    case "player.vimeo.com":
      v = path[0] === "video" ? id(path[1]) : null;
      return v && `https://player.vimeo.com/video/${v}`;
    case "dailymotion.com":
      v = path[0] === "video" || path[0] === "embed" ? id(path.at(-1)) : null;
      return v && `https://www.dailymotion.com/embed/video/${v}`;
    case "dai.ly":
      v = id(path[0]);
      return v && `https://www.dailymotion.com/embed/video/${v}`;
    case "open.spotify.com": {
      const [kind, sid] = path[0] === "embed" ? path.slice(1) : path;
      return kind && ["track", "album", "playlist", "episode", "show", "artist"].includes(kind) && id(sid)
        ? `https://open.spotify.com/embed/${kind}/${sid}`
        : null;
    }
    case "soundcloud.com":
      return path.length > 0 ? `https://w.soundcloud.com/player/?url=${encodeURIComponent(url.toString())}` : null;
    default:
      return null;
  }
}

/** An allow-listed provider becomes a player; anything else stays a plain link. */
function embed(pageUrl: string): string {
  const src = embedSrc(pageUrl);
  if (src) return `\n\n<figure><iframe src="${esc(src)}" allowfullscreen></iframe></figure>\n\n`;
  try {
    const url = new URL(pageUrl.trim());
    if (url.protocol === "https:" || url.protocol === "http:")
      return `\n\n<p><a href="${esc(url.toString())}">${esc(url.toString())}</a></p>\n\n`;
  } catch {
    // not a URL: nothing to show
  }
  return "";
}

function figure(img: WpImage): string {
  const size = (img.width ? ` width="${img.width}"` : "") + (img.height ? ` height="${img.height}"` : "");
  const caption = img.caption ? `<figcaption>${esc(img.caption)}</figcaption>` : "";
  return `<figure><img src="${esc(img.url)}" alt="${esc(img.alt ?? "")}"${size}>${caption}</figure>`;
}

/** [caption]<img ...> Text[/caption] (or caption="Text"): the image with its caption. */
function caption(sc: Shortcode): string {
  const content = sc.content ?? "";
  const img = /<img\b[^>]*>/i.exec(content)?.[0];
  if (!img) return content;
  const text = (
    sc.attrs.named.caption ?? content.replace(/<a\b[^>]*>\s*<img\b[^>]*>\s*<\/a>|<img\b[^>]*>/i, "")
  ).trim();
  return `\n\n<figure>${img}${text ? `<figcaption>${text}</figcaption>` : ""}</figure>\n\n`;
}

function gallery(sc: Shortcode, ctx: ContentContext): string {
  const listed = sc.attrs.named.ids ?? sc.attrs.named.include;
  const ids = listed ? listed.split(",").map((s) => s.trim()) : ctx.childAttachmentIds;
  const figures = ids.flatMap((id) => {
    const img = ctx.attachments.get(id);
    return img ? [figure(img)] : [];
  });
  return figures.length ? `\n\n${figures.join("\n")}\n\n` : "";
}

function shortcode(sc: Shortcode, ctx: ContentContext): string {
  switch (sc.tag) {
    case "caption":
    case "wp_caption":
      return caption(sc);
    case "embed":
      return embed(sc.content ?? sc.attrs.named.url ?? "");
    case "gallery":
      return gallery(sc, ctx);
    case "video":
    case "audio": {
      const url = sc.attrs.named.src ?? sc.content ?? "";
      return embedSrc(url) ? embed(url) : "";
    }
    default:
      // Unknown plugin shortcodes render nothing readable without the plugin: keep wrapped text,
      // drop the tag. A bare lowercase [word] with no attributes is left alone: it may be prose.
      if (sc.type === "closed") return sc.content ?? "";
      return Object.keys(sc.attrs.named).length ? "" : `[${sc.tag}]`;
  }
}

function convertShortcodes(html: string, ctx: ContentContext): string {
  return replaceShortcodes("[a-z][a-z0-9_-]*", html, (sc) => shortcode(sc, ctx));
}

/** Classic-editor habit: a video URL alone on its line is shown as the player (WordPress's autoembed). */
function autoEmbed(html: string): string {
  return html.replace(/^[ \t]*(https?:\/\/[^\s<>"]+)[ \t]*$/gm, (line, url: string) =>
    embedSrc(url) ? embed(url) : line,
  );
}

const EMBED_BLOCKS = /^(core\/embed|core-embed\/.+)$/;

/** Serialises blocks back to HTML without their comments; embeds become players. */
function renderBlocks(blocks: ParsedBlock[]): string {
  return blocks
    .map((block) => {
      if (block.blockName && EMBED_BLOCKS.test(block.blockName)) {
        const url =
          typeof block.attrs?.url === "string"
            ? block.attrs.url
            : (/https?:\/\/[^\s<"]+/.exec(block.innerHTML)?.[0] ?? "");
        return embed(url);
      }
      if (block.blockName === null) {
        // Classic content inside a block post: paragraphs may still be blank-line separated.
        const html = block.innerHTML;
        return /\S/.test(html) && !/<p[\s>]/i.test(html) ? autop(html) : html;
      }
      let inner = 0;
      return block.innerContent
        .map((part) => (part === null ? renderBlocks([block.innerBlocks[inner++]!]) : part))
        .join("");
    })
    .join("");
}

/**
 * post_content as WordPress would show it, then through Courant's one sanitiser: block
 * comments removed, common shortcodes turned into figures and players (or dropped),
 * blank-line-separated text turned into paragraphs (wpautop), scripts and styles gone.
 */
export function cleanContent(raw: string, ctx: ContentContext): string {
  const text = raw.replace(/\r\n?/g, "\n");
  let html: string;
  if (/<!--\s+wp:/.test(text)) {
    html = convertShortcodes(renderBlocks(parseBlocks(text)), ctx);
  } else {
    // WordPress's own order: paragraphs first, then shortcodes (the_content filters).
    html = convertShortcodes(autop(autoEmbed(text)), ctx);
  }
  // A shortcode alone in a paragraph left its figure inside <p>: figures are blocks of their own.
  html = html.replace(/<p>\s*(<figure>[\s\S]*?<\/figure>)\s*(?:<br\s*\/?>)?\s*<\/p>/g, "$1");
  return sanitizeBody(html)
    .replace(/(?:<br\s*\/?>\s*)+<\/p>/g, "</p>")
    .replace(/<p>\s*<\/p>/g, "")
    .replace(/\n\s*\n(?:\s*\n)+/g, "\n\n")
    .trim();
}
