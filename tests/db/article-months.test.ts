import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { ArticleMonths1796713200000 } from "../../migrations/1796713200000-article-months";
import type { ArticleEntity } from "../../src/article/article.entity";
import { ArticleStore, recountArticleMonths } from "../../src/article/article.store";
import { inTransaction } from "../../src/db/transaction";
import { SectionEntity } from "../../src/section/section.entity";
import { DATABASES, migratedDatabase } from "../helpers/databases";

const NOW = new Date("2026-11-15T12:00:00.000Z");
const at = (iso: string) => new Date(iso);

/** The per-month counts the write core keeps, without the months it brought down to zero. */
async function kept(ds: DataSource): Promise<Record<string, number>> {
  const rows = (await ds.query("SELECT month, articles FROM article_months ORDER BY month")) as Array<{
    month: string;
    articles: unknown;
  }>;
  return Object.fromEntries(rows.filter((r) => Number(r.articles) !== 0).map((r) => [r.month, Number(r.articles)]));
}

/** The same counts, counted from the articles themselves. */
async function counted(ds: DataSource): Promise<Record<string, number>> {
  const rows = (await ds.query(
    "SELECT published_at FROM articles WHERE status IN ('published', 'scheduled') AND published_at IS NOT NULL AND deleted_at IS NULL",
  )) as Array<{ published_at: unknown }>;
  const out: Record<string, number> = {};
  for (const r of rows) {
    const d =
      r.published_at instanceof Date ? r.published_at : new Date(`${String(r.published_at).replace(" ", "T")}Z`);
    const month = d.toISOString().slice(0, 7);
    out[month] = (out[month] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort());
}

describe.each(DATABASES)("the per-month article counts on %s", (kind) => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let sectionId: number;

  const write = <T>(fn: (store: ArticleStore) => Promise<T>) =>
    inTransaction(ds, (m) => fn(new ArticleStore(m, () => NOW)));
  const create = (slug: string, values: Partial<ArticleEntity>) =>
    write((s) =>
      s.insert(
        { storyKey: randomUUID(), slug, language: "en", title: slug, body: "<p>x</p>", sectionId, ...values },
        { authorIds: [], tagIds: [] },
      ),
    );
  const change = (id: number, patch: Partial<ArticleEntity>) => write(async (s) => s.patch((await s.lock(id))!, patch));

  beforeAll(async () => {
    ({ ds, drop } = await migratedDatabase(kind));
    sectionId = (await ds.getRepository(SectionEntity).save({ slug: "months", name: "Months" })).id;
  }, 60_000);
  afterAll(() => drop?.());

  it("follow every write of the article write core: publish, schedule, move, unpublish, delete, restore", async () => {
    const steps: Array<[string, () => Promise<unknown>, Record<string, number>]> = [];
    let a = 0;
    let b = 0;
    let c = 0;
    steps.push(
      [
        "a published in October",
        async () => (a = (await create("a", { status: "published", publishedAt: at("2026-10-03T10:00:00Z") })).id),
        { "2026-10": 1 },
      ],
      ["b a draft", async () => (b = (await create("b", { status: "draft", publishedAt: null })).id), { "2026-10": 1 }],
      [
        "c scheduled for December",
        async () => (c = (await create("c", { status: "scheduled", publishedAt: at("2026-12-24T08:00:00Z") })).id),
        { "2026-10": 1, "2026-12": 1 },
      ],
      [
        "b published in September",
        () => change(b, { status: "published", publishedAt: at("2026-09-30T23:59:59.999Z") }),
        { "2026-09": 1, "2026-10": 1, "2026-12": 1 },
      ],
      [
        "a moved to September",
        () => change(a, { publishedAt: at("2026-09-01T00:00:00Z") }),
        { "2026-09": 2, "2026-12": 1 },
      ],
      ["a retitled (no move)", () => change(a, { title: "a again" }), { "2026-09": 2, "2026-12": 1 }],
      ["b unpublished", () => change(b, { status: "draft" }), { "2026-09": 1, "2026-12": 1 }],
      ["c archived", () => change(c, { status: "archived" }), { "2026-09": 1 }],
      ["a deleted", () => change(a, { deletedAt: NOW }), {}],
      ["a restored", () => change(a, { deletedAt: null }), { "2026-09": 1 }],
    );
    for (const [what, step, expected] of steps) {
      await step();
      expect({ what, months: await kept(ds) }).toEqual({ what, months: expected });
      expect({ what, months: await counted(ds) }).toEqual({ what, months: expected });
    }
  });

  it("stay exact with many writers publishing into the same month at once", async () => {
    const before = (await kept(ds))["2026-08"] ?? 0;
    const drafts = await Promise.all(
      Array.from({ length: 12 }, (_, i) => create(`w-${i}`, { status: "draft", publishedAt: null })),
    );
    await Promise.all(
      drafts.map((d, i) =>
        change(d.id, { status: "published", publishedAt: at(`2026-08-${String(10 + i).padStart(2, "0")}T09:00:00Z`) }),
      ),
    );
    expect((await kept(ds))["2026-08"]).toBe(before + 12);
    expect(await kept(ds)).toEqual(await counted(ds));
  });

  it("are made from the stored articles by the migration and by a recount", async () => {
    const expected = await counted(ds);
    const runner = ds.createQueryRunner();
    try {
      const migration = new ArticleMonths1796713200000();
      await migration.down(runner);
      await migration.up(runner);
    } finally {
      await runner.release();
    }
    expect(await kept(ds)).toEqual(expected);
    await ds.query("UPDATE article_months SET articles = articles + 5");
    await recountArticleMonths(ds);
    expect(await kept(ds)).toEqual(expected);
  });
});
