import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createConnection } from "mysql2/promise";
import { sphinxConfig } from "../src/search/engine/sphinx";
import { freePort } from "./processes";

/**
 * A private Sphinx searchd (Debian's `sphinxsearch`) on its own port and directory, with the
 * indexes `courant search config` prints. Never a shared one. Used by the test suite
 * (tests/e2e/search.e2e.test.ts, search-engine.e2e.test.ts) and bench/scale.ts.
 */
export class PrivateSearchd {
  private child?: ChildProcess;
  private output = "";
  readonly dir: string;

  private constructor(
    readonly port: number,
    dir?: string,
  ) {
    this.dir = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "courant-searchd-"));
  }

  static available(): boolean {
    return spawnSync("sh", ["-c", "command -v searchd"]).status === 0;
  }

  /** Starts one; `dir` keeps the indexes somewhere chosen (the bench's big archive). */
  static async start(options: { dir?: string; memLimitMb?: number } = {}): Promise<PrivateSearchd> {
    const s = new PrivateSearchd(await freePort(), options.dir);
    fs.mkdirSync(s.dir, { recursive: true });
    fs.writeFileSync(
      path.join(s.dir, "sphinx.conf"),
      sphinxConfig({ dir: s.dir, port: s.port, memLimitMb: options.memLimitMb ?? 64 }),
    );
    await s.start();
    return s;
  }

  /** SEARCH_ENGINE_URL for a gateway. */
  get url(): string {
    return `sphinx://127.0.0.1:${this.port}`;
  }

  /** Starts (again, after stop(), with the indexes it had). */
  async start(): Promise<void> {
    this.output = "";
    const child = spawn("searchd", ["--config", path.join(this.dir, "sphinx.conf"), "--nodetach"], {
      cwd: this.dir,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (d) => (this.output += d));
    child.stderr?.on("data", (d) => (this.output += d));
    this.child = child;
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) break;
      if (await this.answers()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    const log = fs.existsSync(path.join(this.dir, "searchd.log"))
      ? fs.readFileSync(path.join(this.dir, "searchd.log"), "utf8")
      : "";
    await this.stop();
    throw new Error(`private searchd did not come up:\n${this.output}\n${log}`.slice(0, 4000));
  }

  private async answers(): Promise<boolean> {
    try {
      const c = await createConnection({ host: "127.0.0.1", port: this.port, connectTimeout: 500 });
      try {
        await c.query("SHOW TABLES");
        return true;
      } finally {
        c.destroy();
      }
    } catch {
      return false;
    }
  }

  /** Stops it abruptly (an outage); start() brings it back with what it had written. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
