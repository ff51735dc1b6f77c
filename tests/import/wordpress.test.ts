import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ContentEvents, type ContentChange } from "../../src/events";
import { importWordpress } from "../../src/import/wordpress/wordpress.importer";
import { openMysqlReader } from "../../src/import/wordpress/wordpress.mysql";
import { cleanEnv, COURANT_BIN, runCli } from "../helpers/cli";
import { DATABASES, freshDatabase } from "../helpers/databases";
import { startGateway, type TestGateway } from "../helpers/gateway";
import { createWordpressFixture, UPLOADS, type WordpressFixture } from "./wordpress.fixture";

/** The WordPress source is always MariaDB; without one only the export-file half runs. */
const MYSQL = process.env.COURANT_TEST_MYSQL_URL;
const withWordpressDb = MYSQL ? describe : describe.skip;

const SITE = { SITE_LANGUAGES: "nl,en,de", SITE_DEFAULT_LANGUAGE: "en" };
const FIXTURES = path.join(__dirname, "fixtures");

const ARTICLE = `
  id slug title standfirst language status publishedAt updatedAt
  section { slug name parent { slug parent { slug } } }
  authors { slug name bio }
  tags { slug name }
  heroImage { url alt caption width height }
  body { html text blocks { __typename ... on ImageBlock { image { url caption } } ... on EmbedBlock { provider url } } }
  translations { language title }
`;

function importCli(gw: TestGateway, args: string[]) {
  return runCli(["import", "wordpress", ...args], { DATABASE_URL: gw.courant.deps.config.databaseUrl, ...SITE });
}

async function articleRows(gw: TestGateway): Promise<Array<{ id: number; slug: string; language: string }>> {
  return gw.ds.query("SELECT id, slug, language FROM articles ORDER BY id");
}

withWordpressDb.each(DATABASES)("import wordpress --from a MariaDB WordPress database into %s", (kind) => {
  let wp: WordpressFixture;
  let gw: TestGateway;
  let first: ReturnType<typeof runCli>;

  beforeAll(async () => {
    wp = await createWordpressFixture(MYSQL!);
    gw = await startGateway(kind, { env: SITE });
    first = importCli(gw, ["--from", wp.url]);
  });
  afterAll(async () => {
    await gw?.close();
    await wp?.drop();
  });

  const nl = async () =>
    (await gw.gql(`{ article(slug: "brussel-zet-2-miljard-opzij", language: "nl") { ${ARTICLE} } }`)).body.data.article;
  const en = async () =>
    (await gw.gql(`{ article(slug: "brussels-sets-aside-2-billion", language: "en") { ${ARTICLE} } }`)).body.data
      .article;

  it("imports, and says on stdout what it imported and what it skipped and why", () => {
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`imported from wordpress:${new URL(wp.url).host}/${wp.database}/wp_`);
    // 10, 11 public; 12 draft; 17 private; 13 scheduled. 14 (French), 15 (broken), 16 (trash) skipped.
    expect(first.stdout).toMatch(/posts: 5 imported, 0 updated, 0 unchanged, 0 deleted, 3 skipped/);
    expect(first.stdout).toMatch(/sections: 4 imported/);
    expect(first.stdout).toMatch(/authors: 2 imported/);
    expect(first.stdout).toMatch(/skipped post 14 "Bruxelles met de côté 2 milliards": language "fr" is not one of/);
    expect(first.stdout).toMatch(/skipped post 15 "Broken post": is "publish" but has no valid date/);
    expect(first.stdout).toMatch(/skipped post 16 "Old rubbish": in the WordPress trash/);
  });

  it("brings a post's WordPress revisions in as its first revisions, so its history survives the move", async () => {
    const editor = {
      authorization: `Bearer ${await gw.courant.deps.services.auth.create(`history-${kind}`, "editor")}`,
    };
    const res = await gw.gql(
      `{ article(slug: "brussel-zet-2-miljard-opzij", language: "nl") { version revisions { totalCount nodes { version savedBy title status } } } }`,
      undefined,
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    const a = res.body.data.article;
    expect(a.version).toBe(2);
    expect(a.revisions.nodes).toEqual([
      { version: 2, savedBy: "import", title: "Brussel zet €2 miljard opzij & test Ünïcode 🚀", status: "PUBLISHED" },
      { version: 1, savedBy: "import", title: "Brussel (revision)", status: "DRAFT" },
    ]);
  });

  it("serves the published posts with their dates, section, author, tags and hero image", async () => {
    const a = await nl();
    expect(a).toMatchObject({
      title: "Brussel zet €2 miljard opzij & test Ünïcode 🚀",
      standfirst: "Een samenvatting.",
      language: "nl",
      status: "PUBLISHED",
      publishedAt: "2024-03-01T09:00:00.000Z",
      updatedAt: "2024-03-01T09:00:00.000Z",
      // The most specific of its categories (Benelux, Europe), with the hierarchy above it.
      section: { slug: "benelux", name: "Benelux", parent: { slug: "europe", parent: { slug: "world" } } },
      authors: [{ slug: "jan-de-vries", name: "Jan de Vries", bio: "Correspondent in Brussel." }],
      heroImage: {
        url: `${UPLOADS}/brussels.jpg`,
        alt: "Berlaymont building",
        caption: "The Berlaymont, seat of the Commission",
        width: 1200,
        height: 800,
      },
    });
    expect(a.tags.map((t: { slug: string }) => t.slug).sort()).toEqual(["politics", "zurich"]);
    expect(a.tags.find((t: { slug: string }) => t.slug === "zurich").name).toBe("Zürich");
  });

  it("cleans Gutenberg bodies: no block comments, embeds as players, no script", async () => {
    const { html, text, blocks } = (await nl()).body;
    expect(html).not.toMatch(/<!--|wp:|<script|onclick|latest-posts|class=/);
    expect(html).toContain("<h2>Wat betekent dit?</h2>");
    expect(text).toContain("Ünïcode: Zürich, Łódź, 東京, 🚀");
    expect(blocks).toContainEqual({
      __typename: "EmbedBlock",
      provider: "youtube",
      url: "https://www.youtube.com/embed/dQw4w9WgXcQ",
    });
    expect(blocks).toContainEqual({
      __typename: "ImageBlock",
      image: { url: `${UPLOADS}/map.png`, caption: "De kaart" },
    });
  });

  it("turns classic paragraphs and shortcodes into HTML", async () => {
    const { html, blocks } = (await en()).body;
    expect(html).toMatch(/^<p>The European Commission has set aside €2 billion\. Accents: café, naïve\.<\/p>/);
    expect(html).toContain("<p>A second paragraph<br />\nwith a line break.</p>");
    expect(html).not.toMatch(/\[(caption|embed|gallery|contact-form-7)|<script|document\.cookie/);
    const images = blocks.filter((b: { __typename: string }) => b.__typename === "ImageBlock");
    expect(images).toEqual([
      // [caption] and the two images of [gallery ids="20,21"], with their attachment captions.
      {
        __typename: "ImageBlock",
        image: { url: `${UPLOADS}/brussels.jpg`, caption: "The Berlaymont, seat of the Commission" },
      },
      {
        __typename: "ImageBlock",
        image: { url: `${UPLOADS}/brussels.jpg`, caption: "The Berlaymont, seat of the Commission" },
      },
      { __typename: "ImageBlock", image: { url: `${UPLOADS}/map.png`, caption: "De kaart" } },
    ]);
    expect(blocks).toContainEqual({
      __typename: "EmbedBlock",
      provider: "vimeo",
      url: "https://player.vimeo.com/video/76979871",
    });
  });

  it("links the Polylang translations as language versions of one story", async () => {
    expect((await nl()).translations).toEqual([{ language: "en", title: "Brussels sets aside €2 billion" }]);
    expect((await en()).translations).toEqual([
      { language: "nl", title: "Brussel zet €2 miljard opzij & test Ünïcode 🚀" },
    ]);
    const keys: Array<{ story_key: string }> = await gw.ds.query(
      "SELECT DISTINCT story_key FROM articles WHERE slug IN ('brussel-zet-2-miljard-opzij', 'brussels-sets-aside-2-billion')",
    );
    expect(keys).toHaveLength(1);
  });

  it("keeps drafts and private posts invisible, and scheduled posts until their moment", async () => {
    const count = async () =>
      (await gw.gql(`{ articles(filter: { language: "en" }) { totalCount nodes { slug } } }`)).body.data.articles;
    expect((await count()).nodes).toEqual([{ slug: "brussels-sets-aside-2-billion" }]);
    expect(
      (await gw.gql(`{ article(slug: "draft-in-progress", language: "en") { id } }`)).body.data.article,
    ).toBeNull();
    expect((await gw.gql(`{ article(slug: "private-note", language: "en") { id } }`)).body.data.article).toBeNull();
    const rows: Array<{ slug: string; status: string; published_at: unknown }> = await gw.ds.query(
      "SELECT slug, status, published_at FROM articles WHERE slug IN ('draft-in-progress', 'private-note', 'scheduled-story') ORDER BY slug",
    );
    expect(rows.map((r) => [r.slug, r.status, r.published_at === null])).toEqual([
      ["draft-in-progress", "draft", true],
      ["private-note", "draft", true],
      ["scheduled-story", "scheduled", false],
    ]);
    const before = gw.clock.now;
    try {
      gw.clock.now = new Date("2026-07-01T08:00:01Z");
      expect((await count()).nodes.map((n: { slug: string }) => n.slug)).toEqual([
        "scheduled-story",
        "brussels-sets-aside-2-billion",
      ]);
    } finally {
      gw.clock.now = before;
    }
  });

  it("imports the category tree as sections and only the people who wrote posts as authors", async () => {
    const { sections } = (await gw.gql(`{ sections { slug name description parent { slug } } }`)).body.data;
    expect(sections).toEqual(
      expect.arrayContaining([
        { slug: "world", name: "World", description: "News from everywhere", parent: null },
        { slug: "europe", name: "Europe", description: null, parent: { slug: "world" } },
        { slug: "benelux", name: "Benelux", description: null, parent: { slug: "europe" } },
      ]),
    );
    const authors: Array<{ slug: string; name: string; email: string; bio: string }> = await gw.ds.query(
      "SELECT slug, name, email, bio FROM authors ORDER BY slug",
    );
    expect(authors).toEqual([
      { slug: "amelie-dubois", name: "Amélie Dubois", email: "amelie@example.com", bio: "Europe editor & author." },
      { slug: "jan-de-vries", name: "Jan de Vries", email: "jan@example.com", bio: "Correspondent in Brussel." },
    ]);
    // The e-mail stays private: the public Author type has no field for it.
    const res = await gw.gql(`{ author(slug: "jan-de-vries") { email } }`);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
  });

  it("imports again without duplicates, keeping every id", async () => {
    const before = await articleRows(gw);
    const mappings = await gw.ds.query(
      "SELECT kind, external_id, local_id FROM import_sources ORDER BY kind, external_id",
    );
    const again = importCli(gw, ["--from", wp.url]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/posts: 0 imported, 0 updated, 5 unchanged, 0 deleted, 3 skipped/);
    expect(again.stdout).toMatch(/sections: 0 imported, 0 updated; tags: 0 imported, 0 updated; authors: 0 imported/);
    expect(await articleRows(gw)).toEqual(before);
    expect(
      await gw.ds.query("SELECT kind, external_id, local_id FROM import_sources ORDER BY kind, external_id"),
    ).toEqual(mappings);
  });

  it("updates a post changed in WordPress in place, and announces it inside the server", async () => {
    const id = (await en()).id;
    await wp.query(
      "UPDATE wp_posts SET post_title = 'Brussels sets aside €2.5 billion', post_modified_gmt = '2024-03-05 10:00:00' WHERE ID = 11",
    );
    const again = importCli(gw, ["--from", wp.url]);
    expect(again.stdout).toMatch(/posts: 0 imported, 1 updated, 4 unchanged/);
    const updated = await en();
    expect(updated).toMatchObject({
      id,
      title: "Brussels sets aside €2.5 billion",
      updatedAt: "2024-03-05T10:00:00.000Z",
    });
    expect(updated.translations).toEqual([{ language: "nl", title: expect.stringMatching(/^Brussel zet/) }]);

    // In-process, as the server would run it: the change goes out through ContentEvents.
    await wp.query(
      "UPDATE wp_posts SET post_title = 'Brussel zet €2,5 miljard opzij', post_modified_gmt = '2024-03-05 11:00:00' WHERE ID = 10",
    );
    const events = gw.courant.deps.events as ContentEvents;
    const seen: ContentChange[] = [];
    const off = events.onChange((c) => seen.push(c));
    const reader = await openMysqlReader(wp.url, "wp_");
    try {
      const summary = await importWordpress(gw.ds, reader, {
        languages: ["nl", "en", "de"],
        defaultLanguage: "en",
        events,
      });
      expect(summary.posts).toMatchObject({ imported: 0, updated: 1 });
    } finally {
      off();
      await reader.close();
    }
    const nlId = Number(
      Buffer.from((await nl()).id, "base64url")
        .toString()
        .split(":")[1],
    );
    expect(seen).toContainEqual(expect.objectContaining({ kind: "article", articleIds: [nlId], languages: ["nl"] }));
  });

  it("soft-deletes imported posts that went to the trash or were deleted in WordPress", async () => {
    await wp.query(
      "UPDATE wp_posts SET post_status = 'trash', post_modified_gmt = '2024-03-06 10:00:00' WHERE ID = 17",
    );
    await wp.query("DELETE FROM wp_posts WHERE ID = 13");
    const again = importCli(gw, ["--from", wp.url]);
    expect(again.stdout).toMatch(/posts: 0 imported, 0 updated, 3 unchanged, 2 deleted, 3 skipped/);
    const rows: Array<{ slug: string; deleted_at: unknown }> = await gw.ds.query(
      "SELECT slug, deleted_at FROM articles WHERE slug IN ('private-note', 'scheduled-story') ORDER BY slug",
    );
    expect(rows.map((r) => [r.slug, r.deleted_at !== null])).toEqual([
      ["private-note", true],
      ["scheduled-story", true],
    ]);
  });

  it("links WPML translations (icl_translations) with --prefix", async () => {
    const r = importCli(gw, ["--from", wp.url, "--prefix", "wpml_"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/posts: 2 imported/);
    const a = (
      await gw.gql(
        `{ article(slug: "inflation-sinkt", language: "de") { language section { slug } translations { language title } } }`,
      )
    ).body.data.article;
    expect(a).toEqual({
      language: "de",
      section: { slug: "economy" },
      translations: [{ language: "en", title: "Inflation falls" }],
    });
  });

  it("stops with one clear line on a wrong prefix", () => {
    const r = importCli(gw, ["--from", wp.url, "--prefix", "nope_"]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^courant: no WordPress tables with prefix "nope_" in database "courant_wp_\w+" \(found prefix .*"wp_".*: pass --prefix\)$/,
      ),
    ]);
  });
});

describe.each(DATABASES)("import wordpress --from-file an export (WXR) into %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind, { env: SITE });
  });
  afterAll(() => gw?.close());

  it("imports the export, and a second run changes nothing", async () => {
    const file = path.join(FIXTURES, "export.xml");
    const r = importCli(gw, ["--from-file", file]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("imported from wordpress:https://blog.example.org");
    expect(r.stdout).toMatch(/posts: 3 imported, 0 updated, 0 unchanged, 0 deleted, 0 skipped/);

    const res = await gw.gql(`{ article(slug: "radium-discovered", language: "en") { ${ARTICLE} } }`);
    expect(res.body.data.article).toMatchObject({
      title: "Radium discovered – a glowing success",
      publishedAt: "2024-05-06T10:00:00.000Z",
      updatedAt: "2024-05-06T10:30:00.000Z",
      section: { slug: "wxr-physics", parent: { slug: "wxr-science" } },
      authors: [{ slug: "marie", name: "Marie Skłodowska" }],
      tags: [{ slug: "radium", name: "Radium" }],
      heroImage: {
        url: "https://blog.example.org/wp-content/uploads/2024/05/curie-lab.jpg",
        alt: "Marie Curie in her laboratory",
        caption: "The laboratory in Paris",
        width: 1600,
        height: 900,
      },
      translations: [{ language: "nl", title: "Radium ontdekt" }],
    });
    const body = res.body.data.article.body;
    expect(body.html).not.toMatch(/<!--|\[caption|<script/);
    expect(body.blocks).toContainEqual({
      __typename: "ImageBlock",
      image: {
        url: "https://blog.example.org/wp-content/uploads/2024/05/curie-lab.jpg",
        caption: "The laboratory in Paris",
      },
    });
    const nl = (
      await gw.gql(`{ article(slug: "radium-ontdekt", language: "nl") { body { html blocks { __typename } } } }`)
    ).body.data.article;
    expect(nl.body.html).toMatch(
      /^<p>Een nieuw element gloeit in het donker\.<\/p>\s*<p>Onderzoekers in Parijs zijn enthousiast\.<\/p>/,
    );
    expect(nl.body.blocks.map((b: { __typename: string }) => b.__typename)).toContain("EmbedBlock");
    expect(
      (await gw.gql(`{ articles(filter: { language: "en" }) { totalCount } }`)).body.data.articles.totalCount,
    ).toBe(1);

    const before = await articleRows(gw);
    const again = importCli(gw, ["--from-file", file]);
    expect(again.stdout).toMatch(/posts: 0 imported, 0 updated, 3 unchanged/);
    expect(await articleRows(gw)).toEqual(before);
    // --since: only posts modified at or after the date are looked at.
    const since = importCli(gw, ["--from-file", file, "--since", "2024-05-06T11:00:00Z"]);
    expect(since.stdout).toMatch(/posts: 0 imported, 0 updated, 2 unchanged/);
  });

  it("--watch runs again until SIGTERM, then exits cleanly", async () => {
    const child = spawn(
      process.execPath,
      [COURANT_BIN, "import", "wordpress", "--from-file", path.join(FIXTURES, "export.xml"), "--watch", "1"],
      { env: cleanEnv({ DATABASE_URL: gw.courant.deps.config.databaseUrl, ...SITE }) },
    );
    let out = "";
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    child.stdout.on("data", (d) => {
      out += d;
      if ((out.match(/imported from/g) ?? []).length === 2) child.kill("SIGTERM");
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(err).toBe("");
    expect(code).toBe(0);
    expect(out.match(/posts: 0 imported, 0 updated, 3 unchanged/g)).toHaveLength(2);
  });
});

describe("import wordpress: bad input stops with one clear line", () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  beforeAll(async () => {
    db = await freshDatabase("sqlite");
  });
  afterAll(() => db?.drop());
  const run = (args: string[]) => runCli(["import", "wordpress", ...args], { DATABASE_URL: db.url, ...SITE });

  it.each([
    [
      "an unreachable database",
      ["--from", "mysql://root@127.0.0.1:1/wordpress"],
      /^courant: cannot reach the WordPress database at 127\.0\.0\.1:1: ECONNREFUSED$/,
    ],
    [
      "a malformed export",
      ["--from-file", path.join(FIXTURES, "malformed-export.xml")],
      /^courant: .*malformed-export\.xml is not valid XML: Expected closing tag 'item'.*\(line 9, column 2\)$/,
    ],
    [
      "a missing export file",
      ["--from-file", path.join(FIXTURES, "nope.xml")],
      /^courant: cannot read .*nope\.xml: ENOENT$/,
    ],
  ])("%s", (_what, args, line) => {
    const r = run(args);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([expect.stringMatching(line)]);
    expect(r.stdout).toBe("");
  });

  it("an XML file that is not a WordPress export", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-wxr-"));
    try {
      const file = path.join(dir, "feed.xml");
      fs.writeFileSync(file, `<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title></channel></rss>`);
      const r = run(["--from-file", file]);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toMatch(/^courant: .*feed\.xml is not a WordPress export \(WXR\) file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("needs exactly one source", () => {
    const r = run([]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("courant: import wordpress needs exactly one of --from or --from-file");
  });
});
