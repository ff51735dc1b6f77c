import { getNamedType, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type GraphQLSchema } from "graphql";
import type { Config } from "../config";

/** Seconds a response may be cached, per type it contains; the smallest one wins. */
export function maxAgeByType(c: Config["cache"]): Record<string, number> {
  return {
    Article: c.articleSeconds,
    ArticleConnection: c.articleSeconds,
    Node: c.articleSeconds,
    Section: c.sectionSeconds,
    Author: c.sectionSeconds,
    AuthorConnection: c.sectionSeconds,
    Tag: c.sectionSeconds,
    Trending: c.trendingSeconds,
    ArticleSearchConnection: c.searchSeconds,
    Site: c.siteSeconds,
    LiveBlog: c.liveSeconds,
    LivePost: c.liveSeconds,
    LivePostConnection: c.liveSeconds,
  };
}

const ageOf = new WeakMap<DocumentNode, number>();

/** Walks the operation once (no per-field cost at run time) and returns its max age in seconds. */
export function operationMaxAge(schema: GraphQLSchema, document: DocumentNode, ages: Record<string, number>): number {
  const known = ageOf.get(document);
  if (known !== undefined) return known;
  const age = walkMaxAge(schema, document, ages);
  ageOf.set(document, age);
  return age;
}

function walkMaxAge(schema: GraphQLSchema, document: DocumentNode, ages: Record<string, number>): number {
  const info = new TypeInfo(schema);
  let maxAge = Infinity;
  visit(
    document,
    visitWithTypeInfo(info, {
      Field() {
        const type = info.getType();
        const age = type ? ages[getNamedType(type).name] : undefined;
        if (age !== undefined) maxAge = Math.min(maxAge, age);
      },
    }),
  );
  return Number.isFinite(maxAge) ? maxAge : Math.min(...Object.values(ages));
}

/** CDNs (s-maxage) keep it for the full age, serving stale while they refresh; browsers keep nothing. */
export function publicCacheControl(maxAge: number): string {
  // Shared caches (the CDN) hear of every change through purges; a browser never would, so it
  // keeps nothing: a story taken down is gone on the reader's next load.
  return `public, max-age=0, s-maxage=${maxAge}, stale-while-revalidate=${maxAge}`;
}
