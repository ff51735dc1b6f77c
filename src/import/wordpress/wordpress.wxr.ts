import fs from "node:fs/promises";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { attachmentImage, galleryRefs, polylangGroup, wpDate } from "./wordpress.meta";
import {
  ImportError,
  type WordpressReader,
  type WpImage,
  type WpPost,
  type WpPostStub,
  type WpTerm,
  type WpUser,
} from "./wordpress.model";

type Node = Record<string, unknown>;

const LISTS = new Set(["item", "category", "wp:author", "wp:category", "wp:tag", "wp:term", "wp:postmeta"]);

/** Text of an element, whether the parser gave a string or an object with attributes. */
const text = (v: unknown): string => {
  if (v == null) return "";
  if (typeof v === "object") return text((v as Node)["#text"]);
  return String(v);
};
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);

/**
 * Reads a WordPress export (WXR 1.1/1.2, Tools → Export → All content) into memory. Polylang's
 * language and post_translations terms travel in the file as <wp:term>; WPML's do not.
 */
export async function readWxrFile(file: string): Promise<WordpressReader> {
  let xml: string;
  try {
    xml = await fs.readFile(file, "utf8");
  } catch (err) {
    throw new ImportError(`cannot read ${file}: ${(err as { code?: string }).code ?? String(err)}`);
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true)
    throw new ImportError(
      `${file} is not valid XML: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`,
    );
  let doc: Node;
  try {
    doc = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: "@_",
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      isArray: (name) => LISTS.has(name),
    }).parse(xml) as Node;
  } catch (err) {
    throw new ImportError(`${file} is not valid XML: ${err instanceof Error ? err.message : String(err)}`);
  }
  const channel = (doc.rss as Node | undefined)?.channel as Node | undefined;
  if (!channel || !("wp:wxr_version" in channel))
    throw new ImportError(`${file} is not a WordPress export (WXR) file: it has no <rss><channel> with wp:wxr_version`);
  return new WxrReader(channel);
}

class WxrReader implements WordpressReader {
  readonly source: string;
  readonly listsEverything = false;
  private readonly posts = new Map<string, Node>();
  private readonly attachments = new Map<string, WpImage>();
  private readonly children = new Map<string, string[]>();
  private readonly cats: WpTerm[];
  private readonly tagsBySlug = new Map<string, WpTerm>();
  private readonly catIdBySlug = new Map<string, string>();
  private readonly translationsBySlug = new Map<string, Map<string, string>>();
  private readonly usersByLogin = new Map<string, WpUser>();

  constructor(channel: Node) {
    const site = text(channel["wp:base_blog_url"]) || text(channel["wp:base_site_url"]) || text(channel.link);
    this.source = `wordpress:${site.replace(/\/+$/, "") || "export"}`;

    const rawCats = list(channel["wp:category"]).map((c) => ({
      id: text(c["wp:term_id"]),
      slug: text(c["wp:category_nicename"]),
      name: text(c["wp:cat_name"]),
      description: text(c["wp:category_description"]) || null,
      parentSlug: text(c["wp:category_parent"]),
    }));
    rawCats.forEach((c) => this.catIdBySlug.set(c.slug, c.id));
    this.cats = rawCats.map((c) => ({
      id: c.id,
      slug: c.slug,
      name: c.name,
      description: c.description,
      parentId: (c.parentSlug && this.catIdBySlug.get(c.parentSlug)) || null,
    }));
    for (const t of list(channel["wp:tag"])) {
      const slug = text(t["wp:tag_slug"]);
      this.tagsBySlug.set(slug, {
        id: text(t["wp:term_id"]),
        slug,
        name: text(t["wp:tag_name"]),
        description: null,
        parentId: null,
      });
    }
    for (const t of list(channel["wp:term"])) {
      if (text(t["wp:term_taxonomy"]) === "post_translations")
        this.translationsBySlug.set(text(t["wp:term_slug"]), polylangGroup(text(t["wp:term_description"])));
    }
    for (const a of list(channel["wp:author"])) {
      const login = text(a["wp:author_login"]);
      this.usersByLogin.set(login, {
        id: text(a["wp:author_id"]) || login,
        login,
        // The export has no user_nicename; WordPress derives it from the login the same way.
        nicename: login.toLowerCase(),
        displayName: text(a["wp:author_display_name"]) || login,
        email: text(a["wp:author_email"]) || null,
        bio: null,
      });
    }

    for (const item of list(channel.item)) {
      const type = text(item["wp:post_type"]);
      const id = text(item["wp:post_id"]);
      if (type === "attachment") {
        const meta = postmeta(item);
        this.attachments.set(
          id,
          attachmentImage({
            id,
            url: text(item["wp:attachment_url"]) || text(item.guid),
            excerpt: text(item["excerpt:encoded"]),
            alt: meta.get("_wp_attachment_image_alt") ?? null,
            metadata: meta.get("_wp_attachment_metadata") ?? null,
          }),
        );
        const parent = text(item["wp:post_parent"]);
        if (parent && parent !== "0") this.children.set(parent, [...(this.children.get(parent) ?? []), id]);
      } else if (type === "post" && id && !["auto-draft", "inherit"].includes(text(item["wp:status"]))) {
        this.posts.set(id, item);
      }
    }
  }

  async listPosts(since?: Date): Promise<WpPostStub[]> {
    return [...this.posts.values()]
      .map((item) => stub(item))
      .filter((p) => !since || !p.modifiedGmt || p.modifiedGmt >= since)
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  async loadPosts(ids: string[]): Promise<WpPost[]> {
    return ids.flatMap((id) => {
      const item = this.posts.get(id);
      return item ? [this.post(item)] : [];
    });
  }

  private post(item: Node): WpPost {
    const id = text(item["wp:post_id"]);
    const meta = postmeta(item);
    const cats = list(item.category).map((c) => ({
      domain: text(c["@_domain"]),
      slug: text(c["@_nicename"]),
      name: text(c),
    }));
    const content = text(item["content:encoded"]);
    const refs = galleryRefs(content);
    const attachments = new Map<string, WpImage>();
    for (const ref of [...refs.ids, ...(this.children.get(id) ?? [])]) {
      const img = this.attachments.get(ref);
      if (img) attachments.set(ref, img);
    }
    const thumbId = meta.get("_thumbnail_id");
    const group = cats.find((c) => c.domain === "post_translations");
    const translations = group ? this.translationsBySlug.get(group.slug) : undefined;
    return {
      ...stub(item),
      title: text(item.title),
      name: text(item["wp:post_name"]),
      content,
      excerpt: text(item["excerpt:encoded"]),
      dateGmt: wpDate(text(item["wp:post_date_gmt"])) ?? wpDate(text(item["wp:post_date"])),
      authorId: this.usersByLogin.get(text(item["dc:creator"]))?.id ?? null,
      categoryIds: cats.filter((c) => c.domain === "category").flatMap((c) => this.catIdBySlug.get(c.slug) ?? []),
      primaryCategoryId: meta.get("_yoast_wpseo_primary_category") || meta.get("rank_math_primary_category") || null,
      tags: cats
        .filter((c) => c.domain === "post_tag")
        .map(
          (c) =>
            this.tagsBySlug.get(c.slug) ?? {
              id: `slug:${c.slug}`.slice(0, 64),
              slug: c.slug,
              name: c.name,
              description: null,
              parentId: null,
            },
        ),
      thumbnail: (thumbId && this.attachments.get(thumbId)) || null,
      attachments,
      childAttachmentIds: refs.children ? (this.children.get(id) ?? []) : [],
      language: cats.find((c) => c.domain === "language")?.slug || null,
      translations: translations && translations.size > 1 ? translations : null,
      statusBeforeTrash: meta.get("_wp_trash_meta_status") ?? null,
    };
  }

  async categories(): Promise<WpTerm[]> {
    return this.cats;
  }

  async defaultCategoryId(): Promise<string | null> {
    return this.catIdBySlug.get("uncategorized") ?? null;
  }

  async users(ids: string[]): Promise<WpUser[]> {
    const wanted = new Set(ids);
    return [...this.usersByLogin.values()].filter((u) => wanted.has(u.id));
  }

  async close(): Promise<void> {}
}

function stub(item: Node): WpPostStub {
  return {
    id: text(item["wp:post_id"]),
    status: text(item["wp:status"]),
    // Exports from before WordPress 4.x carry no modified date; then every run re-reads the post.
    modifiedGmt: wpDate(text(item["wp:post_modified_gmt"])) ?? wpDate(text(item["wp:post_modified"])),
  };
}

function postmeta(item: Node): Map<string, string> {
  return new Map(list(item["wp:postmeta"]).map((m) => [text(m["wp:meta_key"]), text(m["wp:meta_value"])]));
}
