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

/** Random operations over the whole schema, hostile values included: the fuzz suite's, and the executor test's. */
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

export function generator(seed: number) {
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
