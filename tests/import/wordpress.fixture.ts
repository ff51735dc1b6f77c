import fs from "node:fs";
import path from "node:path";
import { createConnection, type Connection } from "mysql2/promise";
import { createMysqlDatabase } from "../helpers/databases";

/**
 * A small WordPress newsroom in a scratch MariaDB database `courant_wp_<unique>`: WordPress 6's
 * own tables (tests/import/fixtures/wordpress-schema.sql) with the rows WordPress, Polylang and
 * WPML write. Tables prefixed `wp_` hold a Polylang site; `wpml_` a WPML one.
 */
export interface WordpressFixture {
  /** mysql://... of the scratch database, for --from. */
  url: string;
  database: string;
  query(sql: string, params?: unknown[]): Promise<unknown>;
  drop(): Promise<void>;
}

const SCHEMA = fs.readFileSync(path.join(__dirname, "fixtures", "wordpress-schema.sql"), "utf8");

export const UPLOADS = "https://news.example.com/wp-content/uploads/2024/03";

/** _wp_attachment_metadata exactly as WordPress stores it: PHP-serialized. */
const BRUSSELS_META =
  'a:6:{s:5:"width";i:1200;s:6:"height";i:800;s:4:"file";s:20:"2024/03/brussels.jpg";s:8:"filesize";i:245123;s:5:"sizes";a:2:{s:6:"medium";a:5:{s:4:"file";s:20:"brussels-300x200.jpg";s:5:"width";i:300;s:6:"height";i:200;s:9:"mime-type";s:10:"image/jpeg";s:8:"filesize";i:15000;}s:9:"thumbnail";a:5:{s:4:"file";s:20:"brussels-150x150.jpg";s:5:"width";i:150;s:6:"height";i:150;s:9:"mime-type";s:10:"image/jpeg";s:8:"filesize";i:6000;}}s:10:"image_meta";a:12:{s:8:"aperture";s:1:"0";s:6:"credit";s:0:"";s:6:"camera";s:0:"";s:7:"caption";s:0:"";s:17:"created_timestamp";s:1:"0";s:9:"copyright";s:0:"";s:12:"focal_length";s:1:"0";s:3:"iso";s:1:"0";s:13:"shutter_speed";s:1:"0";s:5:"title";s:0:"";s:11:"orientation";s:1:"0";s:8:"keywords";a:0:{}}}';
const MAP_META =
  'a:6:{s:5:"width";i:640;s:6:"height";i:480;s:4:"file";s:15:"2024/03/map.png";s:8:"filesize";i:50000;s:5:"sizes";a:0:{}s:10:"image_meta";a:1:{s:8:"keywords";a:0:{}}}';

export const GUTENBERG_NL = `<!-- wp:paragraph -->
<p>De Europese Commissie heeft <strong>€2 miljard</strong> vrijgemaakt. Ünïcode: Zürich, Łódź, 東京, 🚀.</p>
<!-- /wp:paragraph -->

<!-- wp:heading -->
<h2 class="wp-block-heading">Wat betekent dit?</h2>
<!-- /wp:heading -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube","responsive":true} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div></figure>
<!-- /wp:embed -->

<!-- wp:html -->
<script>alert('x')</script><p onclick="steal()">Tweede alinea.</p>
<!-- /wp:html -->

<!-- wp:image {"id":21,"sizeSlug":"large"} -->
<figure class="wp-block-image size-large"><img src="${UPLOADS}/map.png" alt="Kaart" class="wp-image-21"/><figcaption class="wp-element-caption">De kaart</figcaption></figure>
<!-- /wp:image -->

<!-- wp:latest-posts {"postsToShow":3} /-->`;

export const CLASSIC_EN = `The European Commission has set aside €2 billion. Accents: café, naïve.

A second paragraph
with a line break.

[caption id="attachment_20" align="aligncenter" width="1200"]<img class="size-full wp-image-20" src="${UPLOADS}/brussels.jpg" alt="Berlaymont building" width="1200" height="800" /> The Berlaymont, seat of the Commission[/caption]

[embed]https://vimeo.com/76979871[/embed]

[gallery ids="20,21"]

[contact-form-7 id="42" title="Contact"]

<script>document.cookie = "x"</script>`;

interface Post {
  ID: number;
  post_author?: number;
  post_date?: string;
  post_date_gmt?: string;
  post_content?: string;
  post_title?: string;
  post_excerpt?: string;
  post_status?: string;
  post_name?: string;
  post_modified?: string;
  post_modified_gmt?: string;
  post_parent?: number;
  guid?: string;
  menu_order?: number;
  post_type?: string;
  post_mime_type?: string;
}

class Writer {
  constructor(
    private readonly conn: Connection,
    private readonly prefix: string,
  ) {}

  async tables(): Promise<void> {
    for (const statement of SCHEMA.replace(/^--.*$/gm, "").split(";")) {
      if (statement.trim()) await this.conn.query(statement.replaceAll("{prefix}", this.prefix));
    }
  }

  async option(name: string, value: string): Promise<void> {
    await this.conn.query(`INSERT INTO ${this.prefix}options (option_name, option_value) VALUES (?, ?)`, [name, value]);
  }

  async user(id: number, login: string, nicename: string, display: string, email: string, bio?: string) {
    await this.conn.query(
      `INSERT INTO ${this.prefix}users (ID, user_login, user_pass, user_nicename, user_email, user_registered, display_name)` +
        " VALUES (?, ?, '$P$Bxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', ?, ?, '2020-01-01 00:00:00', ?)",
      [id, login, nicename, email, display],
    );
    for (const [key, value] of [
      ["nickname", login],
      ["description", bio ?? ""],
      [`${this.prefix}capabilities`, bio ? 'a:1:{s:6:"author";b:1;}' : 'a:1:{s:10:"subscriber";b:1;}'],
    ])
      await this.conn.query(`INSERT INTO ${this.prefix}usermeta (user_id, meta_key, meta_value) VALUES (?, ?, ?)`, [
        id,
        key,
        value,
      ]);
  }

  /** term_taxonomy_id = term_id, as on a site where no term was ever shared. */
  async term(id: number, taxonomy: string, name: string, slug: string, parent = 0, description = ""): Promise<void> {
    await this.conn.query(`INSERT INTO ${this.prefix}terms (term_id, name, slug) VALUES (?, ?, ?)`, [id, name, slug]);
    await this.conn.query(
      `INSERT INTO ${this.prefix}term_taxonomy (term_taxonomy_id, term_id, taxonomy, description, parent) VALUES (?, ?, ?, ?, ?)`,
      [id, id, taxonomy, description, parent],
    );
  }

  async post(p: Post, terms: number[] = [], meta: Record<string, string> = {}): Promise<void> {
    const row = {
      post_author: 0,
      post_date: p.post_date_gmt ?? "0000-00-00 00:00:00",
      post_date_gmt: "0000-00-00 00:00:00",
      post_content: "",
      post_title: "",
      post_excerpt: "",
      post_status: "publish",
      post_name: "",
      post_modified: p.post_modified_gmt ?? p.post_date_gmt ?? "2024-01-01 00:00:00",
      post_modified_gmt: p.post_date_gmt ?? "2024-01-01 00:00:00",
      post_parent: 0,
      guid: `https://news.example.com/?p=${p.ID}`,
      menu_order: 0,
      post_type: "post",
      post_mime_type: "",
      to_ping: "",
      pinged: "",
      post_content_filtered: "",
      ...p,
    };
    await this.conn.query(`INSERT INTO ${this.prefix}posts SET ?`, [row]);
    for (const t of terms)
      await this.conn.query(
        `INSERT INTO ${this.prefix}term_relationships (object_id, term_taxonomy_id) VALUES (?, ?)`,
        [p.ID, t],
      );
    for (const [key, value] of Object.entries(meta))
      await this.conn.query(`INSERT INTO ${this.prefix}postmeta (post_id, meta_key, meta_value) VALUES (?, ?, ?)`, [
        p.ID,
        key,
        value,
      ]);
  }
}

/** The Polylang newsroom (prefix wp_): see the ids referred to in tests/import/wordpress.test.ts. */
async function polylangSite(w: Writer): Promise<void> {
  await w.tables();
  await w.option("siteurl", "https://news.example.com");
  await w.option("home", "https://news.example.com");
  await w.option("blogname", "Example News");
  await w.option("default_category", "1");

  await w.user(1, "admin", "admin", "Site Admin", "admin@example.com");
  await w.user(2, "jdevries", "jan-de-vries", "Jan de Vries", "jan@example.com", "Correspondent in Brussel.");
  await w.user(3, "amelie", "amelie-dubois", "Amélie Dubois", "amelie@example.com", "Europe editor & <em>author</em>.");
  await w.user(4, "reader1", "reader1", "A Reader", "reader@example.com");

  await w.term(1, "category", "Uncategorized", "uncategorized");
  await w.term(2, "category", "World", "world", 0, "News from everywhere");
  await w.term(3, "category", "Europe", "europe", 2);
  await w.term(4, "category", "Benelux", "benelux", 3);
  await w.term(5, "post_tag", "Politics", "politics");
  await w.term(6, "post_tag", "Zürich", "z%c3%bcrich");
  await w.term(
    7,
    "language",
    "Nederlands",
    "nl",
    0,
    'a:4:{s:6:"locale";s:5:"nl_NL";s:3:"rtl";i:0;s:10:"term_group";i:0;s:9:"flag_code";s:2:"nl";}',
  );
  await w.term(
    8,
    "language",
    "English",
    "en",
    0,
    'a:4:{s:6:"locale";s:5:"en_GB";s:3:"rtl";i:0;s:10:"term_group";i:1;s:9:"flag_code";s:2:"gb";}',
  );
  await w.term(
    9,
    "language",
    "Français",
    "fr",
    0,
    'a:4:{s:6:"locale";s:5:"fr_FR";s:3:"rtl";i:0;s:10:"term_group";i:2;s:9:"flag_code";s:2:"fr";}',
  );
  await w.term(
    10,
    "post_translations",
    "pll_65e1a2b3c4d5e",
    "pll_65e1a2b3c4d5e",
    0,
    'a:2:{s:2:"nl";i:10;s:2:"en";i:11;}',
  );

  // Dutch and English versions of one story, linked by Polylang.
  await w.post(
    {
      ID: 10,
      post_author: 2,
      post_date_gmt: "2024-03-01 09:00:00",
      post_title: "Brussel zet €2 miljard opzij &amp; test Ünïcode 🚀",
      post_name: "brussel-zet-2-miljard-opzij",
      post_content: GUTENBERG_NL,
      post_excerpt: "Een samenvatting.",
    },
    [4, 3, 5, 6, 7, 10],
    { _thumbnail_id: "20", _edit_lock: "1709283600:2" },
  );
  await w.post(
    {
      ID: 11,
      post_author: 3,
      post_date_gmt: "2024-03-01 10:00:00",
      post_title: "Brussels sets aside €2 billion",
      post_name: "brussels-sets-aside-2-billion",
      post_content: CLASSIC_EN,
    },
    [3, 5, 8, 10],
    { _thumbnail_id: "20" },
  );
  // Not public: a draft (no GMT date, no slug yet), a private post, a scheduled one.
  await w.post(
    {
      ID: 12,
      post_author: 3,
      post_status: "draft",
      post_title: "Draft in progress",
      post_date: "2024-03-02 12:00:00",
      post_modified_gmt: "2024-03-02 12:00:00",
    },
    [2, 8],
  );
  await w.post(
    {
      ID: 17,
      post_author: 3,
      post_status: "private",
      post_title: "Private note",
      post_name: "private-note",
      post_date_gmt: "2024-03-02 13:00:00",
    },
    [2, 8],
  );
  await w.post(
    {
      ID: 13,
      post_author: 3,
      post_status: "future",
      post_title: "Scheduled story",
      post_name: "scheduled-story",
      post_date_gmt: "2026-07-01 08:00:00",
      post_modified_gmt: "2024-03-03 08:00:00",
      post_content: "Comes out in July.",
    },
    [2, 8],
  );
  // In a language the Courant site does not publish.
  await w.post(
    {
      ID: 14,
      post_author: 3,
      post_title: "Bruxelles met de côté 2 milliards",
      post_name: "bruxelles",
      post_date_gmt: "2024-03-01 11:00:00",
      post_content: "Bonjour.",
    },
    [2, 9],
  );
  // Broken: published, but its dates are WordPress's zero date.
  await w.post(
    {
      ID: 15,
      post_author: 3,
      post_title: "Broken post",
      post_name: "broken-post",
      post_date: "0000-00-00 00:00:00",
      post_modified_gmt: "2024-03-04 00:00:00",
      post_content: "Lost its date.",
    },
    [2, 8],
  );
  // In the trash before it was ever imported.
  await w.post(
    {
      ID: 16,
      post_author: 3,
      post_status: "trash",
      post_title: "Old rubbish",
      post_name: "old-rubbish__trashed",
      post_date_gmt: "2024-02-01 00:00:00",
    },
    [2, 8],
    { _wp_trash_meta_status: "publish", _wp_trash_meta_time: "1709000000" },
  );

  // What is not a post: a revision, a page, and the featured image's attachments.
  await w.post({
    ID: 18,
    post_type: "revision",
    post_status: "inherit",
    post_parent: 10,
    post_title: "Brussel (revision)",
    post_name: "10-revision-v1",
    post_date_gmt: "2024-03-01 09:00:00",
  });
  await w.post({
    ID: 19,
    post_type: "page",
    post_title: "About us",
    post_name: "about",
    post_date_gmt: "2024-01-01 00:00:00",
  });
  await w.post(
    {
      ID: 20,
      post_type: "attachment",
      post_status: "inherit",
      post_parent: 11,
      post_title: "brussels",
      post_name: "brussels",
      post_excerpt: "The Berlaymont, seat of the Commission",
      post_mime_type: "image/jpeg",
      guid: `${UPLOADS}/brussels.jpg`,
      post_date_gmt: "2024-03-01 08:00:00",
    },
    [],
    {
      _wp_attached_file: "2024/03/brussels.jpg",
      _wp_attachment_metadata: BRUSSELS_META,
      _wp_attachment_image_alt: "Berlaymont building",
    },
  );
  await w.post(
    {
      ID: 21,
      post_type: "attachment",
      post_status: "inherit",
      post_parent: 10,
      post_title: "map",
      post_name: "map",
      post_excerpt: "De kaart",
      post_mime_type: "image/png",
      guid: `${UPLOADS}/map.png`,
      post_date_gmt: "2024-03-01 08:00:00",
    },
    [],
    { _wp_attached_file: "2024/03/map.png", _wp_attachment_metadata: MAP_META, _wp_attachment_image_alt: "Kaart" },
  );
}

/** The WPML newsroom (prefix wpml_): an English and a German post in one translation group. */
async function wpmlSite(w: Writer, conn: Connection): Promise<void> {
  await w.tables();
  await w.option("default_category", "1");
  await w.user(1, "editor", "wpml-editor", "WPML Editor", "editor@example.com", "Writes in two languages.");
  await w.term(1, "category", "Uncategorized", "uncategorized");
  await w.term(2, "category", "Economy", "economy");
  await w.post(
    {
      ID: 30,
      post_author: 1,
      post_title: "Inflation falls",
      post_name: "inflation-falls",
      post_date_gmt: "2024-04-01 08:00:00",
      post_content: "Prices rose less.",
    },
    [2],
  );
  await w.post(
    {
      ID: 31,
      post_author: 1,
      post_title: "Inflation sinkt",
      post_name: "inflation-sinkt",
      post_date_gmt: "2024-04-01 09:00:00",
      post_content: "Die Preise stiegen weniger.",
    },
    [2],
  );
  // WPML's own table (not part of WordPress), as WPML 4 creates it.
  await conn.query(`CREATE TABLE wpml_icl_translations (
    translation_id bigint(20) NOT NULL AUTO_INCREMENT,
    element_type varchar(60) NOT NULL DEFAULT 'post_post',
    element_id bigint(20) DEFAULT NULL,
    trid bigint(20) NOT NULL,
    language_code varchar(7) NOT NULL,
    source_language_code varchar(7) DEFAULT NULL,
    PRIMARY KEY (translation_id),
    UNIQUE KEY trid_lang (trid, language_code),
    UNIQUE KEY el_type_id (element_type, element_id),
    KEY trid (trid),
    KEY id_type_language (element_id, element_type, language_code)
  ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci`);
  await conn.query(
    "INSERT INTO wpml_icl_translations (element_type, element_id, trid, language_code, source_language_code) VALUES" +
      " ('post_post', 30, 7, 'en', NULL), ('post_post', 31, 7, 'de', 'en'), ('tax_category', 2, 8, 'en', NULL)",
  );
}

let counter = 0;

export async function createWordpressFixture(serverUrl: string): Promise<WordpressFixture> {
  const database = `courant_wp_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const { url, server } = await createMysqlDatabase(serverUrl, database, "utf8mb4_unicode_520_ci");
  const conn = await createConnection({ ...server, database, charset: "utf8mb4_unicode_ci" });
  // What WordPress itself sets on connect: zero dates allowed.
  await conn.query("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
  await polylangSite(new Writer(conn, "wp_"));
  await wpmlSite(new Writer(conn, "wpml_"), conn);
  return {
    url,
    database,
    query: async (sql, params) => (await conn.query(sql, params))[0],
    drop: async () => {
      await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await conn.end();
    },
  };
}
