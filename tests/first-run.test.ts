import { execFile, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { COURANT_BIN, cleanEnv, serve } from "./helpers/cli";

/** util-linux `script` gives the command a pseudo-terminal, as a person's shell would. */
const hasScript = spawnSync("which", ["script"]).status === 0;
if (!hasScript && !process.env.CI)
  console.warn("SKIPPED the terminal first-run test: `script` (util-linux) is missing");

// eslint-disable-next-line no-control-regex -- ANSI colour codes start with ESC
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");

(hasScript || process.env.CI ? describe : describe.skip)("first run at a terminal", () => {
  it("prints readable log lines and a banner with the playground URL, the database, the content and a curl to try", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "courant-tty-"));
    const child = spawn("script", ["-qefc", `${process.execPath} ${COURANT_BIN} serve`, "/dev/null"], {
      cwd,
      env: ttyEnv(),
      detached: true,
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    try {
      const started = Date.now();
      while (!/Try\s+curl/.test(stripAnsi(out))) {
        if (child.exitCode !== null || Date.now() - started > 60_000) throw new Error(`no banner: ${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const text = stripAnsi(out);
      const url = /Playground\s+(http:\/\/127\.0\.0\.1:\d+\/graphql)/.exec(text)?.[1];
      expect(url).toBeDefined();
      expect(text).toMatch(/Courant is serving EU Reporter/);
      expect(text).toMatch(/Database\s+SQLite, \.\/data\/courant\.sqlite/);
      expect(text).toMatch(/Content\s+the built-in demo publication \(\d+ articles\), loaded into the empty database/);
      // Readable lines, not JSON objects: a time, a level and the message.
      expect(text).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: loaded the demo content into an empty database/m);
      expect(text.split("\n").filter((l) => l.trim().startsWith('{"level"'))).toEqual([]);

      // The banner's curl works as printed.
      const curl = /Try\s+(curl .+)$/m.exec(text)![1]!;
      const r = spawnSync("sh", ["-c", curl], { encoding: "utf8" });
      const answer = JSON.parse(r.stdout);
      expect(answer.data.articles.nodes).toHaveLength(3);
      // And the request shows up as a readable line with its request id.
      const until = Date.now() + 10_000;
      while (!/INFO: graphql request/.test(stripAnsi(out)) && Date.now() < until)
        await new Promise((r) => setTimeout(r, 100));
      expect(stripAnsi(out)).toMatch(/INFO: graphql request \{.*"requestId":/);
    } finally {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });

  function ttyEnv() {
    return { ...cleanEnv({ LOG_LEVEL: "info", PORT: "0" }), TERM: "xterm" };
  }
});

describe("first run with output piped", () => {
  it("writes JSON lines as before, and no banner", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "courant-piped-"));
    try {
      const server = await serve({}, cwd);
      const out = await (async () => {
        await server.stop();
        return server.output();
      })();
      const lines = out.trim().split("\n");
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) expect(JSON.parse(line)).toHaveProperty("level");
      expect(out).not.toMatch(/Playground/);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe("courant --help", () => {
  const help = (args: string[]) =>
    new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [COURANT_BIN, ...args, "--help"], { env: cleanEnv({}) }, (err, stdout) =>
        err ? reject(err) : resolve(stdout),
      ),
    );

  /** Every command path and its help, found from the help itself (so a new command is covered), in parallel. */
  const walk = async (args: string[]): Promise<Array<[string[], string]>> => {
    const text = await help(args);
    const section = /\nCommands:\n([\s\S]*?)(\n\n|$)/.exec(text)?.[1] ?? "";
    const names = [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((n) => n !== "help");
    const below = await Promise.all(names.map((n) => walk([...args, n])));
    return [[args, text], ...below.flat()];
  };

  it("lists every option of every command with an example that uses it", async () => {
    const commands = await walk([]);
    expect(commands.map(([c]) => c.join(" "))).toEqual(
      expect.arrayContaining(["serve", "migrate", "seed", "api-key create", "import wordpress"]),
    );
    for (const [command, text] of commands) {
      const [usage, examples] = text.split("\nExamples:\n");
      expect({ command, examples: examples !== undefined }).toEqual({ command, examples: true });
      const options = [...usage!.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)]
        .map((m) => m[1]!)
        .filter((o) => o !== "--help");
      for (const option of options)
        expect({ command, option, shown: examples!.includes(option) }).toMatchObject({ shown: true });
      expect(examples).toMatch(/courant /);
    }
  });
});
