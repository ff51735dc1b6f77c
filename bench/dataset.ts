/**
 * The bench data set in MySQL/MariaDB: created, migrated and seeded when missing (seedBench
 * skips when the rows are there), and the fixtures the scenarios use, picked deterministically.
 */
import { createConnection } from "mysql2/promise";
import { loadConfig } from "../src/config";
import { migrate, openDataSource } from "../src/db/data-source";
import { benchSearchQueries, seedBench } from "../src/seed/bench";
import { createLogger } from "../src/log";

export const DEFAULT_DATABASE_URL = "mysql://root@127.0.0.1:3306/courant_bench";

export interface Fixtures {
  /** A leaf bench section with more than enough articles for page 51. */
  section: string;
  /** A bench article whose story is published in at least three languages. */
  article: { slug: string; language: string };
  /** Two-word searches from the bench vocabulary. */
  searches: string[];
}

/** The feed has to reach page 51 of this size. */
export const PAGE_SIZE = 20;
export const DEEP_PAGE = 50;

function databaseName(url: string): string {
  const name = new URL(url).pathname.slice(1);
  if (!/^[A-Za-z0-9_$-]+$/.test(name)) throw new Error(`DATABASE_URL: no usable database name in ${url}`);
  return name;
}

/** Creates the database (utf8mb4) if it is missing, applies migrations and seeds the bench rows. */
export async function ensureDataset(
  databaseUrl: string,
  opts: { articles: number; seed: number; log: (line: string) => void },
): Promise<{ articles: number; seeded: boolean }> {
  if (!/^(mysql|mariadb):\/\//.test(databaseUrl)) {
    throw new Error(`the benchmark runs on MySQL/MariaDB; DATABASE_URL is ${databaseUrl}`);
  }
  const server = new URL(databaseUrl);
  server.pathname = "/";
  const conn = await createConnection({ uri: server.toString(), connectTimeout: 5000 });
  try {
    await conn.query(
      `CREATE DATABASE IF NOT EXISTS \`${databaseName(databaseUrl)}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await conn.end();
  }
  const config = loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" });
  const ds = await openDataSource(config, createLogger({ logLevel: "silent" }), { uncapped: true });
  try {
    const ran = await migrate(ds);
    if (ran.length > 0) opts.log(`applied migrations: ${ran.join(", ")}`);
    let lastShown = 0;
    const result = await seedBench(ds, {
      articles: opts.articles,
      seed: opts.seed,
      onProgress: (done, total) => {
        if (done - lastShown >= 10_000 || done === total) {
          lastShown = done;
          opts.log(`seeding bench articles: ${done}/${total}`);
        }
      },
    });
    return { articles: result.articles, seeded: !result.skipped };
  } finally {
    await ds.destroy();
  }
}

/** `count` distinct two-word queries from the words the bench articles are made of. */
export function searchQueries(seed: number, count: number): string[] {
  return benchSearchQueries(seed, count);
}

const VISIBLE = (a: string) =>
  `${a}.status IN ('published', 'scheduled') AND ${a}.published_at IS NOT NULL` +
  ` AND ${a}.published_at <= UTC_TIMESTAMP(3) AND ${a}.deleted_at IS NULL`;

/**
 * Fixtures chosen by stable rules (lowest ids), so runs on the same data compare: the first
 * leaf bench section that can fill page 51, and the first bench article with a hero image,
 * tags and at least two other published language versions.
 */
export async function pickFixtures(databaseUrl: string, seed: number): Promise<Fixtures> {
  const conn = await createConnection({ uri: databaseUrl });
  try {
    const [sections] = await conn.query(
      `SELECT s.slug FROM sections s WHERE s.slug LIKE 'bench-section-%'` +
        ` AND NOT EXISTS (SELECT 1 FROM sections c WHERE c.parent_id = s.id)` +
        ` AND (SELECT COUNT(*) FROM articles a WHERE a.section_id = s.id AND ${VISIBLE("a")}) > ?` +
        ` ORDER BY s.id LIMIT 1`,
      [(DEEP_PAGE + 1) * PAGE_SIZE],
    );
    const section = (sections as Array<{ slug: string }>)[0]?.slug;
    if (!section) throw new Error(`no bench leaf section has ${(DEEP_PAGE + 1) * PAGE_SIZE} articles: seed more`);
    const [articles] = await conn.query(
      `SELECT a.slug, a.language FROM articles a` +
        ` JOIN (SELECT v.story_key FROM articles v WHERE ${VISIBLE("v")} GROUP BY v.story_key HAVING COUNT(*) >= 3) s` +
        `   ON s.story_key = a.story_key` +
        ` JOIN sections sec ON sec.id = a.section_id AND sec.slug LIKE 'bench-section-%'` +
        ` WHERE ${VISIBLE("a")} AND a.hero_image_url IS NOT NULL` +
        ` AND EXISTS (SELECT 1 FROM article_tags t WHERE t.article_id = a.id)` +
        ` ORDER BY a.id LIMIT 1`,
    );
    const article = (articles as Array<{ slug: string; language: string }>)[0];
    if (!article) throw new Error("no bench article with translations found: seed more");
    return { section, article: { slug: article.slug, language: article.language }, searches: searchQueries(seed, 20) };
  } finally {
    await conn.end();
  }
}
