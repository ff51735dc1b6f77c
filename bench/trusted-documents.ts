/**
 * Trusted documents, measured:
 *
 *   npm run build && node dist/bench/trusted-documents.js [--rounds 6] [--requests 100]
 *
 * One gateway (production mode, TRUSTED_DOCUMENTS=audit, no response cache) on the demo content.
 * The README's ArticlePage query is registered with `courant documents add`; in alternating rounds
 * the same article page is asked for (a) by documentId as a GET, as an app would, and (b) as a POST
 * of its text made unique by a comment (as a client sending ad-hoc text, which Apollo must parse,
 * validate and the gateway price again every time). Reports p50/p90 of each and their ratio.
 *
 * DATABASE_URL names a MySQL server (a database `courant_td_<pid>` is made and dropped), or
 * `sqlite:` (the default: a temporary file).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { flag, freePort, startChild } from "./processes";
import { BIN, percentile, scratchDatabase } from "./scratch";
import { ARTICLE_PAGE_QUERY } from "./scenarios";

const log = (line: string) => console.log(`[trusted-documents] ${line}`);

async function timed(send: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await send();
  const body = (await res.json()) as { errors?: unknown; data?: { article?: unknown } };
  if (!res.ok || body.errors || !body.data?.article) throw new Error(`bad answer: ${JSON.stringify(body)}`);
  return performance.now() - started;
}

async function main() {
  const rounds = flag("rounds", 6);
  const perRound = flag("requests", 100);
  const db = await scratchDatabase("td", "sqlite:");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-td-bench-"));
  let stop: (() => Promise<void>) | undefined;
  try {
    db.cli(["migrate"]);
    db.cli(["seed", "--demo"]);
    const manifest = path.join(dir, "persisted-queries.json");
    fs.writeFileSync(manifest, JSON.stringify({ "article-page": ARTICLE_PAGE_QUERY }));
    log(db.cli(["documents", "add", manifest, "--client", "bench"]));
    const port = await freePort();
    const child = await startChild(
      "gateway-trusted-documents",
      BIN,
      ["serve"],
      {
        DATABASE_URL: db.url,
        PORT: String(port),
        NODE_ENV: "production",
        LOG_LEVEL: "warn",
        TRUSTED_DOCUMENTS: "audit",
        RESPONSE_CACHE: "false",
        RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      },
      port,
      "/readyz",
    );
    stop = () => child.stop();
    const variables = { slug: "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen", language: "nl" };
    const byId = `${child.url}/graphql?documentId=article-page&variables=${encodeURIComponent(JSON.stringify(variables))}`;
    let n = 0;
    const send = {
      id: () => fetch(byId, { headers: { "apollo-require-preflight": "1" } }),
      text: () =>
        fetch(`${child.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: `# request ${++n}\n${ARTICLE_PAGE_QUERY}`, variables }),
        }),
    };
    const times: Record<keyof typeof send, number[]> = { id: [], text: [] };
    for (const which of ["id", "text"] as const) for (let i = 0; i < 20; i++) await timed(send[which]); // warm-up
    for (let r = 0; r < rounds; r++) {
      for (const which of r % 2 ? (["text", "id"] as const) : (["id", "text"] as const)) {
        for (let i = 0; i < perRound; i++) times[which].push(await timed(send[which]));
      }
    }
    const row = (which: keyof typeof send) =>
      `p50 ${percentile(times[which], 50).toFixed(2)} ms, p90 ${percentile(times[which], 90).toFixed(2)} ms`;
    log(`article page by documentId (GET), parsed, validated and priced once: ${row("id")}`);
    log(`article page as new text every time (POST), parsed, validated and priced each time: ${row("text")}`);
    log(
      `ratio by id / as new text: p50 ${(percentile(times.id, 50) / percentile(times.text, 50)).toFixed(2)}, p90 ${(percentile(times.id, 90) / percentile(times.text, 90)).toFixed(2)} (${rounds} alternating rounds of ${perRound})`,
    );
  } finally {
    await stop?.();
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
