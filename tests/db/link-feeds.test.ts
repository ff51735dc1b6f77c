import type { DataSource } from "typeorm";
import { LinkFeeds1796626800000 } from "../../migrations/1796626800000-link-feeds";
import { TagLinkLanguage1796886000000 } from "../../migrations/1796886000000-tag-link-language";
import { ArticleAuthorEntity, ArticleEntity, ArticleTagEntity } from "../../src/article/article.entity";
import { ArticleService, type ArticleKey, type ArticleRow, type ArticleWhere } from "../../src/article/article.service";
import { ArticleStore, isPublicRow, linkFeed, tagLinkFeed } from "../../src/article/article.store";
import { AuthorEntity } from "../../src/author/author.entity";
import { Db, sqlDate } from "../../src/db/sql";
import { inTransaction } from "../../src/db/transaction";
import { SectionEntity } from "../../src/section/section.entity";
import { TagEntity } from "../../src/tag/tag.entity";
import type { PageRequest } from "../../src/graphql/pagination";
import { DATABASES, migratedDatabase } from "../helpers/databases";

const NOW = new Date("2026-11-01T00:00:00.000Z");
const MIN = 60_000;

/**
 * Author and tag feeds read from link rows that carry their article's publish time and
 * visibility (migration LinkFeeds1796626800000), parent-section feeds merge each section's own
 * feed, and totalCount is exact up to a limit and estimated beyond. These check the answers
 * against the visibility rule applied to every stored row, whatever the plan.
 */
describe.each(DATABASES)("link-table feeds on %s", (kind) => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let parent: number;
  let child: number;
  let other: number;
  const authors: number[] = [];
  const tags: number[] = [];

  const service = (countExactLimit = 10_000) => new ArticleService(new Db(ds), { countExactLimit });
  const scope = (now = NOW) => ({ now, preview: false });

  /** Every id the visibility rule and `match` allow, newest first: what a feed must answer. */
  async function expected(
    match: (a: ArticleEntity, links: { authors: number[]; tags: number[] }) => boolean,
    now = NOW,
  ) {
    const rows = await ds.getRepository(ArticleEntity).find();
    const aa = await ds.getRepository(ArticleAuthorEntity).find();
    const at = await ds.getRepository(ArticleTagEntity).find();
    return rows
      .filter(
        (a) =>
          isPublicRow(a, now) &&
          match(a, {
            authors: aa.filter((l) => l.articleId === a.id).map((l) => l.authorId),
            tags: at.filter((l) => l.articleId === a.id).map((l) => l.tagId),
          }),
      )
      .sort((x, y) => y.publishedAt!.getTime() - x.publishedAt!.getTime() || y.id - x.id)
      .map((a) => a.id);
  }

  /** The whole feed, page by page (forward, pages of 3), and once more backward from the end. */
  async function walk(where: ArticleWhere, now = NOW): Promise<number[]> {
    const svc = service();
    const key = (r: ArticleRow): ArticleKey => [sqlDate(r.publishedAt!), r.id];
    const forward: number[] = [];
    let after: ArticleKey | undefined;
    for (;;) {
      const req: PageRequest<ArticleKey> = { size: 3, direction: "forward", after };
      const [page] = await svc.pages(scope(now), [where], "PUBLISHED_AT_DESC", req);
      forward.push(...page!.items.map((r) => r.id));
      if (!page!.hasNextPage) break;
      after = key(page!.items[page!.items.length - 1]!);
    }
    const backward: number[] = [];
    let before: ArticleKey | undefined;
    for (;;) {
      const req: PageRequest<ArticleKey> = { size: 3, direction: "backward", before };
      const [page] = await svc.pages(scope(now), [where], "PUBLISHED_AT_DESC", req);
      backward.unshift(...page!.items.map((r) => r.id));
      if (!page!.hasPreviousPage) break;
      before = key(page!.items[0]!);
    }
    expect(backward).toEqual(forward);
    return forward;
  }

  async function write<T>(fn: (store: ArticleStore) => Promise<T>): Promise<T> {
    return inTransaction(ds, (m) => fn(new ArticleStore(m, () => NOW)));
  }

  let n = 0;
  const article = (over: Partial<ArticleEntity>, links: { authorIds?: number[]; tagIds?: number[] } = {}) =>
    write((store) =>
      store.insert(
        {
          storyKey: `story-${++n}`,
          slug: `article-${n}`,
          language: "en",
          title: `Article ${n}`,
          body: `<p>Body ${n}</p>`,
          status: "published",
          publishedAt: new Date(NOW.getTime() - n * 7 * MIN),
          sectionId: child,
          ...over,
        },
        { authorIds: links.authorIds ?? [], tagIds: links.tagIds ?? [] },
      ),
    );

  beforeAll(async () => {
    ({ ds, drop } = await migratedDatabase(kind));
    const sections = ds.getRepository(SectionEntity);
    parent = (await sections.save({ slug: "parent", name: "Parent", parentId: null, position: 1 })).id;
    child = (await sections.save({ slug: "child", name: "Child", parentId: parent, position: 1 })).id;
    other = (await sections.save({ slug: "other", name: "Other", parentId: parent, position: 2 })).id;
    for (let i = 1; i <= 2; i++) {
      authors.push((await ds.getRepository(AuthorEntity).save({ slug: `author-${i}`, name: `Author ${i}` })).id);
      tags.push((await ds.getRepository(TagEntity).save({ slug: `tag-${i}`, name: `Tag ${i}` })).id);
    }
    // 24 articles over three sections, two authors and two tags, with every kind of invisible one.
    for (let i = 0; i < 24; i++) {
      const status = i % 8 === 3 ? "draft" : i % 8 === 5 ? "scheduled" : "published";
      await article(
        {
          sectionId: [child, other, parent][i % 3],
          status,
          publishedAt:
            status === "draft" ? null : new Date(NOW.getTime() + (status === "scheduled" ? 30 : -i * 7) * MIN),
          deletedAt: i % 8 === 6 ? NOW : null,
        },
        { authorIds: [authors[i % 2]!], tagIds: i % 3 === 0 ? [tags[0]!, tags[1]!] : [tags[i % 2]!] },
      );
    }
    // Two at the same moment: the id breaks the tie, in the link rows as in the articles.
    const same = new Date(NOW.getTime() - 40 * MIN);
    await article({ publishedAt: same }, { authorIds: [authors[0]!], tagIds: [tags[0]!] });
    await article({ publishedAt: same }, { authorIds: [authors[0]!], tagIds: [tags[0]!] });
  }, 120_000);

  afterAll(() => drop?.());

  it("author and tag feeds (by id and by slug) answer what the visibility rule allows, newest first, both ways", async () => {
    for (const author of authors) {
      const want = await expected((_, l) => l.authors.includes(author));
      expect(want.length).toBeGreaterThan(3);
      expect(await walk({ authorId: author })).toEqual(want);
      expect(await walk({ authorSlug: `author-${authors.indexOf(author) + 1}` })).toEqual(want);
    }
    for (const tag of tags) {
      const want = await expected((_, l) => l.tags.includes(tag));
      expect(await walk({ tagId: tag })).toEqual(want);
      expect(await walk({ tagSlug: `tag-${tags.indexOf(tag) + 1}` })).toEqual(want);
    }
    expect(await walk({ authorSlug: "no-such-author" })).toEqual([]);
  });

  it("combines a link feed with the other filters", async () => {
    const want = await expected(
      (a, l) => l.authors.includes(authors[0]!) && l.tags.includes(tags[1]!) && a.sectionId !== parent,
    );
    expect(await walk({ authorId: authors[0]!, tagId: tags[1]!, sectionIds: [child, other] })).toEqual(want);
  });

  it("a parent section's feed merges its sections' feeds in order", async () => {
    const all = await expected((a) => [parent, child, other].includes(a.sectionId));
    expect(await walk({ sectionIds: [parent, child, other] })).toEqual(all);
    expect(await walk({ sectionIds: [child, other], language: "en" })).toEqual(
      await expected((a) => [child, other].includes(a.sectionId)),
    );
  });

  it("a fallback-language feed still gives one version per story across sections and authors", async () => {
    // One story: the English version in one child section by one author, the Lithuanian in the
    // other child section by the other author.
    const at = new Date(NOW.getTime() - 3 * MIN);
    const en = await article(
      { storyKey: "split-story", language: "en", sectionId: child, publishedAt: at },
      { authorIds: [authors[0]!] },
    );
    const lt = await article(
      { storyKey: "split-story", language: "lt", sectionId: other, publishedAt: at },
      { authorIds: [authors[1]!] },
    );
    const sectionFeed = await walk({ sectionIds: [parent, child, other], languages: ["lt", "en"] });
    expect(sectionFeed).toContain(lt.id);
    expect(sectionFeed).not.toContain(en.id);
    // The English version's author: the Lithuanian one is not on this list, so the English one is
    // the story's best version here (the better version is looked for under the same filters).
    const authorFeed = await walk({ authorId: authors[0]!, languages: ["lt", "en"] });
    expect(authorFeed).toContain(en.id);
    expect(authorFeed).not.toContain(lt.id);
  });

  it("a scheduled article joins the author's feed at its moment, without any write", async () => {
    const later = new Date(NOW.getTime() + 31 * MIN);
    const want = await expected((_, l) => l.authors.includes(authors[1]!), later);
    expect(want).not.toEqual(await expected((_, l) => l.authors.includes(authors[1]!)));
    expect(await walk({ authorId: authors[1]! }, later)).toEqual(want);
  });

  it("stays right through the write core: unpublish, delete, reschedule, republish and new links", async () => {
    const a = await article({}, { authorIds: [authors[0]!], tagIds: [tags[0]!] });
    const inFeed = async () => (await walk({ authorId: authors[0]! })).includes(a.id);
    const inTagFeed = async () => (await walk({ tagId: tags[1]! })).includes(a.id);
    expect(await inFeed()).toBe(true);

    const patch = (values: Partial<ArticleEntity>) =>
      write(async (store) => store.patch((await store.lock(a.id))!, values));
    await patch({ status: "draft" });
    expect(await inFeed()).toBe(false);
    await patch({ status: "published" });
    expect(await inFeed()).toBe(true);
    await patch({ deletedAt: NOW });
    expect(await inFeed()).toBe(false);
    await patch({ deletedAt: null, status: "scheduled", publishedAt: new Date(NOW.getTime() + 5 * MIN) });
    expect(await inFeed()).toBe(false);
    // A new link made after the save takes the article's current values.
    await write((store) => store.linkTags(a.id, [tags[0]!, tags[1]!]));
    expect(await inTagFeed()).toBe(false);
    await patch({ status: "published", publishedAt: NOW });
    expect(await inFeed()).toBe(true);
    expect(await inTagFeed()).toBe(true);
    // Newest first: published now (a tie broken by the newer id), it leads its author's feed.
    expect((await walk({ authorId: authors[0]! }))[0]).toBe(a.id);

    // A change of language alone moves the tag rows' language, and nothing else.
    const tagLanguages = async () =>
      (await ds.getRepository(ArticleTagEntity).find({ where: { articleId: a.id } })).map((l) => l.language);
    expect(await tagLanguages()).toEqual(["en", "en"]);
    await patch({ language: "lt" });
    expect(await tagLanguages()).toEqual(["lt", "lt"]);
    expect(await inFeed()).toBe(true);
    await patch({ language: "en" });
    expect(await tagLanguages()).toEqual(["en", "en"]);

    // Every link row agrees with its article.
    const rows = new Map((await ds.getRepository(ArticleEntity).find()).map((r) => [r.id, r]));
    for (const link of await ds.getRepository(ArticleAuthorEntity).find()) {
      const want = linkFeed(rows.get(link.articleId)!);
      expect({ id: link.articleId, listed: !!link.listed, at: link.publishedAt?.getTime?.() ?? null }).toEqual({
        id: link.articleId,
        listed: want.listed,
        at: want.publishedAt?.getTime() ?? null,
      });
    }
    const tagLinks = await ds.getRepository(ArticleTagEntity).find();
    expect(tagLinks.length).toBeGreaterThan(20);
    for (const link of tagLinks) {
      const want = tagLinkFeed(rows.get(link.articleId)!);
      expect({
        id: link.articleId,
        listed: !!link.listed,
        at: link.publishedAt?.getTime?.() ?? null,
        language: link.language,
      }).toEqual({
        id: link.articleId,
        listed: want.listed,
        at: want.publishedAt?.getTime() ?? null,
        language: want.language,
      });
    }
  });

  it("totalCount is exact up to the limit, and beyond it an estimate from the publishing rate", async () => {
    const where = { sectionIds: [parent, child, other] };
    const exact = (await expected((a) => [parent, child, other].includes(a.sectionId))).length;
    expect(await service().counts(scope(), [where])).toEqual([{ count: exact, estimate: false }]);
    expect(await service(exact).counts(scope(), [where])).toEqual([{ count: exact, estimate: false }]);
    const [est, byAuthor] = await service(5).counts(scope(), [where, { authorId: authors[0]! }]);
    expect(est).toEqual({ count: expect.any(Number), estimate: true });
    expect(est!.count).toBeGreaterThan(5);
    expect(byAuthor!.estimate).toBe(true);
    expect(await service().counts(scope(), [{ authorId: authors[0]! }])).toEqual([
      { count: (await expected((_, l) => l.authors.includes(authors[0]!))).length, estimate: false },
    ]);

    // At an even publishing rate the estimate is the count.
    const even = (
      await ds.getRepository(SectionEntity).save({ slug: "even", name: "Even", parentId: null, position: 9 })
    ).id;
    for (let i = 0; i < 40; i++)
      await article({ sectionId: even, publishedAt: new Date(NOW.getTime() - (1000 + i * 10) * MIN) });
    expect(await service(10).counts(scope(), [{ sectionIds: [even] }])).toEqual([{ count: 40, estimate: true }]);
    expect(await service(40).counts(scope(), [{ sectionIds: [even] }])).toEqual([{ count: 40, estimate: false }]);
  });

  it("the migrations fill the new columns of existing link rows", async () => {
    const runner = ds.createQueryRunner();
    // A tagged article whose language changed while the column was not there (by SQL, as the
    // release before this migration would have left it).
    const moved = (await ds.getRepository(ArticleTagEntity).find({ order: { articleId: "ASC" } }))[0]!.articleId;
    try {
      await new TagLinkLanguage1796886000000().down(runner);
      expect(await runner.hasColumn("article_tags", "language")).toBe(false);
      await runner.query("UPDATE articles SET language = 'lt' WHERE id = ?", [moved]);
      await new LinkFeeds1796626800000().down(runner);
      await new LinkFeeds1796626800000().up(runner);
      await new TagLinkLanguage1796886000000().up(runner);
    } finally {
      await runner.release();
    }
    const rows = new Map((await ds.getRepository(ArticleEntity).find()).map((r) => [r.id, r]));
    const links = await ds.getRepository(ArticleAuthorEntity).find();
    expect(links.length).toBeGreaterThan(20);
    expect(links.filter((l) => !!l.listed).length).toBeGreaterThan(0);
    for (const link of [...links, ...(await ds.getRepository(ArticleTagEntity).find())]) {
      const want = linkFeed(rows.get(link.articleId)!);
      expect({ listed: !!link.listed, at: link.publishedAt?.getTime?.() ?? null }).toEqual({
        listed: want.listed,
        at: want.publishedAt?.getTime() ?? null,
      });
    }
    const tagLinks = await ds.getRepository(ArticleTagEntity).find();
    expect(tagLinks.filter((l) => l.language === "lt").map((l) => l.articleId)).toEqual(
      tagLinks.filter((l) => l.articleId === moved).map((l) => l.articleId),
    );
    expect(tagLinks.filter((l) => l.language === "lt").length).toBeGreaterThan(0);
    for (const link of tagLinks) expect(link.language).toBe(rows.get(link.articleId)!.language);
    for (const author of authors) {
      expect(await walk({ authorId: author })).toEqual(await expected((_, l) => l.authors.includes(author)));
    }
  });
});
