/**
 * The hand-written baseline: what a team would write without a gateway. A plain node:http
 * server answering the mobile feed, a deep section page and the article page with hand-written,
 * parameterised SQL through a mysql2 pool (keyset pagination, the same visibility rule as the
 * gateway), in exactly the JSON the gateway returns for the bench queries.
 *
 * Data access and response shaping are written by hand here; the pure domain functions a team
 * would have anyway (body parsing and sanitising, share links, bylines, renditions) are the
 * project's own, so the comparison isolates what the gateway adds: GraphQL, resolvers, loaders.
 *
 * It also serves the HTTP floor: `PUT /floor/<name>` stores a response, any other request to
 * `/floor/<name>` gets it back, with no database at all.
 *
 *   node dist/bench/baseline-server.js --port 4321 --database-url mysql://root@127.0.0.1:3306/courant_bench
 *
 * Routes: GET /feed?section=<slug>&first=20[&after=<cursor>], GET /article?slug=<slug>&language=<code>,
 * GET /healthz. Every answer carries X-SQL-Statements with the statements it sent.
 */
import http from "node:http";
import { createPool, type Pool, type RowDataPacket } from "mysql2/promise";
import { loadConfig, type Config } from "../src/config";
import { blocksWithAds, parseBody, readingTimeMinutes, type BodyBlock } from "../src/article/article.body";
import { byline, shareLinks } from "../src/article/article.presenter";
import { articleUrl, sectionUrl } from "../src/site/site.urls";
import { renditionUrl } from "../src/graphql/image.rendition";
import { cutAtWord } from "../src/article/article.text";
import { visibleArticles } from "../src/article/article.visibility";
import { RELATED_PER_TAG, RELATED_TAGS } from "../src/article/article.service";
import { option } from "./processes";
import { sqlDate } from "../src/db/sql";
import { toGlobalId } from "../src/graphql/global-id";
import { loadSiteSettings, textFor, type SiteSettings } from "../src/site/site.settings";

export interface BaselineOptions {
  databaseUrl: string;
  /** Same default as the gateway's DB_POOL_SIZE. */
  poolSize?: number;
  /** The moment "published" is judged against; the gateway's clock in tests. */
  clock?: () => Date;
  host?: string;
  port?: number;
}

export interface BaselineServer {
  url: string;
  close(): Promise<void>;
}

/** Counts the statements one request sends. */
class Tally {
  statements = 0;
  constructor(private readonly pool: Pool) {}

  async rows<T = RowDataPacket>(text: string, params: unknown[]): Promise<T[]> {
    this.statements += 1;
    const [rows] = await this.pool.execute<RowDataPacket[]>(text, params as never[]);
    return rows as T[];
  }
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_FIRST = 100;
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** "YYYY-MM-DD HH:MM:SS.mmm" in UTC, as the gateway compares datetimes. */
const dbDate = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");

/** Keyset cursor: the same opaque format as the gateway's, so a client can switch. */
export const feedCursor = (publishedAt: Date, id: number) =>
  Buffer.from(JSON.stringify(["article", publishedAt.toISOString(), id]), "utf8").toString("base64url");

function decodeFeedCursor(cursor: string): [string, number] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && parsed.length === 3 && parsed[0] === "article" && typeof parsed[2] === "number") {
      const date = new Date(String(parsed[1]));
      if (!Number.isNaN(date.getTime())) return [dbDate(date), parsed[2]];
    }
  } catch {
    // falls through to the 400
  }
  throw new HttpError(400, "after: not a valid cursor");
}

const ARTICLE_COLUMNS =
  "a.id, a.title, a.standfirst, a.published_at, a.hero_image_url, a.hero_image_alt, a.hero_image_width," +
  " a.hero_image_height, s.name AS section_name, s.slug AS section_slug";

async function feed(db: Tally, now: Date, params: URLSearchParams): Promise<unknown> {
  const slug = params.get("section") ?? "";
  const first = Math.min(MAX_FIRST, Math.max(1, Number(params.get("first") ?? 20) || 20));
  const after = params.get("after");
  // The section and everything below it; UNION (not ALL) stops at a cycle in bad data.
  const sections = await db.rows<{ id: number }>(
    "WITH RECURSIVE sub (id) AS (SELECT id FROM sections WHERE slug = ?" +
      " UNION SELECT c.id FROM sections c JOIN sub ON c.parent_id = sub.id) SELECT id FROM sub",
    [slug],
  );
  if (sections.length === 0) return { data: { articles: { edges: [] } } };
  const visible = visibleArticles({ now, preview: false }, "b");
  const conds = [`b.section_id IN (${sections.map(() => "?").join(", ")})`, visible.text];
  const args: unknown[] = [...sections.map((s) => s.id), ...visible.params];
  if (after) {
    const [publishedAt, id] = decodeFeedCursor(after);
    conds.push("(b.published_at < ? OR (b.published_at = ? AND b.id < ?))");
    args.push(publishedAt, publishedAt, id);
  }
  // The page is picked from the (section, published_at, id) index alone; only its rows are read.
  const rows = await db.rows(
    `SELECT ${ARTICLE_COLUMNS} FROM (SELECT b.id FROM articles b WHERE ${conds.join(" AND ")}` +
      ` ORDER BY b.published_at DESC, b.id DESC LIMIT ${first}) k` +
      " JOIN articles a ON a.id = k.id JOIN sections s ON s.id = a.section_id" +
      " ORDER BY a.published_at DESC, a.id DESC",
    args,
  );
  const authors = new Map<number, Array<{ name: string }>>(rows.map((r) => [Number(r.id), []]));
  if (rows.length > 0) {
    const byArticle = await db.rows(
      "SELECT aa.article_id, au.name FROM article_authors aa JOIN authors au ON au.id = aa.author_id" +
        ` WHERE aa.article_id IN (${rows.map(() => "?").join(", ")}) ORDER BY aa.article_id, aa.position, au.id`,
      rows.map((r) => Number(r.id)),
    );
    for (const a of byArticle) authors.get(Number(a.article_id))?.push({ name: String(a.name) });
  }
  return {
    data: {
      articles: {
        edges: rows.map((r) => ({
          cursor: feedCursor(r.published_at as Date, Number(r.id)),
          node: {
            title: r.title,
            standfirst: r.standfirst,
            publishedAt: iso(r.published_at as Date),
            heroImage:
              r.hero_image_url == null
                ? null
                : {
                    url: r.hero_image_url,
                    alt: r.hero_image_alt,
                    width: r.hero_image_width,
                    height: r.hero_image_height,
                  },
            section: { name: r.section_name, slug: r.section_slug },
            authors: authors.get(Number(r.id)),
          },
        })),
      },
    },
  };
}

/** The fields of each block the bench's ArticlePage query selects. */
function block(b: BodyBlock): Record<string, unknown> {
  switch (b.kind) {
    case "paragraph":
      return { __typename: "ParagraphBlock", html: b.html };
    case "heading":
      return { __typename: "HeadingBlock", level: b.level, text: b.text };
    case "quote":
      return { __typename: "QuoteBlock", text: b.text, attribution: b.attribution };
    case "list":
      return { __typename: "ListBlock", ordered: b.ordered, items: b.items };
    case "image":
      return { __typename: "ImageBlock", image: { url: b.url, alt: b.alt, caption: b.caption } };
    case "embed":
      return { __typename: "EmbedBlock", provider: b.provider, url: b.url };
    case "ad":
      return { __typename: "AdSlotBlock", slotId: b.slotId, label: b.label };
  }
}

const RELATED = 5;

async function articlePage(
  db: Tally,
  now: Date,
  config: Config,
  site: SiteSettings,
  params: URLSearchParams,
): Promise<unknown> {
  const visible = (alias: string) => visibleArticles({ now, preview: false }, alias);
  const va = visible("a");
  const [row] = await db.rows(
    "SELECT a.id, a.story_key, a.slug, a.language, a.title, a.standfirst, a.body, a.published_at, a.section_id," +
      " a.hero_image_url, a.hero_image_alt, a.hero_image_caption, a.hero_image_credit, a.disclaimer," +
      ` s.name AS section_name, s.slug AS section_slug FROM articles a JOIN sections s ON s.id = a.section_id` +
      ` WHERE a.slug = ? AND a.language = ? AND ${va.text} LIMIT 1`,
    [params.get("slug") ?? "", params.get("language") ?? "", ...va.params],
  );
  if (!row) return { data: { article: null } };
  const id = Number(row.id);
  const language = String(row.language);
  const storyKey = String(row.story_key);
  const sectionId = Number(row.section_id);
  const vb = visible("b");
  const tagsRead = db.rows(
    "SELECT t.id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY t.name, t.id",
    [id],
  );
  const [authors, tags, versions, related] = await Promise.all([
    db.rows(
      "SELECT au.name, au.role, au.avatar_url FROM article_authors aa JOIN authors au ON au.id = aa.author_id" +
        " WHERE aa.article_id = ? ORDER BY aa.position, au.id",
      [id],
    ),
    tagsRead,
    db.rows(`SELECT a.id, a.language, a.title, a.slug FROM articles a WHERE a.story_key = ? AND ${va.text}`, [
      storyKey,
      ...va.params,
    ]),
    // Related: other stories in the same language, by shared tags, then same section, then
    // recency. Candidates are the newest RELATED_PER_TAG public articles in the article's language
    // of each of its first RELATED_TAGS tags (by id, from the tag's language feed index), the section's newest and the
    // newest overall, as the gateway takes them; like the gateway, it names the tags the
    // article's tag statement returned.
    tagsRead.then((tagRows) => {
      const tagIds = tagRows.map((t) => Number(t.id)).sort((x, y) => x - y);
      const inTags = tagIds.map(() => "?").join(", ");
      const perTag = tagIds
        .slice(0, RELATED_TAGS)
        .map(
          (_, k) =>
            `SELECT * FROM (SELECT l.article_id AS id FROM article_tags l WHERE l.tag_id = ? AND l.language = ?` +
            ` AND l.listed = 1 AND l.published_at <= ? ORDER BY l.published_at DESC, l.article_id DESC LIMIT ${RELATED_PER_TAG}) c${k}`,
        );
      // Ranked on narrow rows through the index by id, then the winners read whole: the
      // gateway's form, as a team tuning this page would write it.
      const shared = tagIds.length
        ? `(SELECT COUNT(*) FROM article_tags t2 WHERE t2.article_id = a.id AND t2.tag_id IN (${inTags}))`
        : "0";
      return db.rows(
        "SELECT a.id, a.title, a.slug, a.language, s.name AS section_name FROM" +
          ` (SELECT a.id, ${shared} AS shared, CASE WHEN a.section_id = ? THEN 1 ELSE 0 END AS same_section` +
          ` FROM (${[
            ...perTag,
            `SELECT id FROM (SELECT b.id FROM articles b WHERE b.section_id = ? AND b.language = ? AND b.story_key <> ? AND ${vb.text}` +
              `   ORDER BY b.published_at DESC, b.id DESC LIMIT ${2 * RELATED}) n1`,
            `SELECT id FROM (SELECT b.id FROM articles b WHERE b.language = ? AND b.story_key <> ? AND ${vb.text}` +
              `   ORDER BY b.published_at DESC, b.id DESC LIMIT ${3 * RELATED}) n2`,
          ].join(" UNION ")}) c` +
          " STRAIGHT_JOIN articles a FORCE INDEX (idx_articles_trending) ON a.id = c.id" +
          ` WHERE a.language = ? AND a.story_key <> ? AND ${va.text}` +
          ` ORDER BY shared DESC, same_section DESC, a.published_at DESC, a.id DESC LIMIT ${RELATED}) r` +
          " JOIN articles a ON a.id = r.id JOIN sections s ON s.id = a.section_id" +
          " ORDER BY r.shared DESC, r.same_section DESC, a.published_at DESC, a.id DESC",
        [
          ...tagIds,
          sectionId,
          ...tagIds.slice(0, RELATED_TAGS).flatMap((tag) => [tag, language, sqlDate(now)]),
          sectionId,
          language,
          storyKey,
          ...vb.params,
          language,
          storyKey,
          ...vb.params,
          language,
          storyKey,
          ...va.params,
        ],
      );
    }),
  ]);

  const base = site.url;
  const { renditionTemplate, renditionWidths } = config.images;
  const rendition = (url: string, width: number) => renditionUrl(renditionTemplate, renditionWidths, url, width);
  const parsed = parseBody(String(row.body));
  const url = articleUrl(base, { language, slug: String(row.slug) });
  const title = String(row.title);
  const standfirst = row.standfirst == null ? null : String(row.standfirst);
  const heroUrl = row.hero_image_url == null ? null : String(row.hero_image_url);
  const order = site.languages;
  return {
    data: {
      article: {
        title,
        standfirst,
        publishedAt: iso(row.published_at as Date),
        byline: byline(
          language,
          authors.map((a) => ({ name: String(a.name), role: a.role == null ? null : String(a.role) })),
        ),
        disclaimer: row.disclaimer ?? textFor(site, site.disclaimer, language),
        readingTimeMinutes: readingTimeMinutes(parsed.wordCount),
        section: { name: row.section_name, url: sectionUrl(base, String(row.section_slug)) },
        authors: authors.map((a) => ({
          name: a.name,
          role: a.role,
          avatar: a.avatar_url == null ? null : { rendition: rendition(String(a.avatar_url), 160) },
        })),
        tags: tags.map((t) => ({ name: t.name })),
        heroImage:
          heroUrl == null
            ? null
            : {
                url: heroUrl,
                alt: row.hero_image_alt,
                caption: row.hero_image_caption,
                credit: row.hero_image_credit,
                rendition: rendition(heroUrl, 1280),
              },
        body: { blocks: blocksWithAds(parsed, toGlobalId("Article", id), language, true).map(block) },
        translations: versions
          .filter((v) => Number(v.id) !== id)
          .sort((x, y) => order.indexOf(x.language) - order.indexOf(y.language) || Number(x.id) - Number(y.id))
          .map((v) => ({
            language: v.language,
            title: v.title,
            url: articleUrl(base, { language: String(v.language), slug: String(v.slug) }),
          })),
        related: related.map((r) => ({
          title: r.title,
          url: articleUrl(base, { language: String(r.language), slug: String(r.slug) }),
          section: { name: r.section_name },
        })),
        shareLinks: shareLinks(url, title),
        seo: {
          title,
          description: standfirst ? cutAtWord(standfirst, 160) : cutAtWord(parsed.text, 160),
          canonicalUrl: url,
          imageUrl: heroUrl ? rendition(heroUrl, 1200) : null,
        },
      },
    },
  };
}

/** Starts the baseline server; port 0 picks a free one. */
export async function startBaseline(options: BaselineOptions): Promise<BaselineServer> {
  // The gateway's own settings (site URL, languages, renditions), read the same way.
  const config = loadConfig({ DATABASE_URL: options.databaseUrl, LOG_LEVEL: "silent" });
  const site = loadSiteSettings(config);
  const clock = options.clock ?? (() => new Date());
  const pool = createPool({
    uri: options.databaseUrl,
    connectionLimit: options.poolSize ?? config.dbPoolSize,
    timezone: "Z",
    charset: "utf8mb4_unicode_ci",
    supportBigNumbers: true,
  });
  const floors = new Map<string, Buffer>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://baseline");
    const send = (status: number, body: string | Buffer, statements: number) => {
      res.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(body),
        "x-sql-statements": String(statements),
      });
      res.end(body);
    };

    if (url.pathname.startsWith("/floor/")) {
      const name = url.pathname.slice("/floor/".length);
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        if (req.method === "PUT") {
          floors.set(name, Buffer.concat(chunks));
          send(204, "", 0);
          return;
        }
        const body = floors.get(name);
        if (body) send(200, body, 0);
        else send(404, JSON.stringify({ error: `no floor response stored for ${name}` }), 0);
      });
      return;
    }

    const db = new Tally(pool);
    const now = clock();
    const handle = async (): Promise<unknown> => {
      if (req.method !== "GET") throw new HttpError(405, "GET only");
      if (url.pathname === "/feed") return feed(db, now, url.searchParams);
      if (url.pathname === "/article") return articlePage(db, now, config, site, url.searchParams);
      if (url.pathname === "/healthz") return { status: "ok" };
      throw new HttpError(404, "not found");
    };
    handle().then(
      (body) => send(200, JSON.stringify(body), db.statements),
      (err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500;
        if (status === 500) console.error(err);
        send(
          status,
          JSON.stringify({ error: err instanceof HttpError ? err.message : "internal error" }),
          db.statements,
        );
      },
    );
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pool.end();
    },
  };
}

if (require.main === module) {
  const databaseUrl = option("database-url");
  if (!databaseUrl) {
    console.error("baseline-server: --database-url is required");
    process.exit(2);
  }
  startBaseline({ databaseUrl, port: Number(option("port") ?? 0) }).then(
    (server) => {
      console.log(`baseline listening on ${server.url}`);
      const stop = () => void server.close().then(() => process.exit(0));
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
