import net from "node:net";
import { gzipSync } from "node:zlib";
import { DATABASES } from "../helpers/databases";
import { startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import { PrivateRedis } from "../helpers/private-redis";

const code = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;
const nest = (depth: number) => `{ sections ${"{ parent ".repeat(depth - 2)}{ name }${" }".repeat(depth - 2)} }`;

describe.each(DATABASES)("limits on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind, {
      env: {
        MAX_QUERY_DEPTH: "5",
        MAX_ALIASES: "3",
        MAX_DIRECTIVES: "2",
        MAX_TOKENS: "120",
        BATCH_MAX_OPERATIONS: "2",
      },
    });
  });
  afterAll(() => gw?.close());

  it.each([
    ["depth", nest(5), nest(6)],
    [
      "aliases",
      `{ a: site { name } b: site { name } c: site { name } }`,
      `{ a: site { name } b: site { name } c: site { name } d: site { name } }`,
    ],
    [
      "directives",
      `{ site @include(if: true) { name @skip(if: false) } }`,
      `{ site @include(if: true) { name @skip(if: false) url @skip(if: false) } }`,
    ],
  ])(
    "accepts %s at the limit and refuses it one above with GRAPHQL_VALIDATION_FAILED and 400",
    async (_name, atLimit, above) => {
      const ok = await gw.gql(atLimit);
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
      const refused = await gw.gql(above);
      expect(refused.status).toBe(400);
      expect(code(refused)).toBe("GRAPHQL_VALIDATION_FAILED");
    },
  );

  it("counts parser tokens: at the limit parses, one above is GRAPHQL_PARSE_FAILED with 400", async () => {
    // "{ site { name" + " name" * k + " } }": 6 + k tokens plus the end-of-file token.
    // "{ site {" and "} }" are five tokens; the rest are field names.
    const query = (tokens: number) => `{ site { ${"name ".repeat(tokens - 5)}} }`;
    const ok = await gw.gql(query(120));
    expect(ok.status).toBe(200);
    const refused = await gw.gql(query(121));
    expect(refused.status).toBe(400);
    expect(code(refused)).toBe("GRAPHQL_PARSE_FAILED");
  });

  it("takes batches of up to the configured size and refuses larger ones", async () => {
    const post = (ops: unknown) =>
      fetch(`${gw.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(ops),
      });
    const two = await post([{ query: "{ site { name } }" }, { query: "{ sections { slug } }" }]);
    expect(two.status).toBe(200);
    expect(await two.json()).toHaveLength(2);
    const three = await post([
      { query: "{ site { name } }" },
      { query: "{ site { name } }" },
      { query: "{ site { name } }" },
    ]);
    expect(three.status).toBe(400);
    expect(
      ((await three.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code,
    ).toBe("BAD_REQUEST");
  });

  it("caps every SQL statement's running time", async () => {
    if (kind === "sqlite") {
      console.log(
        "SQLite statements run in-process and cannot be interrupted; the statement cap is a MySQL/MariaDB setting",
      );
      return;
    }
    const gwSlow = await startGateway(kind, { env: { SQL_STATEMENT_TIMEOUT_MS: "300" } });
    try {
      const started = Date.now();
      await expect(
        gwSlow.ds.query("SELECT SLEEP(3) AS s FROM articles RIGHT JOIN (SELECT 1) x ON 1 = 1"),
      ).rejects.toMatchObject({});
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      await gwSlow.close();
    }
  });
});

describe("requests, errors and exposure", () => {
  let gw: TestGateway;
  const logs: string[] = [];
  beforeAll(async () => {
    gw = await startGateway("sqlite", {
      logs,
      env: {
        NODE_ENV: "production",
        SQL_STATEMENT_HEADER: "true",
        REQUEST_TIMEOUT_MS: "500",
        CORS_ORIGINS: "https://www.example.com",
        RATE_LIMIT_QUERIES_PER_MINUTE: "1000",
      },
    });
  });
  afterAll(() => gw?.close());

  it("answers a request that does not finish in time with a JSON 503 TIMEOUT", async () => {
    const { port } = new URL(gw.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), "127.0.0.1", () => {
        // Headers promise a body that never fully arrives.
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query":',
        );
      });
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
      setTimeout(() => {
        socket.destroy();
        resolve(data);
      }, 3000);
    });
    expect(answer).toMatch(/^HTTP\/1.1 503/);
    expect(answer).toContain('"code":"TIMEOUT"');
  });

  it("reads a gzip-compressed body, and refuses a charset it cannot read in JSON", async () => {
    const query = JSON.stringify({ query: "{ site { name } }" });
    const gz = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(query),
    });
    expect(gz.status).toBe(200);
    expect(((await gz.json()) as { data: { site: { name: string } } }).data.site.name).toEqual(expect.any(String));
    const latin1 = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=iso-8859-1" },
      body: query,
    });
    expect(latin1.status).toBe(415);
    expect(((await latin1.json()) as GqlResponse["body"]).errors?.[0]?.extensions?.code).toBe("BAD_REQUEST");
    // Stated as UTF-8 (quoted or not), it is read.
    const utf8 = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": 'application/json; charset="UTF-8"' },
      body: query,
    });
    expect(utf8.status).toBe(200);
  });

  it("masks unexpected errors in production and logs the original with the same request id", async () => {
    await gw.ds.query("ALTER TABLE tags RENAME TO tags_gone");
    try {
      const res = await gw.gql(`{ tag(slug: "x") { name } }`, undefined, { "x-request-id": "masked-1" });
      expect(res.body.errors).toEqual([
        {
          message: "Internal server error",
          locations: expect.any(Array),
          path: ["tag"],
          extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "masked-1" },
        },
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/tags_gone|no such table|stack|SELECT/);
    } finally {
      await gw.ds.query("ALTER TABLE tags_gone RENAME TO tags");
    }
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.requestId === "masked-1" && l.err);
    expect(line).toBeDefined();
    expect(JSON.stringify(line.err)).toMatch(/no such table/);
    const summary = logs
      .map((l) => JSON.parse(l))
      .find((l) => l.requestId === "masked-1" && l.msg === "graphql request");
    expect(summary).toMatchObject({
      outcome: "error",
      errorCodes: ["INTERNAL_SERVER_ERROR"],
      durationMs: expect.any(Number),
    });
  });

  it("gives no field suggestions in production", async () => {
    const res = await gw.gql(`{ artcles { totalCount } }`);
    expect(code(res)).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(res.body.errors![0]!.message).not.toMatch(/Did you mean/);
  });

  it("never logs API keys or e-mail addresses", async () => {
    const key = await gw.courant.deps.services.auth.create("logcheck", "editor");
    await gw.gql(`{ site { name } }`, undefined, { authorization: `Bearer ${key}` });
    await gw.gql(
      `mutation { subscribeNewsletter(input: { email: "secret.reader@example.com", consent: true }) { status } }`,
    );
    const all = logs.join("\n");
    expect(all).not.toContain(key);
    expect(all).not.toContain("secret.reader@example.com");
    expect(all).toContain('"apiKey":"logcheck"');
  });

  it("blocks simple GET requests as CSRF but serves GETs with a preflight header", async () => {
    const url = `${gw.url}/graphql?query=${encodeURIComponent("{ site { name } }")}`;
    const blocked = await fetch(url);
    expect(blocked.status).toBe(400);
    const ok = await fetch(url, { headers: { "apollo-require-preflight": "true" } });
    expect(await ok.json()).toMatchObject({ data: { site: { name: "EU Reporter" } } });
  });

  it("allows CORS only from the configured origins", async () => {
    const preflight = (origin: string) =>
      fetch(`${gw.url}/graphql`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    expect((await preflight("https://www.example.com")).headers.get("access-control-allow-origin")).toBe(
      "https://www.example.com",
    );
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("rate limits", () => {
  it("refuses a client past its budget with 429, Retry-After and RateLimit headers; keys have their own budget", async () => {
    const gw = await startGateway("sqlite", {
      env: { RATE_LIMIT_QUERIES_PER_MINUTE: "5", RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "50" },
    });
    try {
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await gw.gql(`{ site { name } }`));
      expect(answers.slice(0, 5).map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(answers[0]!.headers.get("ratelimit-limit")).toBe("5");
      expect(answers[4]!.headers.get("ratelimit-remaining")).toBe("0");
      const refused = answers[5]!;
      expect(refused.status).toBe(429);
      expect(code(refused)).toBe("RATE_LIMITED");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const key = await gw.courant.deps.services.auth.create("heavy", "editor");
      const withKey = await gw.gql(`{ site { name } }`, undefined, { authorization: `Bearer ${key}` });
      expect(withKey.status).toBe(200);
      expect(withKey.headers.get("ratelimit-limit")).toBe("50");
    } finally {
      await gw.close();
    }
  });

  it("shares budgets between instances through Redis", async () => {
    // A private redis-server of its own, never the shared one.
    const redis = await PrivateRedis.start();
    const env = { REDIS_URL: redis.url, RATE_LIMIT_QUERIES_PER_MINUTE: "4" };
    const a = await startGateway("sqlite", { env });
    const b = await startGateway("sqlite", { env });
    try {
      const statuses: number[] = [];
      for (const gw of [a, b, a, b, a])
        statuses.push((await gw.gql(`{ site { name } }`, undefined, { "x-test": "shared" })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await a.courant.deps.redis?.flushdb();
      await a.close();
      await b.close();
      await redis.destroy();
    }
  });

  it("keeps serving with local limits when Redis is unreachable", async () => {
    const gw = await startGateway("sqlite", {
      env: { REDIS_URL: "redis://127.0.0.1:1/0", RATE_LIMIT_QUERIES_PER_MINUTE: "3" },
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await gw.gql(`{ site { name } }`)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await gw.close();
    }
  });
});

describe("readiness and shutdown", () => {
  it("turns /readyz to 503 as soon as shutdown starts, while requests in flight complete", async () => {
    const gw = await startGateway("sqlite");
    expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
    const { port } = new URL(gw.url);
    const body = JSON.stringify({ query: "{ articles(first: 5) { totalCount } }" });
    // Ten requests the server has accepted and is reading when shutdown begins.
    const sockets = await Promise.all(
      Array.from(
        { length: 10 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(Number(port), "127.0.0.1", () => {
              s.write(
                `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
              );
              resolve(s);
            });
          }),
      ),
    );
    const answers = sockets.map(
      (s) =>
        new Promise<string>((resolve) => {
          let data = "";
          s.on("data", (d) => (data += d));
          s.on("close", () => resolve(data));
        }),
    );
    // Accepted by the server, not just queued by the kernel: a connection still in the accept
    // queue when the listener closes is reset, whatever the server does.
    const accepted = () =>
      new Promise<number>((resolve, reject) =>
        gw.courant.server.getConnections((err, n) => (err ? reject(err) : resolve(n))),
      );
    for (let i = 0; i < 200 && (await accepted()) < sockets.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(await accepted()).toBeGreaterThanOrEqual(sockets.length);
    await new Promise((r) => setTimeout(r, 50));
    const closing = gw.courant.close();
    expect(gw.courant.lifecycle.shuttingDown).toBe(true);
    for (const s of sockets) s.write(body.slice(10));
    const results = await Promise.all(answers);
    for (const r of results) {
      expect(r).toMatch(/^HTTP\/1.1 200/);
      expect(r).toContain('"totalCount"');
    }
    await closing;
    await expect(fetch(`${gw.url}/readyz`)).rejects.toThrow();
  });
});

describe("metrics", () => {
  it("counts requests by operation and outcome, errors by code, durations, cache and pool use", async () => {
    const gw = await startGateway("sqlite", { env: { RESPONSE_CACHE: "true" } });
    try {
      await gw.gql(`query Feed { articles(first: 1) { totalCount } }`);
      await gw.gql(`query Feed { articles(first: 1) { totalCount } }`);
      await gw.gql(`query Bad { articles(first: 1000) { totalCount } }`);
      const text = await (await fetch(`${gw.url}/metrics`)).text();
      // Sample lines only (one whole line each), never the # HELP or # TYPE text about them.
      expect(text).toMatch(/^courant_graphql_requests_total\{operation="Feed",outcome="ok"\} [1-9]\d*$/m);
      expect(text).toMatch(/^courant_graphql_requests_total\{operation="Bad",outcome="error"\} [1-9]\d*$/m);
      expect(text).toMatch(/^courant_graphql_errors_total\{code="BAD_USER_INPUT"\} [1-9]\d*$/m);
      expect(text).toMatch(/^courant_graphql_request_duration_seconds_count\{operation="Feed"\} [1-9]\d*$/m);
      expect(text).toMatch(/^courant_response_cache_requests\{result="hit"\} [1-9]\d*$/m);
      expect(text).toMatch(/^courant_db_pool_connections\{state="total"\} [1-9]\d*$/m);
      expect(text).toMatch(/^courant_view_buffer_rows \d+$/m);
      expect(text).toMatch(/^courant_view_buffer_lag_seconds \d+(\.\d+)?(e[+-]?\d+)?$/m);
    } finally {
      await gw.close();
    }
  });
});
