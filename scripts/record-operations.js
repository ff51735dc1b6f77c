#!/usr/bin/env node
"use strict";
// Records every GraphQL operation the test suite sends (tests/helpers/gateway.ts `gql`) into
// tests/fixtures/operations.jsonl, deduplicated, for the executor differential test.
//   node scripts/record-operations.js            (SQLite only is enough: the operations are the same)
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const raw = path.join(os.tmpdir(), `courant-operations-${process.pid}.jsonl`);
fs.rmSync(raw, { force: true });
const env = { ...process.env, COURANT_RECORD_OPERATIONS: raw };
delete env.COURANT_TEST_MYSQL_URL;
const jest = require.resolve("jest/bin/jest");
const run = spawnSync(process.execPath, [jest, "--testPathIgnorePatterns", "executors", ...process.argv.slice(2)], {
  stdio: "inherit",
  env,
});
const seen = new Set();
const out = [];
for (const line of fs.readFileSync(raw, "utf8").split("\n")) {
  if (!line) continue;
  const op = JSON.parse(line);
  // Huge generated documents (bodies of megabytes, 400 fields) are the hardening tests' business.
  if (line.length > 20_000) continue;
  if (seen.has(line)) continue;
  seen.add(line);
  out.push(op);
}
fs.rmSync(raw, { force: true });
const target = path.join(__dirname, "..", "tests", "fixtures", "operations.jsonl");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, out.map((o) => JSON.stringify(o)).join("\n") + "\n");
console.log(`recorded ${out.length} distinct operations into ${path.relative(process.cwd(), target)}`);
process.exit(run.status ?? 1);
