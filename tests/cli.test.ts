import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DATABASES, freshDatabase } from "./helpers/databases";
import { post, runCli, serve } from "./helpers/cli";

describe("courant command: settings", () => {
  it("stops at start with one line per invalid setting and a non-zero exit", () => {
    const r = runCli(["serve"], {
      DATABASE_URL: "postgres://x/y",
      PORT: "eighty",
      SITE_LANGAUGES: "nl",
      PUBLIC_SITE_URL: "ftp://x",
    });
    expect(r.status).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^courant: DATABASE_URL: must be sqlite:PATH or mysql:\/\//),
        expect.stringMatching(/^courant: PORT: /),
        expect.stringMatching(/^courant: SITE_LANGAUGES: unknown setting$/),
        expect.stringMatching(/^courant: PUBLIC_SITE_URL: /),
      ]),
    );
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it("refuses a default language outside the site's languages", () => {
    const r = runCli(["migrate"], { SITE_LANGUAGES: "nl,en", SITE_DEFAULT_LANGUAGE: "de" });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("courant: SITE_DEFAULT_LANGUAGE: de is not one of SITE_LANGUAGES");
  });

  it("says in one line when the database cannot be reached", () => {
    const r = runCli(["migrate"], { DATABASE_URL: "mysql://root@127.0.0.1:1/nowhere" });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^courant: /);
  });
});

describe("first start of the embedded default", () => {
  it("creates, migrates and fills ./data/courant.sqlite, then serves the demo article", async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "courant-first-start-"));
    try {
      const server = await serve({}, cwd);
      try {
        expect(fs.existsSync(path.join(cwd, "data", "courant.sqlite"))).toBe(true);
        const res = await post(
          server.url,
          `{ article(slug: "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen", language: "nl") { title byline section { name } disclaimer } }`,
        );
        expect(res.body.data.article).toEqual({
          title: "Moskou roept Baku en Yerevan op om te onderhandelen",
          byline: "Alex Ivanov, Moscow correspondent",
          section: { name: "EU" },
          disclaimer: expect.stringMatching(/^EU Reporter publiceert artikelen uit verschillende externe bronnen/),
        });
      } finally {
        expect(await server.stop()).toBe(0);
      }
      // A second start finds the data in place and does not seed twice.
      const again = await serve({}, cwd);
      try {
        const res = await post(again.url, `{ articles(filter: { language: "nl" }) { totalCount } }`);
        expect(res.body.data.articles.totalCount).toBeGreaterThan(0);
        const count = res.body.data.articles.totalCount;
        const res2 = await post(again.url, `{ articles(filter: { language: "nl" }) { totalCount } }`);
        expect(res2.body.data.articles.totalCount).toBe(count);
        expect(again.output()).not.toContain("loaded the demo content");
      } finally {
        await again.stop();
      }
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe.each(DATABASES)("courant migrate and seed on %s", (kind) => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase(kind);
  });
  afterAll(() => db?.drop());

  it("applies migrations once, loads the demo idempotently, seeds bench data, and serves it", async () => {
    const env = { DATABASE_URL: db.url };
    expect(runCli(["seed", "--demo"], env)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining("pending migrations"),
    });
    const first = runCli(["migrate"], env);
    expect(first).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^applied \d+ migration\(s\): InitialContent/),
    });
    // Each migration is shown on stderr as it runs, with how long it took.
    expect(first.stderr).toMatch(/^\[1\/\d+\] InitialContent1764230400000 \.\.\. done in \d+(\.\d)? m?s$/m);
    expect(first.stderr).toMatch(/^migrations finished in \d+(\.\d)? m?s$/m);
    expect(runCli(["migrate"], env)).toMatchObject({ status: 0, stdout: "no pending migrations\n" });

    const demo1 = runCli(["seed", "--demo"], env);
    expect(demo1.status).toBe(0);
    const created = Number(/(\d+) articles created/.exec(demo1.stdout)?.[1]);
    expect(created).toBeGreaterThan(10);
    const demo2 = runCli(["seed", "--demo"], env);
    expect(demo2.stdout).toContain(`0 articles created, ${created} updated`);

    const bench = runCli(["seed", "--bench", "--articles", "300", "--seed", "7"], env);
    expect(bench.status).toBe(0);
    expect(bench.stdout).toMatch(/bench data: 300 articles, 20 sections, 200 authors, 500 tags/);
    expect(runCli(["seed", "--bench", "--articles", "300", "--seed", "7"], env).stdout).toContain("already present");
    expect(runCli(["seed"], env)).toMatchObject({ status: 2 });
    expect(runCli(["seed", "--bench", "--articles", "zero"], env)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining("--articles"),
    });

    const keyCreated = runCli(["api-key", "create", "--role", "editor", "--name", "desk"], env);
    expect(keyCreated.status).toBe(0);
    const key = keyCreated.stdout.trim().split("\n").pop()!;
    expect(key).toMatch(/^courant_[A-Za-z0-9_-]{43}$/);
    expect(runCli(["api-key", "create", "--role", "editor", "--name", "desk"], env).status).toBe(1);
    expect(runCli(["api-key", "create", "--role", "owner", "--name", "x"], env).status).toBe(2);
    const listed = runCli(["api-key", "list"], env).stdout;
    expect(listed).toMatch(/^desk\teditor\tcreated /m);
    expect(listed).not.toContain(key);

    const server = await serve({ ...env, SEED_DEMO_ON_START: "false" });
    try {
      const res = await post(
        server.url,
        `{ demo: article(slug: "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen", language: "nl") { title }
           feed: articles(first: 100) { totalCount nodes { title } } }`,
      );
      expect(res.body.data.demo.title).toBe("Moskou roept Baku en Yerevan op om te onderhandelen");
      // Demo plus bench minus the bench set's drafts and scheduled articles.
      expect(res.body.data.feed.totalCount).toBeGreaterThan(created + 250);
      expect(JSON.stringify(res.body.data.feed)).not.toMatch(/DRAFT:|SCHEDULED:|DELETED:|ARCHIVED:/);
      // connection: close, since the synchronous CLI call below blocks this process: a socket kept
      // alive meanwhile may be closed by the server unseen, and the next fetch would reuse it.
      const asEditor = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}`, connection: "close" },
        body: JSON.stringify({ query: "{ site { name } }" }),
      });
      expect(asEditor.status).toBe(200);
      expect(runCli(["api-key", "revoke", "desk"], env).stdout).toContain('revoked "desk"');
      const revoked = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: "{ site { name } }" }),
      });
      expect(revoked.status).toBe(401);
    } finally {
      await server.stop();
    }
  }, 180_000); // a dozen CLI runs, each starting Node and connecting; over a minute under the full suite on 2 cores
});
