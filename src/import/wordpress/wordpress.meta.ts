import { unserialize } from "php-serialize";
import { next as nextShortcode } from "@wordpress/shortcode";
import type { WpImage } from "./wordpress.model";

/** PHP-serialized option and meta values; null when the text is not valid serialized data. */
export function phpValue(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return unserialize(text, {}, { strict: false });
  } catch {
    return null;
  }
}

const positive = (v: unknown): number | null => {
  const n = Number(v);
  return Number.isSafeInteger(n) && n > 0 && n <= 20000 ? n : null;
};

const nonEmpty = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** An attachment as an image: URL from guid, size from the serialized _wp_attachment_metadata. */
export function attachmentImage(a: {
  id: string;
  url: string;
  excerpt: string | null;
  alt: string | null;
  metadata: string | null;
}): WpImage {
  const meta = phpValue(a.metadata) as { width?: unknown; height?: unknown } | null;
  return {
    id: a.id,
    url: a.url.trim(),
    alt: nonEmpty(a.alt),
    caption: nonEmpty(a.excerpt),
    width: meta && typeof meta === "object" ? positive(meta.width) : null,
    height: meta && typeof meta === "object" ? positive(meta.height) : null,
  };
}

/** Polylang's post_translations description, e.g. a:2:{s:2:"nl";i:12;s:2:"en";i:13;}: post id -> language. */
export function polylangGroup(description: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  const map = phpValue(description);
  if (map && typeof map === "object") {
    for (const [lang, id] of Object.entries(map as Record<string, unknown>)) {
      if ((typeof id === "number" || typeof id === "string") && String(id) !== "0") out.set(String(id), lang);
    }
  }
  return out;
}

/** "2024-05-01 10:00:00" as UTC; WordPress's zero date and anything unreadable as null. */
export function wpDate(text: string | null | undefined): Date | null {
  if (!text || text.startsWith("0000-00-00")) return null;
  const d = new Date(`${text.trim().replace(" ", "T")}Z`);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Attachment ids named by [gallery ids="..."] in a post, and whether a gallery shows the post's own. */
export function galleryRefs(content: string): { ids: string[]; children: boolean } {
  const ids: string[] = [];
  let children = false;
  let index = 0;
  for (let m = nextShortcode("gallery", content, index); m; m = nextShortcode("gallery", content, index)) {
    index = m.index + m.content.length;
    const listed = m.shortcode.attrs.named.ids ?? m.shortcode.attrs.named.include;
    if (listed)
      ids.push(
        ...listed
          .split(",")
          .map((s) => s.trim())
          .filter((s) => /^\d+$/.test(s)),
      );
    else children = true;
  }
  return { ids, children };
}
