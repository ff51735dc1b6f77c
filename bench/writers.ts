/**
 * Concurrent writers against one gateway, on a fresh database each run:
 *
 *   npm run build && node dist/bench/writers.js [--writers 8] [--seconds 10]
 *
 * DATABASE_URL names the server (default mysql://root@127.0.0.1:3306); a database
 * `courant_writers_<pid>` is made there and dropped afterwards. `sqlite:` URLs work too.
 * Prints the writes acknowledged per second, failures by code, and the transaction retries
 * the gateway counted in /metrics (deadlocks the database chose a victim for, and retried).
 */
import { failureCodes, falseConflicts, retriesFromMetrics, runWritersDrill } from "./writers-drill";
import { flag, freePort, startChild } from "./processes";
import { BIN, scratchDatabase } from "./scratch";

async function main() {
  const writers = flag("writers", 8);
  const seconds = flag("seconds", 10);
  const db = await scratchDatabase("writers", "mysql://root@127.0.0.1:3306");
  const url = db.url;
  const env = { DATABASE_URL: url, LOG_LEVEL: "warn" };
  const cli = db.cli;
  try {
    cli(["migrate"]);
    cli(["seed", "--demo"]);
    const key = cli(["api-key", "create", "--role", "editor", "--name", "writers-bench"]).split("\n").pop()!;
    const port = await freePort();
    const gateway = await startChild(
      "gateway",
      BIN,
      ["serve"],
      {
        ...env,
        PORT: String(port),
        RATE_LIMIT_KEY_QUERIES_PER_MINUTE: "1000000",
        RATE_LIMIT_QUERIES_PER_MINUTE: "1000000",
      },
      port,
      "/readyz",
    );
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a GraphQL answer, checked by use
      const ids: any = await (
        await fetch(`${gateway.url}/graphql`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ query: "{ sections { id } authors(first: 1) { nodes { id } } }" }),
        })
      ).json();
      const sectionId = ids.data.sections[0].id;
      const authorIds = [ids.data.authors.nodes[0].id];
      console.log(`[writers] ${writers} writers for ${seconds} s on ${url.replace(/\/\/[^@]*@/, "//")}`);
      const r = await runWritersDrill({ url: gateway.url, key, sectionId, authorIds }, { writers, seconds });
      const retries = await retriesFromMetrics(gateway.url);
      console.log(
        `[writers] acknowledged ${r.acked.length} writes (${(r.acked.length / seconds).toFixed(0)}/s) of ${r.requests} requests`,
      );
      console.log(`[writers] failures by code: ${JSON.stringify(failureCodes(r))}`);
      console.log(`[writers] false conflicts: ${falseConflicts(r).length}`);
      const twice = r.idempotentPairs.filter(([a, b]) => a !== b).length;
      console.log(
        `[writers] creates sent twice with one client mutation id: ${r.idempotentPairs.length}, of which made two articles: ${twice}`,
      );
      console.log(`[writers] transaction retries (from /metrics): ${JSON.stringify(retries)}`);
      const unexpected = gateway
        .output()
        .split("\n")
        .filter((l) => l.includes("unexpected error"));
      if (unexpected.length) console.log(`[writers] the gateway's last unexpected error:\n${unexpected.pop()}`);
    } finally {
      await gateway.stop();
    }
  } finally {
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
