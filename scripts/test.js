#!/usr/bin/env node
"use strict";
// `npm test`: the whole suite on SQLite, and on MySQL too when one answers at MYSQL_TEST_URL.
// Says plainly when the MySQL half is skipped; REQUIRE_MYSQL=1 turns that into a failure.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const mysql = require("mysql2/promise");

const url = process.env.MYSQL_TEST_URL || "mysql://root@127.0.0.1:3306/courant_test";

async function mysqlAnswers() {
  try {
    const u = new URL(url);
    const conn = await mysql.createConnection({
      host: u.hostname,
      port: Number(u.port || 3306),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      connectTimeout: 3000,
    });
    await conn.query("SELECT 1");
    await conn.end();
    return true;
  } catch (err) {
    console.log(`MySQL at ${url.replace(/\/\/[^@]*@/, "//***@")} does not answer: ${err.code || err.message}`);
    return false;
  }
}

(async () => {
  const env = { ...process.env };
  if (await mysqlAnswers()) {
    env.COURANT_TEST_MYSQL_URL = url;
    console.log("Running the suite against SQLite and MySQL.");
  } else if (process.env.REQUIRE_MYSQL === "1") {
    console.error("REQUIRE_MYSQL=1 but MySQL does not answer: failing the run.");
    process.exit(1);
  } else {
    delete env.COURANT_TEST_MYSQL_URL;
    console.log(
      "SKIPPED the MySQL half of the suite: no MySQL answers at MYSQL_TEST_URL. Running against SQLite only.",
    );
  }
  // The CLI tests run the built command, as users do: build first (incremental, quick when fresh).
  const build = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    stdio: "inherit",
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  const jest = require.resolve("jest/bin/jest");
  const summary = path.join(os.tmpdir(), `courant-jest-${process.pid}.json`);
  const result = spawnSync(process.execPath, [jest, "--json", `--outputFile=${summary}`, ...process.argv.slice(2)], {
    stdio: "inherit",
    env,
  });
  try {
    const r = JSON.parse(fs.readFileSync(summary, "utf8"));
    fs.rmSync(summary, { force: true });
    console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  } catch {
    console.log("tests: the runner wrote no summary");
  }
  process.exit(result.status ?? 1);
})();
