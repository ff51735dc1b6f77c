import { buildSchema, GraphQLError, parse } from "graphql";
import { costPlugin, queryCost } from "../../src/graphql/cost";
import { buildCourantSchema } from "../../src/graphql/build-schema";
import { getComplexity } from "graphql-query-complexity";

// The real estimator, counted: to see how often an operation is priced.
jest.mock("graphql-query-complexity", () => {
  const actual = jest.requireActual("graphql-query-complexity");
  return { ...actual, getComplexity: jest.fn(actual.getComplexity) };
});

/** A small schema with each kind of field the estimator tells apart. */
const schema = buildSchema(`
  interface Node { id: ID! }
  type Article implements Node { id: ID! title: String! tags: [String!]! related(first: Int): [Article!]! }
  type ArticleConnection { totalCount: Int! nodes: [Article!]! }
  type Section implements Node { id: ID! name: String! children: [Section!]! }
  type Site { name: String! }
  type Query {
    site: Site!
    article(slug: String!): Article
    articles(first: Int, last: Int): ArticleConnection!
    sections: [Section!]!
    nodes(ids: [ID!]!): [Node]!
  }
`);

const cost = (query: string, variables: Record<string, unknown> = {}, operationName?: string) =>
  queryCost(schema, parse(query), variables, operationName);

describe("queryCost", () => {
  it.each<[string, string, Record<string, unknown>, number]>([
    ["a scalar field", "{ site { name } }", {}, 2],
    ["a lookup with scalars", '{ article(slug: "x") { id title tags } }', {}, 4],
    ["a page of 5, counting only", "{ articles(first: 5) { totalCount } }", {}, 1 + 1 * 5],
    ["a page of 5 with nodes", "{ articles(first: 5) { totalCount nodes { id title } } }", {}, 1 + (1 + 3) * 5],
    ["last counts like first", "{ articles(last: 3) { totalCount } }", {}, 1 + 3],
    ["first wins over last", "{ articles(first: 2, last: 50) { totalCount } }", {}, 1 + 2],
    ["no page size: the default of 20", "{ articles { totalCount } }", {}, 1 + 20],
    ["a page size from a variable", "query($n: Int) { articles(first: $n) { totalCount } }", { n: 100 }, 1 + 100],
    ["a variable left out: the default", "query($n: Int) { articles(first: $n) { totalCount } }", {}, 1 + 20],
    ["a page of 0 costs the field only", "{ articles(first: 0) { totalCount } }", {}, 1],
    ["a negative page size counts as 0", "{ articles(first: -5) { totalCount } }", {}, 1],
    ["a huge page size is capped at 1000", "{ articles(first: 100000) { totalCount } }", {}, 1 + 1000],
    [
      "nested pages multiply",
      "{ articles(first: 10) { nodes { related(first: 5) { title } } } }",
      {},
      1 + (1 + (1 + 1 * 5)) * 10,
    ],
    ["the sections list counts as 50", "{ sections { name } }", {}, 1 + 1 * 50],
    ["section children count as 20 each", "{ sections { children { name } } }", {}, 1 + (1 + 1 * 20) * 50],
    ["nodes cost per id asked for", '{ nodes(ids: ["a", "b", "c"]) { id } }', {}, 1 + 1 * 3],
    ["nodes with no ids", "{ nodes(ids: []) { id } }", {}, 1],
    ["nodes ids from a variable", "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", { ids: ["a", "b"] }, 1 + 2],
    ["aliases add up", "{ a: site { name } b: site { name } }", {}, 4],
    [
      "fragments on an interface: the dearest type counts",
      '{ nodes(ids: ["a"]) { ... on Article { title tags } ... on Section { name } } }',
      {},
      1 + 2,
    ],
    ["__typename costs like any field", "{ site { __typename name } }", {}, 3],
  ])("%s", (_name, query, variables, expected) => {
    expect(cost(query, variables)).toBe(expected);
  });

  it("prices the operation asked for in a document with several", () => {
    const document = "query Small { site { name } } query Big { articles(first: 50) { totalCount } }";
    expect(cost(document, {}, "Small")).toBe(2);
    expect(cost(document, {}, "Big")).toBe(51);
  });

  it("remembers a price per document, variables and operation, not per document alone", () => {
    const document = parse(
      "query A($n: Int) { articles(first: $n) { totalCount } } query B { articles(first: 1) { totalCount } }",
    );
    expect(queryCost(schema, document, { n: 10 }, "A")).toBe(11);
    expect(queryCost(schema, document, { n: 90 }, "A")).toBe(91);
    expect(queryCost(schema, document, { n: 90 }, "B")).toBe(2);
    expect(queryCost(schema, document, { n: 10 }, "A")).toBe(11);
  });

  it("prices the real schema's lists the same way", () => {
    const courant = buildCourantSchema();
    const price = (q: string) => queryCost(courant, parse(q), {});
    expect(price("{ articles(first: 10) { totalCount } }")).toBe(11);
    expect(price("{ articles { totalCount } }")).toBe(21);
    expect(price("{ sections { name } }")).toBe(51);
    expect(price("{ articles(first: 100) { nodes { title } } }")).toBeGreaterThan(
      price("{ articles(first: 10) { nodes { title } } }"),
    );
  });
});

describe("costPlugin", () => {
  async function run(limit: number, query: string, variables: Record<string, unknown> = {}) {
    const listener = (await costPlugin(limit).requestDidStart!({} as never))!;
    const document = parse(query);
    const body = { kind: "single", singleResult: { data: {}, extensions: { other: 1 } } };
    let error: unknown;
    try {
      await listener.didResolveOperation!({ document, request: { variables }, operationName: null, schema } as never);
    } catch (err) {
      error = err;
    }
    await listener.willSendResponse!({ response: { body } } as never);
    return { error, extensions: body.singleResult.extensions };
  }

  it.each([
    ["under the limit", 10, "{ articles(first: 5) { totalCount } }", 6],
    ["at the limit exactly", 6, "{ articles(first: 5) { totalCount } }", 6],
  ])("lets an operation %s through and reports its cost", async (_name, limit, query, requested) => {
    const { error, extensions } = await run(limit, query);
    expect(error).toBeUndefined();
    expect(extensions).toEqual({ other: 1, cost: { requested, limit } });
  });

  it("refuses an operation over the limit with QUERY_TOO_COMPLEX, its cost and the limit", async () => {
    const { error, extensions } = await run(100, "query($n: Int) { articles(first: $n) { totalCount } }", { n: 100 });
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).message).toBe(
      "This operation costs 101, more than the limit of 100; ask for smaller pages or fewer fields",
    );
    expect((error as GraphQLError).extensions).toEqual({
      code: "QUERY_TOO_COMPLEX",
      cost: 101,
      limit: 100,
      http: { status: 400 },
    });
    expect(extensions).toEqual({ other: 1, cost: { requested: 101, limit: 100 } });
  });

  it("leaves an operation it cannot price to validation, and reports no cost", async () => {
    // A variable of the wrong type: the estimator throws, validation answers the client.
    const { error, extensions } = await run(5, "query($n: Int) { articles(first: $n) { totalCount } }", {
      n: "many",
    });
    expect(error).toBeUndefined();
    expect(extensions).toEqual({ other: 1 });
  });
});

const bigSchema = buildSchema(`
  type Article { id: ID! tags: [String!]! }
  type ArticleConnection { totalCount: Int! }
  type Query { articles(first: Int, after: String): ArticleConnection! article(slug: String!): Article }
`);

describe("queryCost is computed once per document and page sizes", () => {
  const spy = getComplexity as jest.MockedFunction<typeof getComplexity>;

  it("prices the next page (another cursor, slug or term) from the cache, and a new page size or @include anew", () => {
    const document = parse(
      `query($after: String, $n: Int, $slug: String!, $withTags: Boolean = false) {
        articles(first: $n, after: $after) { totalCount }
        article(slug: $slug) { id tags @include(if: $withTags) }
      }`,
    );
    const price = (variables: Record<string, unknown>) => queryCost(bigSchema, document, variables);
    spy.mockClear();
    const first = price({ n: 5, slug: "a" });
    expect(price({ n: 5, slug: "b", after: "cursor-1" })).toBe(first);
    expect(price({ n: 5, slug: "c", after: "cursor-2" })).toBe(first);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(price({ n: 50, slug: "a" })).toBeGreaterThan(first);
    expect(price({ n: 5, slug: "a", withTags: true })).toBe(first + 1);
    expect(spy).toHaveBeenCalledTimes(3);
  });
});
