import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { freePort } from "./processes";

// From bench/ (ts-jest) or dist/bench/ (built): the project's deploy/ folder either way.
const ROOT = fs.existsSync(path.join(__dirname, "..", "deploy"))
  ? path.join(__dirname, "..")
  : path.join(__dirname, "..", "..");
const VCL = path.join(ROOT, "deploy", "varnish.vcl");
const VARNISHD = "/usr/sbin/varnishd";

/**
 * A private varnishd on its own port and working directory, in front of one test gateway, with
 * the VCL the project ships (deploy/varnish.vcl), its backend pointed at the gateway. Never a shared
 * one. Used by the test suite (tests/e2e/varnish.e2e.test.ts) and bench/freshness.ts.
 */
export class PrivateVarnish {
  private child?: ChildProcess;
  private output = "";
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-varnish-"));
  private constructor(readonly port: number) {}

  static available(): boolean {
    if (!fs.existsSync(VARNISHD)) return false;
    // xkey comes with varnish-modules.
    const vmods = spawnSync("sh", [
      "-c",
      "ls /usr/lib/*/varnish/vmods/libvmod_xkey.so /usr/lib/varnish/vmods/libvmod_xkey.so 2>/dev/null",
    ]);
    return String(vmods.stdout).trim().length > 0;
  }

  /** A port for a Varnish started later (the gateway is told where to purge before Varnish knows the gateway). */
  static freePort = freePort;

  static async start(backend: { host: string; port: number }, port?: number): Promise<PrivateVarnish> {
    const v = new PrivateVarnish(port ?? (await freePort()));
    const vcl = fs
      .readFileSync(VCL, "utf8")
      .replace(/\.host = "[^"]*";/, `.host = "${backend.host}";`)
      .replace(/\.port = "[^"]*";/, `.port = "${backend.port}";`);
    const file = path.join(v.dir, "courant.vcl");
    // varnishd reads the VCL after dropping root for its own user: the folder and file must be readable.
    fs.chmodSync(v.dir, 0o755);
    fs.writeFileSync(file, vcl, { mode: 0o644 });
    v.child = spawn(
      VARNISHD,
      ["-F", "-a", `127.0.0.1:${v.port}`, "-f", file, "-n", path.join(v.dir, "work"), "-s", "malloc,64m", "-T", "none"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    v.child.stdout!.on("data", (d) => (v.output += d));
    v.child.stderr!.on("data", (d) => (v.output += d));
    for (let i = 0; i < 200; i++) {
      if (v.child.exitCode !== null) throw new Error(`varnishd exited: ${v.output}`);
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(v.port, "127.0.0.1", () => {
          s.end();
          resolve(true);
        });
        s.on("error", () => resolve(false));
      });
      if (up) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`varnishd did not come up: ${v.output}`);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      });
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
