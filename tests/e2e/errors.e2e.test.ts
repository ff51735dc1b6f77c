import { DATABASES } from "../helpers/databases";
import { startGateway, type TestGateway } from "../helpers/gateway";

describe.each(DATABASES)("errors reach clients as JSON with a code, and nothing internal, on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind);
  });
  afterAll(() => gw?.close());

  it("masks an unexpected database failure as INTERNAL_SERVER_ERROR with a request id", async () => {
    await gw.ds.query("ALTER TABLE tags RENAME TO tags_moved");
    try {
      const res = await gw.gql(`{ tag(slug: "x") { name } }`, undefined, { "x-request-id": "req-123" });
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          message: "Internal server error",
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-123" },
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/tags_|tags\b|SELECT|sqlite|mysql|ER_NO|stack|\.ts:/);
    } finally {
      await gw.ds.query("ALTER TABLE tags_moved RENAME TO tags");
    }
    const after = await gw.gql(`{ tag(slug: "x") { name } }`);
    expect(after.body).toMatchObject({ data: { tag: null } });
  });

  it.each([
    ["malformed JSON", "{not json", 400],
    ["a body over 100 kB", JSON.stringify({ query: `{ site { name } }`, pad: "x".repeat(110_000) }), 413],
  ])("answers %s with a JSON error", async (_name, body, status) => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const json = (await res.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(json.errors[0]!.extensions.code).toBe("BAD_REQUEST");
  });

  it("answers a syntax error with GRAPHQL_PARSE_FAILED and an unknown field with GRAPHQL_VALIDATION_FAILED", async () => {
    const parse = await gw.gql(`{ articles(first: 5 { totalCount } }`);
    expect(parse.status).toBe(400);
    expect(parse.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    const invalid = await gw.gql(`{ articles { nope } }`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("answers health and readiness probes, and unknown paths with JSON 404", async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${gw.url}/readyz`)).json()).toEqual({ status: "ready" });
    const missing = await fetch(`${gw.url}/nope`);
    expect(missing.status).toBe(404);
    expect(
      ((await missing.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code,
    ).toBe("NOT_FOUND");
  });
});
