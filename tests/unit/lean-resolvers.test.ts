import "reflect-metadata";
import { defaultFieldResolver, type GraphQLObjectType, type GraphQLResolveInfo } from "graphql";
import { buildCourantSchema, leanReplacements } from "../../src/graphql/build-schema";
import { Article } from "../../src/article/article.type";
import { Section } from "../../src/section/section.type";
import { Author } from "../../src/author/author.type";
import { Tag } from "../../src/tag/tag.type";
import { loadConfig } from "../../src/config";
import { loadSiteSettings } from "../../src/site/site.settings";
import type { ArticleRow } from "../../src/article/article.service";

const image = { url: "https://img.example/a.jpg", alt: "Alt", caption: "Cap", credit: "AP", width: 1200, height: 800 };
const articleRow: ArticleRow = {
  id: 42,
  storyKey: "story-42",
  slug: "a-story",
  language: "fr",
  title: "Un titre",
  standfirst: null,
  status: "published",
  publishedAt: new Date("2026-11-30T10:00:00Z"),
  unpublishAt: null,
  createdAt: new Date("2026-11-29T10:00:00Z"),
  updatedAt: new Date("2026-11-30T11:00:00Z"),
  sectionId: 3,
  heroImage: image,
  source: { name: "Wire", url: "https://wire.example/1" },
  disclaimer: null,
  version: 4,
};
const roots: Record<string, object> = {
  Article: new Article(articleRow),
  Section: new Section({ id: 3, slug: "politics", name: "Politics", description: "EU", parentId: 1, position: 2 }),
  Author: new Author({
    id: 7,
    slug: "alex",
    name: "Alex Ivanov",
    role: "Moscow correspondent",
    bio: null,
    avatar: image,
  }),
  Tag: new Tag({ id: 9, slug: "energy", name: "Energy" }),
};

/** What a resolver gives, thrown errors included, so two resolvers can be compared. */
async function outcome(f: () => unknown): Promise<unknown> {
  try {
    return { value: await f() };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

describe("lean field resolvers (type-graphql's wrapper skipped where a field needs none of it)", () => {
  const schema = buildCourantSchema();
  const replaced = leanReplacements();
  const config = loadConfig({});
  const context = { app: { site: loadSiteSettings(config) }, scope: { now: new Date("2026-12-01T00:00:00Z") } };
  const info = {} as GraphQLResolveInfo;

  it("replaces the hot list fields: getters and parent-only field resolvers", () => {
    const names = new Set(replaced.map((r) => `${r.type}.${r.field}`));
    for (const name of ["Article.title", "Article.publishedAt", "Article.section", "Article.authors", "Author.name"]) {
      expect(names).toContain(name);
    }
    // Fields with arguments keep type-graphql's conversion and validation.
    for (const r of replaced) expect(schema.getType(r.type)).toBeDefined();
    expect(replaced.some((r) => r.type === "Article" && r.field === "excerpt")).toBe(false);
  });

  it("answers every getter exactly as type-graphql's resolver does", async () => {
    let compared = 0;
    for (const r of replaced.filter((x) => x.kind === "internal" && roots[x.type])) {
      const field = (
        schema.getType(r.type) as { getFields(): Record<string, { resolve?: typeof r.original }> }
      ).getFields()[r.field]!;
      const root = roots[r.type]!;
      // A direct getter has no resolver left: it is read as graphql-js's default resolver reads it.
      expect({ field: `${r.type}.${r.field}`, resolver: field.resolve === undefined }).toEqual({
        field: `${r.type}.${r.field}`,
        resolver: r.direct,
      });
      const lean = await outcome(() =>
        (field.resolve ?? defaultFieldResolver)(root, {}, context, { ...info, fieldName: r.field }),
      );
      const original = await outcome(() => r.original(root, {}, context, info));
      expect({ field: `${r.type}.${r.field}`, ...(lean as object) }).toEqual({
        field: `${r.type}.${r.field}`,
        ...(original as object),
      });
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
  });

  it("answers the parent-and-context field resolvers as type-graphql does", async () => {
    const article = schema.getType("Article") as {
      getFields(): Record<string, { resolve?: (...a: unknown[]) => unknown }>;
    };
    for (const name of ["url", "status", "disclaimer"]) {
      const r = replaced.find((x) => x.type === "Article" && x.field === name);
      expect(r?.kind).toBe("external");
      const lean = await outcome(() => article.getFields()[name]!.resolve!(roots.Article, {}, context, info));
      const original = await outcome(() => r!.original(roots.Article, {}, context, info));
      expect(lean).toEqual(original);
      expect(lean).toHaveProperty("value");
    }
  });

  it("reads getters as properties, and refuses a parent that is not an instance instead of reading it as nulls", () => {
    const direct = new Set(replaced.filter((r) => r.direct).map((r) => `${r.type}.${r.field}`));
    for (const name of ["Article.title", "Article.publishedAt", "Section.name", "Author.name"]) {
      expect(direct).toContain(name);
    }
    // Methods and resolvers of resolver classes keep a resolver.
    for (const name of ["Article.section", "Article.authors", "Article.url"]) expect(direct).not.toContain(name);
    const article = schema.getType("Article") as GraphQLObjectType;
    expect(article.getFields().title!.resolve).toBeUndefined();
    // type-graphql would copy a plain object into an Article; with the getter read inline, the
    // type checks its values instead, so such a parent is an error at its field.
    expect(article.isTypeOf?.({ row: articleRow }, context, info)).toBe(false);
    expect(article.isTypeOf?.(roots.Article, context, info)).toBe(true);
  });
});
