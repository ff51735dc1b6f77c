/**
 * The concurrent-writers drill: N editors writing through the API at once, on the same section,
 * author and tags, mixing creates (some with a client mutation id, some retried with it),
 * updates with version checks, publishes and tag changes. Used by the drill test
 * (tests/hardening/writers.test.ts) and by `node dist/bench/writers.js` (see bench/README.md).
 *
 * Every answer is recorded, so a caller can check afterwards that every acknowledged write is
 * stored and that every CONFLICT was a real version conflict.
 */
import http from "node:http";

export interface DrillTarget {
  url: string;
  key: string;
  sectionId: string;
  authorIds: string[];
}

export interface AckedWrite {
  kind: "create" | "update" | "publish" | "tags";
  articleId: string;
  /** The version the write produced. */
  version: number;
  title?: string;
  tags?: string[];
}

export interface FailedWrite {
  kind: AckedWrite["kind"];
  status: number;
  code: string;
  message: string;
  articleId?: string;
  /** For updates: the version the edit was based on. */
  expected?: number;
  ms: number;
}

export interface DrillResult {
  acked: AckedWrite[];
  failed: FailedWrite[];
  /** Creates sent twice with one client mutation id: both answers, which must name one article. */
  idempotentPairs: Array<[string, string]>;
  requests: number;
  seconds: number;
}

export const DRILL_TAGS = ["drill-economy", "drill-politics", "drill-energy", "drill-defence"];

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/* eslint-disable @typescript-eslint/no-explicit-any -- GraphQL answers are read loosely and checked by the callers */

function post(
  url: string,
  key: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<{
  status: number;
  json: { data?: any; errors?: Array<{ message: string; extensions?: any }> };
  ms: number;
}> {
  const started = Date.now();
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${key}`,
        },
        timeout: 15_000,
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => {
          let json: any;
          try {
            json = JSON.parse(text);
          } catch {
            json = { errors: [{ message: `not JSON: ${text.slice(0, 200)}`, extensions: { code: "NOT_JSON" } }] };
          }
          resolve({ status: res.statusCode ?? 0, json, ms: Date.now() - started });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", (err) =>
      resolve({
        status: -1,
        json: {
          errors: [{ message: err.message, extensions: { code: `NETWORK:${(err as any).code ?? err.message}` } }],
        },
        ms: Date.now() - started,
      }),
    );
    req.end(body);
  });
}

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id version title } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { id version title tags { slug } } }`;
const PUBLISH = `mutation($id: ID!) { publishArticle(id: $id) { id version } }`;

/** A small deterministic PRNG, so a failing drill can be run again the same way. */
function prng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

export async function runWritersDrill(
  target: DrillTarget,
  opts: { writers: number; seconds: number; seed?: number; label?: string },
): Promise<DrillResult> {
  const result: DrillResult = { acked: [], failed: [], idempotentPairs: [], requests: 0, seconds: opts.seconds };
  /** Articles the drill made, with the newest version any writer saw acknowledged. */
  const known: Array<{ id: string; version: number }> = [];
  const byId = new Map<string, { id: string; version: number }>();
  const label = opts.label ?? `w${Date.now().toString(36)}`;
  const deadline = Date.now() + opts.seconds * 1000;
  let seq = 0;

  const fail = (kind: FailedWrite["kind"], r: Awaited<ReturnType<typeof post>>, extra: Partial<FailedWrite> = {}) => {
    const e = r.json.errors?.[0];
    result.failed.push({
      kind,
      status: r.status,
      code: String(e?.extensions?.code ?? "NO_CODE"),
      message: e?.message ?? "",
      ms: r.ms,
      ...extra,
    });
  };
  const saw = (id: string, version: number) => {
    const k = byId.get(id);
    if (!k) {
      const entry = { id, version };
      byId.set(id, entry);
      known.push(entry);
    } else if (version > k.version) k.version = version;
  };

  const writer = async (w: number) => {
    const rnd = prng((opts.seed ?? 1) * 1000 + w);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    while (Date.now() < deadline) {
      const roll = rnd();
      result.requests++;
      if (known.length < 4 || roll < 0.35) {
        const n = ++seq;
        const title = `${label} drill article ${n}`;
        const tags = DRILL_TAGS.filter(() => rnd() < 0.5);
        const withKey = rnd() < 0.3;
        const input: Record<string, unknown> = {
          title,
          language: "en",
          sectionId: target.sectionId,
          authorIds: target.authorIds,
          body: `<p>Drill body ${n}.</p>`,
          tags,
          ...(withKey ? { clientMutationId: `${label}-${n}` } : {}),
        };
        const r = await post(target.url, target.key, CREATE, { input });
        const a = r.json.data?.createArticle;
        if (!a) {
          fail("create", r);
          continue;
        }
        result.acked.push({ kind: "create", articleId: a.id, version: a.version, title, tags });
        saw(a.id, a.version);
        if (withKey && rnd() < 0.5) {
          // A client that lost the answer sends the same create again.
          result.requests++;
          const again = await post(target.url, target.key, CREATE, { input });
          const b = again.json.data?.createArticle;
          if (b) result.idempotentPairs.push([a.id, b.id]);
          else fail("create", again);
        }
      } else if (roll < 0.65) {
        const k = pick(known);
        const expected = k.version;
        const title = `${label} drill edit ${++seq}`;
        const r = await post(target.url, target.key, UPDATE, { id: k.id, input: { title, version: expected } });
        const a = r.json.data?.updateArticle;
        if (!a) fail("update", r, { articleId: k.id, expected });
        else {
          result.acked.push({ kind: "update", articleId: a.id, version: a.version, title });
          saw(a.id, a.version);
        }
      } else if (roll < 0.8) {
        const k = pick(known);
        const r = await post(target.url, target.key, PUBLISH, { id: k.id });
        const a = r.json.data?.publishArticle;
        if (!a) fail("publish", r, { articleId: k.id });
        else {
          result.acked.push({ kind: "publish", articleId: a.id, version: a.version });
          saw(a.id, a.version);
        }
      } else {
        const k = pick(known);
        const tags = DRILL_TAGS.filter(() => rnd() < 0.5);
        if (rnd() < 0.2) tags.push(`${label}-fresh-${++seq % 7}`);
        const r = await post(target.url, target.key, UPDATE, { id: k.id, input: { tags } });
        const a = r.json.data?.updateArticle;
        if (!a) fail("tags", r, { articleId: k.id });
        else {
          result.acked.push({ kind: "tags", articleId: a.id, version: a.version, tags });
          saw(a.id, a.version);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: opts.writers }, (_, w) => writer(w)));
  return result;
}

/**
 * The CONFLICTs that were not real version conflicts: an update based on version v conflicts for
 * real only when another acknowledged write took the article past v.
 */
export function falseConflicts(r: DrillResult): FailedWrite[] {
  const maxVersion = new Map<string, number>();
  for (const a of r.acked) maxVersion.set(a.articleId, Math.max(maxVersion.get(a.articleId) ?? 0, a.version));
  return r.failed.filter(
    (f) => f.code === "CONFLICT" && !(f.expected != null && (maxVersion.get(f.articleId!) ?? 0) > f.expected),
  );
}

/** Counts of failures by code, for reports. */
export function failureCodes(r: DrillResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const f of r.failed) out[f.code] = (out[f.code] ?? 0) + 1;
  return out;
}

/** A WordPress export of `posts` posts tagged with the drill's tags, for an import to run beside the writers. */
export function drillWxr(posts: number, label: string): string {
  const items = Array.from({ length: posts }, (_, i) => {
    const id = 1000 + i;
    const tags = DRILL_TAGS.filter((_, t) => (i + t) % 2 === 0)
      .map((t) => `<category domain="post_tag" nicename="${t}"><![CDATA[${t}]]></category>`)
      .join("");
    return `<item><title><![CDATA[${label} imported ${i}]]></title><dc:creator><![CDATA[drill]]></dc:creator>
<content:encoded><![CDATA[<p>Imported body ${i}.</p>]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>${id}</wp:post_id><wp:post_date_gmt><![CDATA[2026-01-01 10:00:00]]></wp:post_date_gmt>
<wp:post_modified_gmt><![CDATA[2026-01-01 10:00:00]]></wp:post_modified_gmt><wp:post_name><![CDATA[${label}-imported-${i}]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type>
<category domain="category" nicename="drill-news"><![CDATA[Drill news]]></category>${tags}</item>`;
  }).join("\n");
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Drill</title><link>https://drill.example.org</link><language>en</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://drill.example.org</wp:base_site_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login><![CDATA[drill]]></wp:author_login><wp:author_display_name><![CDATA[Drill Writer]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>5</wp:term_id><wp:category_nicename><![CDATA[drill-news]]></wp:category_nicename><wp:category_parent><![CDATA[]]></wp:category_parent><wp:cat_name><![CDATA[Drill news]]></wp:cat_name></wp:category>
${items}
</channel></rss>
`;
}

/** The retries counted in a gateway's /metrics, by reason. */
export async function retriesFromMetrics(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(
    /^courant_transactions?_(retries|abandoned)_total\{reason="([a-z_]+)"\} (\d+(?:\.\d+)?)$/gm,
  ))
    out[`${m[1]}:${m[2]}`] = Number(m[3]);
  return out;
}
