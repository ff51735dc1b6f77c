import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  isInterfaceType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from "graphql";
import { buildCourantSchema } from "../../src/graphql/build-schema";
import { mulberry32 } from "../../src/seed/bench";
import { DATABASES } from "../helpers/databases";
import { startGateway, type TestGateway } from "../helpers/gateway";

/** Seeded, so a failing run can be replayed with FUZZ_SEED=<seed>. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const OPERATIONS = Number(process.env.FUZZ_OPERATIONS ?? 250);

const HOSTILE = [
  "",
  " ",
  "'",
  '"',
  "\\",
  "' OR 1=1 --",
  "'; DROP TABLE articles; --",
  "%",
  "_",
  "*",
  "NEAR(",
  "title:",
  "-",
  "+",
  "~",
  "@",
  '"unbalanced',
  "\u0000",
  "\u0007\u001b[31m",
  "𝕳𝖊𝖑𝖑𝖔 👋🏽",
  "مرحبا بالعالم",
  "\u202eevil",
  "<script>alert(1)</script>",
  "../../etc/passwd",
  "x".repeat(5000),
  "${jndi:ldap://x}",
  "{{7*7}}",
  "null",
  "undefined",
  "NaN",
  "-1",
  "9".repeat(40),
  "2020-13-45T99:99:99Z",
  "nl",
  "xx-YY",
  "QXJ0aWNsZTox",
  "QXJ0aWNsZTo5OTk5OTk5OTk5OTk5OTk5OTk5",
  "WyJhcnRpY2xlIiwiMjAyMC0wMS0wMVQwMDowMDowMC4wMDBaIiwxXQ",
];

function generator(seed: number) {
  const schema = buildCourantSchema();
  const r = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

  const value = (type: GraphQLInputType, depth: number): unknown => {
    if (isNonNullType(type)) return value(type.ofType, depth);
    if (r() < 0.08) return null;
    if (isListType(type)) return Array.from({ length: Math.floor(r() * 4) }, () => value(type.ofType, depth + 1));
    if (isEnumType(type)) return r() < 0.9 ? pick(type.getValues()).value : "NOT_A_VALUE";
    if (isInputObjectType(type)) {
      if (depth > 3) return {};
      const out: Record<string, unknown> = {};
      for (const f of Object.values(type.getFields()))
        if (isNonNullType(f.type) || r() < 0.5) out[f.name] = value(f.type, depth + 1);
      return out;
    }
    if (isScalarType(type)) {
      switch (type.name) {
        case "Int":
          return pick([0, 1, -1, 5, 20, 100, 101, 2 ** 31 - 1, -(2 ** 31), Math.floor(r() * 1000)]);
        case "Float":
          return r() * 1e6;
        case "Boolean":
          return r() < 0.5;
        case "DateTimeISO":
          return pick(["2020-10-05T09:30:00.000Z", "not a date", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"]);
        case "Locale":
          return pick(["nl", "en", "lt", "de", "ja", "xx", "", "en-GB"]);
        case "URL":
          return pick(["https://example.com/a.jpg", "javascript:alert(1)", "not a url", "ftp://x"]);
        case "EmailAddress":
          return pick(["fuzz@example.com", "not-an-email", ""]);
        default:
          return pick(HOSTILE);
      }
    }
    return null;
  };

  let variableCount = 0;
  const selection = (
    type: GraphQLOutputType,
    depth: number,
    variables: Record<string, unknown>,
    defs: string[],
  ): string => {
    const named = getNamedType(type);
    if (isScalarType(named) || isEnumType(named)) return "";
    if (depth > 4) return "{ __typename }";
    if (isUnionType(named) || isInterfaceType(named)) {
      const possible = schema.getPossibleTypes(named);
      const target = pick(possible);
      return `{ __typename ... on ${target.name} ${selection(target, depth + 1, variables, defs) || "{ __typename }"} }`;
    }
    if (!isObjectType(named)) return "";
    const fields = Object.values(named.getFields());
    const chosen = Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick(fields));
    return `{ ${chosen.map((f, i) => `f${i}: ${field(f, depth, variables, defs)}`).join(" ")} }`;
  };

  const field = (
    f: GraphQLField<unknown, unknown>,
    depth: number,
    variables: Record<string, unknown>,
    defs: string[],
  ): string => {
    const args = f.args
      .filter((a) => isNonNullType(a.type) || r() < 0.6)
      .map((a) => {
        const name = `v${variableCount++}`;
        variables[name] = value(a.type, 0);
        defs.push(`$${name}: ${String(a.type)}`);
        return `${a.name}: $${name}`;
      });
    return `${f.name}${args.length ? `(${args.join(", ")})` : ""} ${selection(f.type, depth + 1, variables, defs)}`;
  };

  return (): { query: string; variables: Record<string, unknown> } => {
    const variables: Record<string, unknown> = {};
    const defs: string[] = [];
    const root = r() < 0.85 ? schema.getQueryType()! : schema.getMutationType()!;
    const body = selection(root, 0, variables, defs);
    return {
      query: `${root === schema.getQueryType() ? "query" : "mutation"} Fuzz${defs.length ? `(${defs.join(", ")})` : ""} ${body}`,
      variables,
    };
  };
}

const BOMBS: Array<[string, string]> = [
  ["deep", `{ sections ${"{ parent ".repeat(40)}{ name }${" }".repeat(40)} }`],
  ["wide", `{ ${Array.from({ length: 400 }, () => `site { name }`).join(" ")} }`],
  ["aliases", `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: articles(first: 100) { totalCount }`).join(" ")} }`],
  ["fragment cycle", `query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`],
  [
    "fragment fan-out",
    `query { ...F0 } ${Array.from({ length: 30 }, (_, i) => `fragment F${i} on Query { site { name } ${i < 29 ? `...F${i + 1} ...F${i + 1}` : ""} }`).join(" ")}`,
  ],
  ["directives", `{ site ${"@include(if: true) ".repeat(300)} { name } }`],
  ["huge string", `{ article(slug: "${"x".repeat(90_000)}") { id } }`],
  ["unterminated", `{ articles(first: 5 { nodes { title }`],
  ["nul bytes", `{ site { name\u0000 } }`],
];

describe.each(DATABASES)("fuzzing the gateway on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind, {
      seedDemo: true,
      env: { RATE_LIMIT_QUERIES_PER_MINUTE: "1000000", NEWSLETTER_SIGNUPS_PER_HOUR: "100000" },
    });
  });
  afterAll(() => gw?.close());

  async function send(body: string, contentType = "application/json"): Promise<{ status: number; text: string }> {
    const res = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": contentType },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    return { status: res.status, text: await res.text() };
  }

  function expectSane(r: { status: number; text: string }, what: string) {
    if (r.status >= 500 && !/"code":"(SERVICE_UNAVAILABLE|TIMEOUT)"/.test(r.text))
      throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    let json: { errors?: Array<{ extensions?: { code?: string } }> };
    try {
      json = JSON.parse(r.text);
    } catch {
      throw new Error(`${what}: non-JSON body ${r.text.slice(0, 200)}`);
    }
    if (/\bat [\w.<>]+ \(|node_modules|\.ts:\d+|SELECT |sqlite|\bER_[A-Z_]+/.test(r.text))
      throw new Error(`${what}: internals leaked: ${r.text.slice(0, 300)}`);
    for (const e of json.errors ?? [])
      if (!e.extensions?.code) throw new Error(`${what}: error without a code: ${JSON.stringify(e)}`);
    if ((json.errors ?? []).some((e) => e.extensions?.code === "INTERNAL_SERVER_ERROR"))
      throw new Error(`${what}: INTERNAL_SERVER_ERROR for ${what}`);
  }

  it(`answers ${OPERATIONS} random operations (seed ${SEED}) with JSON, a code on every error, and no 5xx`, async () => {
    const next = generator(SEED + (kind === "mysql" ? 1 : 0));
    for (let i = 0; i < OPERATIONS; i++) {
      const op = next();
      expectSane(
        await send(JSON.stringify(op)),
        `operation ${i} ${op.query.slice(0, 200)} ${JSON.stringify(op.variables).slice(0, 200)}`,
      );
    }
  });

  it.each(BOMBS)("survives a %s bomb", async (name, query) => {
    expectSane(await send(JSON.stringify({ query })), name);
  });

  it.each([
    ["truncated JSON", `{"query": "{ site { name } }"`],
    ["JSON array of junk", `[1, "two", null]`],
    ["JSON scalar", `42`],
    ["query of the wrong type", `{"query": 12}`],
    ["variables of the wrong type", `{"query": "{ site { name } }", "variables": "nope"}`],
    ["binary garbage", "\u0000\u0001\u0002\uFFFD\uD800"],
    ["over 100 kB", JSON.stringify({ query: "{ site { name } }", variables: { x: "y".repeat(200_000) } })],
  ])("answers a malformed body (%s) with a JSON error", async (_name, body) => {
    const r = await send(body);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expect(JSON.parse(r.text).errors[0].extensions.code).toEqual(expect.any(String));
  });

  it("still answers a normal query afterwards", async () => {
    const r = await gw.gql(`{ articles(first: 1) { totalCount } }`);
    expect(r.status).toBe(200);
    expect(r.body.data.articles.totalCount).toBeGreaterThan(0);
  });
});
