import { In, type DataSource } from "typeorm";
import { ArticleEntity } from "../../src/article/article.entity";
import { ArticleStore } from "../../src/article/article.store";
import { inTransaction } from "../../src/db/transaction";
import { seedBench } from "../../src/seed/bench";
import { DATABASES, migratedDatabase } from "../helpers/databases";

const NOW = new Date("2026-11-01T00:00:00.000Z");

/** Every column but the ones a save is meant to move. */
const stored = (row: ArticleEntity) => {
  const { version: _v, updatedAt: _u, ...rest } = row;
  return rest;
};

describe.each(DATABASES)("the bench seeder's bulk rows on %s", (kind) => {
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ ds, drop } = await migratedDatabase(kind));
    await seedBench(ds, { articles: 80, seed: 5, now: NOW });
  }, 120_000);

  afterAll(() => drop?.());

  it("are rows the article write core accepts: re-saving each one through it changes nothing but version and updatedAt", async () => {
    const ids = (await ds.getRepository(ArticleEntity).find({ select: { id: true } })).map((r) => r.id);
    expect(ids.length).toBe(80);
    const before = await ds.getRepository(ArticleEntity).find({ where: { id: In(ids) } });
    const textsBefore = await ds.query("SELECT id, body_text FROM articles ORDER BY id");
    const links = new Map<number, { authorIds: number[]; tagIds: number[] }>();
    for (const id of ids) {
      await inTransaction(ds, async (m) => {
        const store = new ArticleStore(m, () => NOW);
        const row = (await store.lock(id))!;
        const current = await store.links(id);
        links.set(id, current);
        // The whole row as a patch: body, slug, URLs and every other column go through the core's rules.
        const { id: _id, version: _v, createdAt: _c, updatedAt: _u, ...values } = row;
        await store.patch(row, values);
        await store.linkAuthors(id, current.authorIds);
        await store.linkTags(id, current.tagIds);
      });
    }
    const after = await ds.getRepository(ArticleEntity).find({ where: { id: In(ids) } });
    const byId = new Map(after.map((r) => [r.id, r]));
    const changed = before.filter((b) => JSON.stringify(stored(b)) !== JSON.stringify(stored(byId.get(b.id)!)));
    expect(changed.map((c) => ({ id: c.id, slug: c.slug }))).toEqual([]);
    expect(after.every((a) => a.version === before.find((b) => b.id === a.id)!.version + 1)).toBe(true);
    for (const id of ids) {
      const now = await inTransaction(ds, (m) => new ArticleStore(m, () => NOW).links(id));
      expect(now.authorIds.sort()).toEqual(links.get(id)!.authorIds.sort());
      expect(now.tagIds.sort()).toEqual(links.get(id)!.tagIds.sort());
    }
    // body_text, derived on every save through TypeORM, equals what the seeder wrote by hand.
    expect(await ds.query("SELECT id, body_text FROM articles ORDER BY id")).toEqual(textsBefore);
    expect(textsBefore.filter((t: { body_text: string | null }) => !t.body_text)).toEqual([]);
  });
});
