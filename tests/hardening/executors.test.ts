import fs from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { DATABASES } from "../helpers/databases";
import { generator } from "../helpers/fuzz-operations";
import { startGateway, type TestGateway } from "../helpers/gateway";

/**
 * Compiled execution (graphql-jit, the default) must answer exactly as graphql-js does. Every
 * operation the test suite sends (recorded by `node scripts/record-operations.js` into
 * tests/fixtures/operations.jsonl) and the fuzz suite's random ones are replayed, in order,
 * against two gateways over identical databases, one per executor; status, data, errors (message,
 * path, code), extensions and the SQL statement count must be the same.
 */
interface RecordedOperation {
  query: string;
  variables: Record<string, unknown> | null;
  role: "editor" | "admin" | "invalid" | null;
}

const CORPUS: RecordedOperation[] = fs
  .readFileSync(path.join(__dirname, "..", "fixtures", "operations.jsonl"), "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as RecordedOperation);

const FUZZ_SEED = 20261127;
const FUZZ_OPERATIONS = 250;

const ENV = {
  RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
  RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "10000000",
  NEWSLETTER_SIGNUPS_PER_HOUR: "100000",
  TRENDING_VIEW_RATE_PER_MINUTE: "1000000",
};

interface Answer {
  status: number;
  statements: string | null;
  data: unknown;
  errors: unknown;
  extensions: unknown;
}

/** Values that differ between two runs by design (random secrets and tokens), replaced by their shape. */
function normalise(value: unknown): unknown {
  if (typeof value === "string") {
    return value
      .replace(/\bwhsec_[A-Za-z0-9+/=_-]+/g, "whsec_<secret>")
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>");
  }
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === "object")
    return Object.fromEntries(
      // Wall-clock durations (webhook delivery attempts) differ from run to run.
      Object.entries(value).map(([k, v]) => [k, k === "durationMs" && typeof v === "number" ? "<ms>" : normalise(v)]),
    );
  return value;
}

/**
 * What both executors must agree on. Three things are left to the order in which things finish,
 * in graphql-js as much as in the compiled code, and are not compared:
 * - the order of errors (root fields run concurrently): compared as a set;
 * - which error wins when several non-null root fields fail (graphql-js reports the first to
 *   settle and drops the rest): when both answers are `data: null` with errors, only that is compared;
 * - the statement count of answers with errors (statements of fields still running when the
 *   answer goes out) and of mutations (the event stream catching up runs in the request).
 */
function comparable(a: Answer, op: RecordedOperation): Partial<Answer> {
  const errors = Array.isArray(a.errors) ? (a.errors as unknown[]).map((e) => JSON.stringify(e)).sort() : a.errors;
  if (a.data === null && Array.isArray(a.errors) && a.errors.length > 0)
    return { data: null, errors: "some", extensions: a.extensions };
  const isMutation = /^\s*mutation\b/m.test(op.query.replace(/#.*$/gm, ""));
  return { ...a, errors, statements: errors || isMutation ? undefined : a.statements };
}

describe.each(DATABASES)("graphql-jit answers as graphql-js does, on %s", (kind) => {
  const gateways: Record<"jit" | "js", TestGateway | undefined> = { jit: undefined, js: undefined };
  const keys: Record<"jit" | "js", Record<string, string>> = { jit: {}, js: {} };

  beforeAll(async () => {
    gateways.jit = await startGateway(kind, { seedDemo: true, env: { ...ENV, EXECUTOR: "jit" } });
    gateways.js = await startGateway(kind, { seedDemo: true, env: { ...ENV, EXECUTOR: "graphql-js" } });
    for (const which of ["jit", "js"] as const) {
      const auth = gateways[which]!.courant.deps.services.auth;
      keys[which] = { editor: await auth.create("desk", "editor"), admin: await auth.create("chief", "admin") };
    }
  });
  afterAll(async () => {
    await gateways.jit?.close();
    await gateways.js?.close();
  });

  async function send(which: "jit" | "js", op: RecordedOperation): Promise<Answer> {
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (op.role === "invalid") headers.authorization = "Bearer courant_not-a-key";
    else if (op.role) headers.authorization = `Bearer ${keys[which][op.role]}`;
    const res = await fetch(`${gateways[which]!.url}/graphql`, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: op.query, variables: op.variables ?? undefined }),
    });
    const body = (await res.json()) as {
      data?: unknown;
      errors?: Array<{ message: string; path?: unknown; extensions?: { code?: unknown } }>;
      extensions?: unknown;
    };
    return normalise({
      status: res.status,
      statements: res.headers.get("x-sql-statements"),
      data: body.data,
      errors: body.errors?.map((e) => ({ message: e.message, path: e.path, code: e.extensions?.code })),
      extensions: body.extensions,
    }) as Answer;
  }

  async function replay(ops: RecordedOperation[]): Promise<{ compared: number; differences: string[] }> {
    const differences: string[] = [];
    for (const [i, op] of ops.entries()) {
      let js = comparable(await send("js", op), op);
      let jit = comparable(await send("jit", op), op);
      if (!isDeepStrictEqual(js, jit) && isDeepStrictEqual({ ...js, statements: 0 }, { ...jit, statements: 0 })) {
        // Only the statement count differs: one gateway re-read something it keeps per process on a
        // timer (the section tree, word statistics) during this request. Asked again, both have it.
        js = comparable(await send("js", op), op);
        jit = comparable(await send("jit", op), op);
      }
      if (!isDeepStrictEqual(js, jit))
        differences.push(
          `#${i} ${op.query.slice(0, 160)}\n  graphql-js: ${JSON.stringify(js).slice(0, 600)}\n  jit:        ${JSON.stringify(jit).slice(0, 600)}`,
        );
    }
    return { compared: ops.length, differences };
  }

  // Webhook deliveries are made by a background worker on the wall clock: what they hold at a given
  // moment differs between two gateways whatever the executor, so those answers are not compared.
  const replayable = CORPUS.filter((op) => !/\b(deliveries|attempts)\b/.test(op.query));

  it(`answers the ${replayable.length} operations the test suite sends alike`, async () => {
    expect(replayable.length).toBeGreaterThan(500);
    const { differences } = await replay(replayable);
    expect(differences.slice(0, 5)).toEqual([]);
    // Nearly 900 operations through two gateways each: about 40 s on MariaDB on a quiet machine,
    // more when the suite's other workers share its two cores.
  }, 240_000);

  it(`answers ${FUZZ_OPERATIONS} random operations of the fuzz suite alike`, async () => {
    const next = generator(FUZZ_SEED);
    const ops = Array.from({ length: FUZZ_OPERATIONS }, () => ({ ...next(), role: null }));
    const { differences } = await replay(ops);
    expect(differences.slice(0, 5)).toEqual([]);
  }, 180_000);
});
