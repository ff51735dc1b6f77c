import { DATABASES } from "../helpers/databases";
import { generator } from "../helpers/fuzz-operations";
import { startGateway, type TestGateway } from "../helpers/gateway";

/** Seeded, so a failing run can be replayed with FUZZ_SEED=<seed>. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);
const OPERATIONS = Number(process.env.FUZZ_OPERATIONS ?? 250);

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
