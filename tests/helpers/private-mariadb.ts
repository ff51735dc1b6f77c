import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A throwaway MariaDB server on its own port and data directory, for drills that kill it. Never the shared one. */
export class PrivateMariaDb {
  private child?: ChildProcess;
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-mariadb-"));

  private constructor(readonly port: number) {}

  static available(): boolean {
    return fs.existsSync("/usr/sbin/mariadbd") && spawnSync("which", ["mariadb-install-db"]).status === 0;
  }

  static async create(): Promise<PrivateMariaDb> {
    const port = await freePort();
    const db = new PrivateMariaDb(port);
    const r = spawnSync("mariadb-install-db", [
      "--no-defaults",
      `--datadir=${path.join(db.dir, "data")}`,
      "--user=root",
      "--auth-root-authentication-method=normal",
      "--skip-test-db",
    ]);
    if (r.status !== 0) throw new Error(`mariadb-install-db failed: ${r.stderr}`);
    return db;
  }

  get url(): string {
    return `mysql://root@127.0.0.1:${this.port}/drill`;
  }

  get running(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.child = spawn(
      "/usr/sbin/mariadbd",
      [
        "--no-defaults",
        `--datadir=${path.join(this.dir, "data")}`,
        "--user=root",
        `--port=${this.port}`,
        "--bind-address=127.0.0.1",
        `--socket=${path.join(this.dir, "sock")}`,
        `--pid-file=${path.join(this.dir, "pid")}`,
        "--skip-log-bin",
        "--innodb-buffer-pool-size=32M",
      ],
      { stdio: "ignore" },
    );
    for (let i = 0; i < 150; i++) {
      if (await canConnect(this.port)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const mysql = await import("mysql2/promise");
    for (let i = 0; i < 50; i++) {
      try {
        const c = await mysql.createConnection({ host: "127.0.0.1", port: this.port, user: "root" });
        await c.query("CREATE DATABASE IF NOT EXISTS drill CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
        await c.end();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error("private MariaDB did not come up");
  }

  /** SIGKILL: the database vanishes mid-flight, as in a crash. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGKILL");
    });
  }

  async destroy(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}
