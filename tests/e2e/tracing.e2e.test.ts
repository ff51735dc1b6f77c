import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-node";
import { SpanKind } from "@opentelemetry/api";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";
import { PrivateRedis } from "../helpers/private-redis";
import { serve } from "../helpers/cli";

const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
const CALLER_SPAN = "00f067aa0ba902b7";
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

/** Values that must never show up in a span: a literal argument and a variable's value. */
const LITERAL = "zebracorn";
const VARIABLE = "platypus-story";
const QUERY = `query TracedPage($slug: String!) {
  article(slug: $slug) { title }
  articles(first: 3, filter: { section: "${LITERAL}" }) { nodes { title authors { name } } }
}`;

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

/** What a span tells, as plain data. */
const view = (s: ReadableSpan) => ({
  name: s.name,
  kind: s.kind,
  traceId: s.spanContext().traceId,
  spanId: s.spanContext().spanId,
  parent: s.parentSpanContext?.spanId,
  attributes: s.attributes,
});

describe.each(DATABASES)("OpenTelemetry traces of GraphQL requests on %s", (kind) => {
  let gw: TestGateway;
  let redis: PrivateRedis | undefined;
  const exporter = new InMemorySpanExporter();
  const logs: string[] = [];

  beforeAll(async () => {
    redis = PrivateRedis.available() ? await PrivateRedis.start() : undefined;
    if (!redis) console.warn("redis-server missing: the Redis spans are not checked");
    gw = await startGateway(kind, {
      env: { RESPONSE_CACHE: "true", EVENTS_POLL_MS: "50", ...(redis ? { REDIS_URL: redis.url } : {}) },
      spanProcessors: [new SimpleSpanProcessor(exporter)],
      logs,
    });
    const section = await gw.factory.section({ slug: LITERAL, name: "Zebracorns" });
    const author = await gw.factory.author({ name: "Ada Reporter" });
    await gw.factory.article({ sectionId: section.id, slug: VARIABLE, title: "Platypus", authorIds: [author.id] });
  });
  afterAll(async () => {
    await gw?.close();
    await redis?.stop();
  });
  beforeEach(() => exporter.reset());

  const spansOf = (traceId: string) =>
    exporter
      .getFinishedSpans()
      .map(view)
      .filter((s) => s.traceId === traceId);

  it("gives one request a server span under the caller's traceparent, with parse, validate, execute, SQL, Redis and cache spans and no literal values", async () => {
    const res = await post(gw.url, { query: QUERY, variables: { slug: VARIABLE } }, { traceparent: TRACEPARENT });
    const body = (await res.json()) as { errors?: unknown; data: { article: { title: string } } };
    expect(body.errors).toBeUndefined();
    expect(body.data.article.title).toBe("Platypus");
    const requestId = res.headers.get("x-request-id");

    const spans = spansOf(TRACE_ID);
    const server = spans.find((s) => s.kind === SpanKind.SERVER)!;
    expect(server).toBeDefined();
    expect(server.name).toBe("query TracedPage");
    expect(server.parent).toBe(CALLER_SPAN);
    expect(server.attributes).toMatchObject({
      "graphql.operation.type": "query",
      "graphql.operation.name": "TracedPage",
      "http.request.method": "POST",
      "http.response.status_code": 200,
      "courant.request_id": requestId,
      "courant.cache.hit": false,
    });
    expect(server.attributes["courant.cost"]).toEqual(expect.any(Number));
    const document = String(server.attributes["graphql.document"]);
    expect(document).toContain('section: "*"');
    expect(document).toContain("first: *");
    expect(document).toContain("$slug");

    const children = (parent: string) => spans.filter((s) => s.parent === parent).map((s) => s.name);
    expect(children(server.spanId)).toEqual(
      expect.arrayContaining(["graphql.parse", "graphql.validate", "graphql.execute", "response cache lookup"]),
    );
    const execute = spans.find((s) => s.name === "graphql.execute")!;
    const sql = spans.filter((s) => s.attributes["db.query.text"] !== undefined);
    expect(sql.length).toBeGreaterThanOrEqual(2);
    for (const s of sql) {
      expect(s.parent).toBe(execute.spanId);
      expect(s.kind).toBe(SpanKind.CLIENT);
      expect(s.attributes["db.system.name"]).toBe(kind === "sqlite" ? "sqlite" : "mariadb");
      expect(s.name).toBe(s.attributes["db.operation.name"]);
    }
    expect(sql.some((s) => /^SELECT/i.test(String(s.attributes["db.query.text"])))).toBe(true);
    if (redis) {
      const redisSpans = spans.filter((s) => s.attributes["db.system.name"] === "redis");
      expect(redisSpans.length).toBeGreaterThan(0);
      expect(redisSpans.every((s) => s.traceId === TRACE_ID && s.name.startsWith("redis "))).toBe(true);
    }
    // No span per field resolver: every span is one of these kinds.
    const known = /^(query TracedPage|graphql\.(parse|validate|execute)|response cache lookup|SELECT|redis [A-Z]+)$/;
    expect(spans.filter((s) => !known.test(s.name)).map((s) => s.name)).toEqual([]);
    // Neither the literal argument nor the variable's value appears anywhere.
    const everything = JSON.stringify(spans);
    expect(everything).not.toContain(LITERAL);
    expect(everything).not.toContain(VARIABLE);

    // The request's log line carries its request id and the trace id together.
    const line = logs.map((l) => JSON.parse(l)).find((l) => l.msg === "graphql request" && l.requestId === requestId);
    expect(line).toMatchObject({ traceId: TRACE_ID, operationName: "TracedPage" });
  });

  it("marks a response cache hit, names it after the operation, and records error codes and persisted-query hashes", async () => {
    await post(gw.url, { query: QUERY, variables: { slug: VARIABLE }, operationName: "TracedPage" });
    exporter.reset();
    const hit = await post(gw.url, { query: QUERY, variables: { slug: VARIABLE }, operationName: "TracedPage" });
    expect(hit.headers.get("x-cache")).toBe("HIT");
    await hit.json();
    const server = exporter
      .getFinishedSpans()
      .map(view)
      .find((s) => s.kind === SpanKind.SERVER)!;
    expect(server.name).toBe("query TracedPage");
    expect(server.attributes["courant.cache.hit"]).toBe(true);
    expect(exporter.getFinishedSpans().some((s) => s.name === "graphql.execute")).toBe(false);

    exporter.reset();
    const bad = await post(gw.url, { query: "{ nope }" });
    expect(bad.status).toBe(400);
    const failed = exporter
      .getFinishedSpans()
      .map(view)
      .find((s) => s.kind === SpanKind.SERVER)!;
    expect(failed.attributes["courant.error.codes"]).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    expect(failed.attributes["http.response.status_code"]).toBe(400);

    exporter.reset();
    const query = "query Persisted { sections { slug } }";
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const apq = await post(gw.url, { query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(apq.status).toBe(200);
    const persisted = exporter
      .getFinishedSpans()
      .map(view)
      .find((s) => s.kind === SpanKind.SERVER)!;
    expect(persisted.attributes["courant.persisted_query.hash"]).toBe(sha256Hash);
  });

  it("traces a scheduled moment, the webhook delivery it causes (sending traceparent to the receiver) and a beacon", async () => {
    const auth = gw.courant.deps.services.auth;
    const admin = { authorization: `Bearer ${await auth.create("tracing-admin", "admin")}` };
    const editor = { authorization: `Bearer ${await auth.create("tracing-editor", "editor")}` };
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const receiver = http.createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on("end", () => res.writeHead(204).end());
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
      const hook = await gw.gql(
        `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } } }`,
        { input: { url, events: ["ARTICLE_PUBLISHED"] } },
        admin,
      );
      expect(hook.body.errors).toBeUndefined();
      const section = await gw.factory.section({ name: "Scheduled" });
      const author = await gw.factory.author({ name: "Sam Scheduler" });
      const created = await gw.gql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        {
          input: {
            title: "Later",
            language: "en",
            sectionId: gid("Section", section.id),
            authorIds: [gid("Author", author.id)],
            body: "<p>x</p>",
          },
        },
        editor,
      );
      expect(created.body.errors).toBeUndefined();
      const id = created.body.data.createArticle.id as string;
      const at = new Date(gw.clock.now.getTime() + 60_000);
      const scheduled = await gw.gql(
        `mutation($id: ID!, $at: DateTimeISO) { publishArticle(id: $id, at: $at) { status } }`,
        { id, at: at.toISOString() },
        editor,
      );
      expect(scheduled.body.data.publishArticle.status).toBe("SCHEDULED");
      exporter.reset();
      gw.clock.now = new Date(at.getTime() + 1000);
      for (let i = 0; i < 200 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(seen).toHaveLength(1);
      const traceparent = String(seen[0]!.traceparent);
      expect(traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      for (let i = 0; i < 100 && !exporter.getFinishedSpans().some((s) => s.name === "webhook delivery"); i++)
        await new Promise((r) => setTimeout(r, 50));
      const spans = exporter.getFinishedSpans().map(view);
      const delivery = spans.find((s) => s.name === "webhook delivery")!;
      expect(delivery).toMatchObject({ kind: SpanKind.CLIENT, traceId: traceparent.split("-")[1] });
      expect(delivery.attributes).toMatchObject({ "courant.webhook.attempt": 1 });
      expect(spans.some((s) => s.parent === delivery.spanId && s.attributes["db.query.text"] !== undefined)).toBe(true);
      const moment = spans.find((s) => s.name === "scheduled moments")!;
      expect(moment.attributes["courant.moments.claimed"]).toBe(1);
      expect(spans.some((s) => s.parent === moment.spanId && s.name === "UPDATE")).toBe(true);

      exporter.reset();
      const beacon = await fetch(`${gw.url}/beacon/view`, {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: JSON.stringify({ articleId: id }),
      });
      expect(beacon.status).toBe(204);
      const beaconSpan = exporter
        .getFinishedSpans()
        .map(view)
        .find((s) => s.name === "POST /beacon")!;
      expect(beaconSpan).toMatchObject({ kind: SpanKind.SERVER, attributes: { "http.route": "/beacon" } });
    } finally {
      await new Promise((r) => receiver.close(r));
    }
  });
});

/** The few protobuf wire types an OTLP export uses: enough to read it back without a schema compiler. */
function decode(buf: Buffer): Map<number, Array<Buffer | bigint>> {
  const fields = new Map<number, Array<Buffer | bigint>>();
  let i = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const [field, type] = [key >> 3, key & 7];
    let value: Buffer | bigint;
    if (type === 0) value = varint();
    else if (type === 1) value = buf.subarray(i, (i += 8));
    else if (type === 5) value = buf.subarray(i, (i += 4));
    else if (type === 2) {
      const len = Number(varint());
      value = buf.subarray(i, (i += len));
    } else throw new Error(`unexpected wire type ${type}`);
    if (!fields.has(field)) fields.set(field, []);
    fields.get(field)!.push(value);
  }
  return fields;
}

interface WireSpan {
  traceId: string;
  spanId: string;
  parent: string;
  name: string;
  attributes: Record<string, unknown>;
  service?: unknown;
}

/** ExportTraceServiceRequest (protobuf) → spans with their attributes and the resource's service.name. */
function spansFromProtobuf(body: Buffer): WireSpan[] {
  const bytes = (m: Map<number, Array<Buffer | bigint>>, f: number) => (m.get(f) ?? []) as Buffer[];
  const keyValues = (list: Buffer[]) =>
    Object.fromEntries(
      list.map((kv) => {
        const m = decode(kv);
        const any = decode(bytes(m, 2)[0] ?? Buffer.alloc(0));
        const value = any.has(1)
          ? bytes(any, 1)[0]!.toString()
          : any.has(3)
            ? Number(any.get(3)![0])
            : any.has(2)
              ? any.get(2)![0] === 1n
              : any.has(5)
                ? "[array]"
                : null;
        return [bytes(m, 1)[0]!.toString(), value];
      }),
    );
  const out: WireSpan[] = [];
  for (const rs of bytes(decode(body), 1)) {
    const resourceSpans = decode(rs);
    const resource = keyValues(bytes(decode(bytes(resourceSpans, 1)[0]!), 1));
    for (const ss of bytes(resourceSpans, 2)) {
      for (const raw of bytes(decode(ss), 2)) {
        const s = decode(raw);
        out.push({
          traceId: bytes(s, 1)[0]!.toString("hex"),
          spanId: bytes(s, 2)[0]!.toString("hex"),
          parent: (bytes(s, 4)[0] ?? Buffer.alloc(0)).toString("hex"),
          name: bytes(s, 5)[0]!.toString(),
          attributes: keyValues(bytes(s, 9)),
          service: resource["service.name"],
        });
      }
    }
  }
  return out;
}

/** The OTLP/JSON encoding of the same request. */
function spansFromJson(body: Buffer): WireSpan[] {
  type Kv = { key: string; value: { stringValue?: string; intValue?: string | number; boolValue?: boolean } };
  const kv = (list: Kv[] = []) =>
    Object.fromEntries(
      list.map(({ key, value }) => [
        key,
        value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : value.boolValue),
      ]),
    );
  const parsed = JSON.parse(body.toString()) as {
    resourceSpans: Array<{
      resource: { attributes: Kv[] };
      scopeSpans: Array<{
        spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; attributes: Kv[] }>;
      }>;
    }>;
  };
  return parsed.resourceSpans.flatMap((rs) =>
    rs.scopeSpans.flatMap((ss) =>
      ss.spans.map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parent: s.parentSpanId ?? "",
        name: s.name,
        attributes: kv(s.attributes),
        service: kv(rs.resource.attributes)["service.name"],
      })),
    ),
  );
}

describe("OTLP/HTTP export of `courant serve` to a real collector endpoint", () => {
  let receiver: http.Server;
  let endpoint: string;
  const received: Array<{ path: string; type: string; body: Buffer }> = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let body = Buffer.concat(chunks);
        if (req.headers["content-encoding"] === "gzip") body = zlib.gunzipSync(body);
        received.push({ path: req.url ?? "", type: String(req.headers["content-type"]), body });
        const json = String(req.headers["content-type"]).includes("json");
        res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" });
        res.end(json ? "{}" : "");
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => receiver.close(r));
  });

  it.each([
    ["http/protobuf", "application/x-protobuf", spansFromProtobuf],
    ["http/json", "application/json", spansFromJson],
  ] as const)("sends the request's spans as OTLP %s, flushed when the gateway stops", async (protocol, type, read) => {
    received.length = 0;
    // The real command in its own process (the exporter loads node:http by a dynamic import, which
    // jest's sandbox cannot run), stopped by SIGTERM like a deploy: what is buffered is sent then.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-otlp-"));
    const gw = await serve({
      DATABASE_URL: `sqlite:${path.join(dir, "otlp.sqlite")}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
      OTEL_SERVICE_NAME: "courant-test",
    });
    try {
      const res = await post(
        gw.url,
        { query: `query Wire { articles(first: 1) { nodes { title } } }` },
        {
          traceparent: TRACEPARENT,
        },
      );
      expect(res.status).toBe(200);
      await res.json();
    } finally {
      expect(await gw.stop()).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.path === "/v1/traces" && r.type.startsWith(type))).toBe(true);
    const spans = received.flatMap((r) => read(r.body)).filter((s) => s.traceId === TRACE_ID);
    const server = spans.find((s) => s.name === "query Wire")!;
    expect(server).toBeDefined();
    expect(server.parent).toBe(CALLER_SPAN);
    expect(server.service).toBe("courant-test");
    expect(server.attributes).toMatchObject({ "graphql.operation.type": "query", "graphql.operation.name": "Wire" });
    expect(server.attributes["graphql.document"]).toContain("first: *");
    const names = spans.filter((s) => s.parent === server.spanId).map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(["graphql.parse", "graphql.validate", "graphql.execute"]));
    const execute = spans.find((s) => s.name === "graphql.execute")!;
    expect(spans.some((s) => s.parent === execute.spanId && s.attributes["db.system.name"] === "sqlite")).toBe(true);
  });
});
