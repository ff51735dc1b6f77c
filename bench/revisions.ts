/**
 * Revisions, measured:
 *
 *   npm run build && node dist/bench/revisions.js [--edits 200]
 *
 * Two gateways on one database, one keeping revisions (REVISIONS=true) and one not, edit the demo
 * article's text in alternating rounds; reports updateArticle p50/p99 of each and their ratio.
 * Then the size of a revision as stored, and what Brotli would make of it.
 *
 * DATABASE_URL names a MySQL server (a database `courant_rev_<pid>` is made and dropped), or
 * `sqlite:` (the default: a temporary file).
 */
import zlib from "node:zlib";
import { flag, freePort, startChild } from "./processes";
import { BIN, gql, percentile, scratchDatabase } from "./scratch";

const log = (line: string) => console.log(`[revisions] ${line}`);

async function main() {
  const edits = flag("edits", 200);
  const db = await scratchDatabase("rev", "sqlite:");
  const env = { DATABASE_URL: db.url, LOG_LEVEL: "warn" };
  const cli = db.cli;
  const stops: Array<() => Promise<void>> = [];
  try {
    cli(["migrate"]);
    cli(["seed", "--demo"]);
    const key = cli(["api-key", "create", "--role", "editor", "--name", "revisions-bench"]).split("\n").pop()!;
    const start = async (name: string, revisions: boolean) => {
      const port = await freePort();
      const child = await startChild(
        name,
        BIN,
        ["serve"],
        {
          ...env,
          PORT: String(port),
          NODE_ENV: "production",
          REVISIONS: String(revisions),
          RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000",
        },
        port,
        "/readyz",
      );
      stops.push(() => child.stop());
      return child.url;
    };
    const on = await start("gateway-revisions-on", true);
    const off = await start("gateway-revisions-off", false);
    const demo = (await gql(on, `{ articles(first: 2, filter: { language: "en" }) { nodes { id } } }`, {})).articles
      .nodes;
    const bodyOf = async (id: string) =>
      (await gql(on, `query($id: ID!) { article(id: $id) { body { html } } }`, { id })).article.body.html as string;
    const targets = {
      on: { id: demo[0].id as string, body: await bodyOf(demo[0].id) },
      off: { id: demo[1].id as string, body: await bodyOf(demo[1].id) },
    };
    const times: Record<"on" | "off", number[]> = { on: [], off: [] };
    const round = async (which: "on" | "off") => {
      const gw = which === "on" ? on : off;
      const t = targets[which];
      for (let i = 0; i < Math.ceil(edits / 8); i++) {
        const body = t.body.replace(/<\/p>/, ` (edit ${times[which].length}).</p>`);
        const started = performance.now();
        await gql(
          gw,
          `mutation($id: ID!, $b: String!) { updateArticle(id: $id, input: { body: $b }) { version } }`,
          { id: t.id, b: body },
          key,
        );
        times[which].push(performance.now() - started);
      }
    };
    for (let r = 0; r < 4; r++) {
      await round("off");
      await round("on");
    }
    log(
      `updateArticle of a ${(Buffer.byteLength(targets.on.body) / 1024).toFixed(1)} KB body: revisions off p50 ${percentile(times.off, 50).toFixed(1)} ms p99 ${percentile(times.off, 99).toFixed(1)} ms; ` +
        `on p50 ${percentile(times.on, 50).toFixed(1)} ms p99 ${percentile(times.on, 99).toFixed(1)} ms; p99 ratio ${(percentile(times.on, 99) / percentile(times.off, 99)).toFixed(2)}x`,
    );
    const stored = (await db.query("SELECT content FROM article_revisions")).map((r) => String(r.content));
    const json = stored.map((c) =>
      c.startsWith("br:") ? zlib.brotliDecompressSync(Buffer.from(c.slice(3), "base64")).toString("utf8") : c,
    );
    const avg = (xs: string[]) => xs.reduce((n, c) => n + Buffer.byteLength(c), 0) / xs.length / 1024;
    log(
      `${stored.length} revisions: ${avg(json).toFixed(2)} KB each as JSON, ${avg(stored).toFixed(2)} KB as stored ` +
        `(Brotli and base64 where smaller: ${((100 * avg(stored)) / avg(json)).toFixed(0)}%; ${stored.filter((c) => c.startsWith("br:")).length} compressed)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
