import type { DataSource } from "typeorm";
import { ArticleEntity, ArticleTagEntity } from "../../src/article/article.entity";
import { tagLinkFeed } from "../../src/article/article.store";
import { checkFreeDisk, estimatedLoadBytes, MULTILINGUAL_LANGUAGES, seedBench } from "../../src/seed/bench";
import { DATABASES, migratedDatabase } from "../helpers/databases";

const NOW = new Date("2026-11-01T00:00:00.000Z");

describe.each(DATABASES)("the bench seeder's multilingual archive on %s", (kind) => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, drop } = await migratedDatabase(kind));
    await seedBench(ds, { articles: 400, seed: 3, now: NOW, languages: 24, bodyWords: 40, diskMarginBytes: 0 });
  }, 120_000);

  afterAll(() => drop?.());

  it("tells stories in up to 24 languages, with gaps, translations as short as asked", async () => {
    const rows = await ds.getRepository(ArticleEntity).find({ order: { id: "ASC" } });
    expect(rows).toHaveLength(400);
    const stories = new Map<string, ArticleEntity[]>();
    for (const r of rows) stories.set(r.storyKey, [...(stories.get(r.storyKey) ?? []), r]);
    const sizes = [...stories.values()].map((v) => v.length);
    expect(new Set(rows.map((r) => r.language))).toEqual(new Set(MULTILINGUAL_LANGUAGES));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(24);
    // Not every story in every language: about 21 versions a story, and Lithuanian has gaps.
    const whole = [...stories.values()].slice(0, -1);
    expect(whole.some((v) => v.length < 24)).toBe(true);
    expect(whole.some((v) => !v.some((r) => r.language === "lt"))).toBe(true);
    const mean = whole.reduce((n, v) => n + v.length, 0) / whole.length;
    expect(mean).toBeGreaterThan(17);
    expect(mean).toBeLessThan(23);
    const words = (r: ArticleEntity) => (r.bodyText ?? "").split(/\s+/).filter(Boolean).length;
    for (const versions of whole) {
      expect(words(versions[0]!)).toBeGreaterThan(500);
      for (const t of versions.slice(1)) expect(Math.abs(words(t) - 40)).toBeLessThanOrEqual(15);
    }
  });

  it("writes link rows with their article's feed values", async () => {
    const rows = new Map((await ds.getRepository(ArticleEntity).find()).map((r) => [r.id, r]));
    const links = await ds.getRepository(ArticleTagEntity).find();
    expect(links.length).toBeGreaterThan(100);
    for (const l of links) {
      const want = tagLinkFeed(rows.get(l.articleId)!);
      expect([!!l.listed, l.publishedAt?.getTime() ?? null, l.language]).toEqual([
        want.listed,
        want.publishedAt?.getTime() ?? null,
        want.language,
      ]);
    }
  });

  it("refuses a load that would leave less than the margin free, saying why", async () => {
    const needed = estimatedLoadBytes({ articles: 2_400_000, languages: 24, bodyWords: 120 });
    expect(needed).toBeGreaterThan(5e9);
    expect(needed).toBeLessThan(25e9);
    await expect(checkFreeDisk(ds, needed, 1e15)).rejects.toThrow(/not enough free disk for this load: it needs about/);
    await expect(seedBench(ds, { articles: 500, seed: 4, languages: 24, diskMarginBytes: 1e15 })).rejects.toThrow(
      /at least 1000000\.0 GB must stay free/,
    );
    // Refused before anything was deleted or written.
    expect(await ds.getRepository(ArticleEntity).count()).toBe(400);
  });
});
