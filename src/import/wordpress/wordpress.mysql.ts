import { createConnection, type Connection, type RowDataPacket } from "mysql2/promise";
import { attachmentImage, galleryRefs, polylangGroup, wpDate } from "./wordpress.meta";
import {
  ImportError,
  type WordpressReader,
  type WpImage,
  type WpPost,
  type WpPostStub,
  type WpTerm,
  type WpUser,
  type WpRevision,
} from "./wordpress.model";

/** The core tables the import reads; WordPress 6 creates all of them. */
const REQUIRED = ["posts", "postmeta", "users", "usermeta", "terms", "term_taxonomy", "term_relationships", "options"];

const POST_META = [
  "_thumbnail_id",
  "_yoast_wpseo_primary_category",
  "rank_math_primary_category",
  "_wp_trash_meta_status",
];

type Row = RowDataPacket & Record<string, unknown>;
const str = (v: unknown): string => (v == null ? "" : String(v));

/** Reads a WordPress database directly: `mysql://user:pass@host:3306/db`. */
export async function openMysqlReader(from: string, prefix: string): Promise<WordpressReader> {
  let url: URL;
  try {
    url = new URL(from);
  } catch {
    throw new ImportError("--from must be a URL such as mysql://user:pass@host:3306/wordpress");
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!/^(mysql|mariadb):$/.test(url.protocol) || !database)
    throw new ImportError("--from must be a URL such as mysql://user:pass@host:3306/wordpress");
  if (!/^[A-Za-z0-9_]+$/.test(prefix)) throw new ImportError("--prefix may hold only letters, digits and _");

  let conn: Connection;
  try {
    conn = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database,
      charset: "utf8mb4_unicode_ci",
      connectTimeout: 10_000,
      // WordPress writes 0000-00-00 for "no date": read dates as text and decide ourselves.
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
    });
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const why =
      e.code === "ER_ACCESS_DENIED_ERROR"
        ? "access denied"
        : e.code === "ER_BAD_DB_ERROR"
          ? `no database named "${database}"`
          : (e.code ?? e.message ?? "unknown error");
    throw new ImportError(`cannot reach the WordPress database at ${url.host}: ${why}`);
  }
  try {
    const reader = new MysqlWordpressReader(conn, `wordpress:${url.host}/${database}/${prefix}`, prefix);
    await reader.check(database);
    return reader;
  } catch (err) {
    await conn.end().catch(() => undefined);
    throw err;
  }
}

class MysqlWordpressReader implements WordpressReader {
  readonly listsEverything = true;
  private polylang = false;
  private wpml = false;

  constructor(
    private readonly conn: Connection,
    readonly source: string,
    private readonly prefix: string,
  ) {}

  private t(name: string): string {
    return `\`${this.prefix}${name}\``;
  }

  private async rows(sql: string, params: unknown[] = []): Promise<Row[]> {
    try {
      const [rows] = await this.conn.query<Row[]>(sql, params);
      return rows;
    } catch (err) {
      const e = err as { code?: string; message?: string };
      throw new ImportError(`reading the WordPress database failed: ${e.code ?? e.message}`);
    }
  }

  /** A wrong prefix or a database that is not WordPress's stops here, with what would fix it. */
  async check(database: string): Promise<void> {
    const tables = new Set(
      (await this.rows("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()")).map(
        (r) => str(r.name),
      ),
    );
    if (!tables.has(`${this.prefix}posts`)) {
      const prefixes = [...tables]
        .filter((n) => n.endsWith("posts") && tables.has(`${n.slice(0, -5)}postmeta`))
        .map((n) => n.slice(0, -5));
      throw new ImportError(
        `no WordPress tables with prefix "${this.prefix}" in database "${database}"` +
          (prefixes.length ? ` (found prefix ${prefixes.map((p) => `"${p}"`).join(", ")}: pass --prefix)` : ""),
      );
    }
    const missing = REQUIRED.filter((n) => !tables.has(`${this.prefix}${n}`));
    if (missing.length)
      throw new ImportError(`the WordPress database lacks table ${missing.map((n) => this.prefix + n).join(", ")}`);
    this.wpml = tables.has(`${this.prefix}icl_translations`);
    const [lang] = await this.rows(`SELECT COUNT(*) AS n FROM ${this.t("term_taxonomy")} WHERE taxonomy = 'language'`);
    this.polylang = !this.wpml && Number(lang?.n ?? 0) > 0;
  }

  async listPosts(since?: Date): Promise<WpPostStub[]> {
    const rows = await this.rows(
      `SELECT ID, post_status, post_modified_gmt, post_modified FROM ${this.t("posts")}` +
        ` WHERE post_type = 'post' AND post_status NOT IN ('auto-draft', 'inherit')` +
        (since ? " AND (post_modified_gmt >= ? OR post_modified >= ?)" : "") +
        " ORDER BY ID",
      since ? [mysqlDate(since), mysqlDate(since)] : [],
    );
    return rows.map((r) => ({
      id: str(r.ID),
      status: str(r.post_status),
      modifiedGmt: wpDate(str(r.post_modified_gmt)) ?? wpDate(str(r.post_modified)),
    }));
  }

  async loadPosts(ids: string[]): Promise<WpPost[]> {
    if (!ids.length) return [];
    const posts = await this.rows(
      `SELECT ID, post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status,` +
        ` post_name, post_modified, post_modified_gmt FROM ${this.t("posts")} WHERE post_type = 'post' AND ID IN (?)`,
      [ids],
    );
    const meta = new Map<string, Map<string, string>>();
    for (const r of await this.rows(
      `SELECT post_id, meta_key, meta_value FROM ${this.t("postmeta")} WHERE post_id IN (?) AND meta_key IN (?)`,
      [ids, POST_META],
    )) {
      const m = meta.get(str(r.post_id)) ?? new Map<string, string>();
      m.set(str(r.meta_key), str(r.meta_value));
      meta.set(str(r.post_id), m);
    }

    const terms = await this.rows(
      `SELECT tr.object_id, tt.taxonomy, tt.description, tt.parent, t.term_id, t.name, t.slug` +
        ` FROM ${this.t("term_relationships")} tr` +
        ` JOIN ${this.t("term_taxonomy")} tt ON tt.term_taxonomy_id = tr.term_taxonomy_id` +
        ` JOIN ${this.t("terms")} t ON t.term_id = tt.term_id` +
        ` WHERE tr.object_id IN (?) AND tt.taxonomy IN ('category', 'post_tag', 'language', 'post_translations')` +
        ` ORDER BY tr.object_id, tr.term_order, t.term_id`,
      [ids],
    );
    const wpml = new Map<string, { language: string; group: Map<string, string> }>();
    if (this.wpml) {
      for (const r of await this.rows(
        `SELECT a.element_id AS post_id, a.language_code AS own, b.element_id AS other_id, b.language_code AS lang` +
          ` FROM ${this.t("icl_translations")} a JOIN ${this.t("icl_translations")} b` +
          ` ON b.trid = a.trid AND b.element_type = a.element_type` +
          ` WHERE a.element_type = 'post_post' AND a.element_id IN (?)`,
        [ids],
      )) {
        const entry = wpml.get(str(r.post_id)) ?? { language: str(r.own), group: new Map<string, string>() };
        if (r.other_id != null) entry.group.set(str(r.other_id), str(r.lang));
        wpml.set(str(r.post_id), entry);
      }
    }

    // Earlier versions (revisions; autosaves are drafts of a draft, left out), oldest first.
    const revisions = new Map<string, WpRevision[]>();
    for (const r of await this.rows(
      `SELECT post_parent, post_title, post_content, post_excerpt, post_modified_gmt, post_modified FROM ${this.t("posts")}` +
        ` WHERE post_type = 'revision' AND post_parent IN (?) AND post_name NOT LIKE '%autosave%'` +
        ` ORDER BY post_parent, post_modified_gmt, ID`,
      [ids],
    )) {
      const list = revisions.get(str(r.post_parent)) ?? [];
      list.push({
        title: str(r.post_title),
        content: str(r.post_content),
        excerpt: str(r.post_excerpt),
        modifiedGmt: wpDate(str(r.post_modified_gmt)) ?? wpDate(str(r.post_modified)),
      });
      revisions.set(str(r.post_parent), list);
    }

    // Images: featured images, [gallery ids], and a post's own attachments for a bare [gallery].
    const wanted = new Set<string>();
    const parents: string[] = [];
    for (const p of posts) {
      const thumb = meta.get(str(p.ID))?.get("_thumbnail_id");
      if (thumb && /^\d+$/.test(thumb)) wanted.add(thumb);
      const refs = galleryRefs(str(p.post_content));
      refs.ids.forEach((id) => wanted.add(id));
      if (refs.children) parents.push(str(p.ID));
    }
    const images = await this.attachments([...wanted], parents);

    return posts.map((p): WpPost => {
      const id = str(p.ID);
      const m = meta.get(id) ?? new Map<string, string>();
      const own = terms.filter((t) => str(t.object_id) === id);
      const language = this.polylang
        ? (own.find((t) => t.taxonomy === "language")?.slug as string | undefined)
        : wpml.get(id)?.language;
      const group = this.polylang
        ? polylangGroup(str(own.find((t) => t.taxonomy === "post_translations")?.description))
        : wpml.get(id)?.group;
      const thumbId = m.get("_thumbnail_id");
      return {
        id,
        status: str(p.post_status),
        modifiedGmt: wpDate(str(p.post_modified_gmt)) ?? wpDate(str(p.post_modified)),
        title: str(p.post_title),
        name: str(p.post_name),
        content: str(p.post_content),
        excerpt: str(p.post_excerpt),
        dateGmt: wpDate(str(p.post_date_gmt)) ?? wpDate(str(p.post_date)),
        authorId: str(p.post_author) && str(p.post_author) !== "0" ? str(p.post_author) : null,
        categoryIds: own.filter((t) => t.taxonomy === "category").map((t) => str(t.term_id)),
        primaryCategoryId: m.get("_yoast_wpseo_primary_category") || m.get("rank_math_primary_category") || null,
        tags: own
          .filter((t) => t.taxonomy === "post_tag")
          .map((t) => ({
            id: str(t.term_id),
            name: str(t.name),
            slug: str(t.slug),
            description: null,
            parentId: null,
          })),
        thumbnail: (thumbId && images.byId.get(thumbId)) || null,
        attachments: images.byId,
        childAttachmentIds: images.children.get(id) ?? [],
        language: language ? str(language) : null,
        translations: group && group.size > 1 ? group : null,
        statusBeforeTrash: m.get("_wp_trash_meta_status") ?? null,
        revisions: revisions.get(id) ?? [],
      };
    });
  }

  private async attachments(
    ids: string[],
    parents: string[],
  ): Promise<{ byId: Map<string, WpImage>; children: Map<string, string[]> }> {
    const byId = new Map<string, WpImage>();
    const children = new Map<string, string[]>();
    if (!ids.length && !parents.length) return { byId, children };
    const where = [
      ids.length ? "ID IN (?)" : null,
      parents.length ? "(post_parent IN (?) AND post_mime_type LIKE 'image/%')" : null,
    ]
      .filter(Boolean)
      .join(" OR ");
    const rows = await this.rows(
      `SELECT ID, guid, post_excerpt, post_parent FROM ${this.t("posts")} WHERE post_type = 'attachment' AND (${where})` +
        " ORDER BY menu_order, ID",
      [...(ids.length ? [ids] : []), ...(parents.length ? [parents] : [])],
    );
    if (!rows.length) return { byId, children };
    const meta = new Map<string, Record<string, string>>();
    for (const r of await this.rows(
      `SELECT post_id, meta_key, meta_value FROM ${this.t("postmeta")} WHERE post_id IN (?)` +
        " AND meta_key IN ('_wp_attachment_image_alt', '_wp_attachment_metadata')",
      [rows.map((r) => str(r.ID))],
    )) {
      meta.set(str(r.post_id), { ...meta.get(str(r.post_id)), [str(r.meta_key)]: str(r.meta_value) });
    }
    for (const r of rows) {
      const id = str(r.ID);
      const m = meta.get(id) ?? {};
      byId.set(
        id,
        attachmentImage({
          id,
          url: str(r.guid),
          excerpt: str(r.post_excerpt),
          alt: m._wp_attachment_image_alt ?? null,
          metadata: m._wp_attachment_metadata ?? null,
        }),
      );
      const parent = str(r.post_parent);
      if (parents.includes(parent)) children.set(parent, [...(children.get(parent) ?? []), id]);
    }
    return { byId, children };
  }

  async categories(): Promise<WpTerm[]> {
    const rows = await this.rows(
      `SELECT t.term_id, t.name, t.slug, tt.description, tt.parent FROM ${this.t("term_taxonomy")} tt` +
        ` JOIN ${this.t("terms")} t ON t.term_id = tt.term_id WHERE tt.taxonomy = 'category' ORDER BY t.term_id`,
    );
    return rows.map((r) => ({
      id: str(r.term_id),
      name: str(r.name),
      slug: str(r.slug),
      description: str(r.description).trim() || null,
      parentId: str(r.parent) && str(r.parent) !== "0" ? str(r.parent) : null,
    }));
  }

  async defaultCategoryId(): Promise<string | null> {
    const [row] = await this.rows(
      `SELECT option_value FROM ${this.t("options")} WHERE option_name = 'default_category'`,
    );
    return row ? str(row.option_value) || null : null;
  }

  async users(ids: string[]): Promise<WpUser[]> {
    if (!ids.length) return [];
    const rows = await this.rows(
      `SELECT ID, user_login, user_nicename, user_email, display_name FROM ${this.t("users")} WHERE ID IN (?)`,
      [ids],
    );
    const bios = new Map(
      (
        await this.rows(
          `SELECT user_id, meta_value FROM ${this.t("usermeta")} WHERE meta_key = 'description' AND user_id IN (?)`,
          [ids],
        )
      ).map((r) => [str(r.user_id), str(r.meta_value).trim() || null]),
    );
    return rows.map((r) => ({
      id: str(r.ID),
      login: str(r.user_login),
      nicename: str(r.user_nicename),
      displayName: str(r.display_name),
      email: str(r.user_email) || null,
      bio: bios.get(str(r.ID)) ?? null,
    }));
  }

  async close(): Promise<void> {
    await this.conn.end();
  }
}

const mysqlDate = (d: Date) => d.toISOString().slice(0, 19).replace("T", " ");
