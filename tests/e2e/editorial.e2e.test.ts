import { DATABASES } from "../helpers/databases";
import { DEFAULT_NOW, gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import type { ContentChange } from "../../src/events";

const code = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;
const idOf = (globalId: string) => Number(Buffer.from(globalId, "base64url").toString().split(":")[1]);

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug status version language updatedAt } }`;
const PUBLISH = `mutation($id: ID!, $at: DateTimeISO) { publishArticle(id: $id, at: $at) { id status publishedAt version } }`;

describe.each(DATABASES)("editorial API on %s", (kind) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let admin: Record<string, string>;
  let sectionId: string;
  let authorId: string;
  let otherAuthorId: string;
  const changes: ContentChange[] = [];

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { NEWSLETTER_SIGNUPS_PER_HOUR: "1000" } });
    const auth = gw.courant.deps.services.auth;
    editor = { authorization: `Bearer ${await auth.create("desk", "editor")}` };
    admin = { authorization: `Bearer ${await auth.create("chief", "admin")}` };
    const parent = await gw.factory.section({ slug: "eu", name: "EU" });
    sectionId = gid(
      "Section",
      (await gw.factory.section({ slug: "eu-politics", name: "Politics", parentId: parent.id })).id,
    );
    authorId = gid(
      "Author",
      (await gw.factory.author({ slug: "alex-ivanov", name: "Alex Ivanov", role: "Moscow correspondent" })).id,
    );
    otherAuthorId = gid("Author", (await gw.factory.author({ slug: "maria", name: "Maria" })).id);
    gw.courant.deps.events.onChange((c) => changes.push(c));
  });
  afterAll(() => gw?.close());

  const input = (over: Record<string, unknown> = {}) => ({
    title: "Moskou roept Baku en Yerevan op",
    language: "nl",
    sectionId,
    authorIds: [authorId],
    tags: ["Rusland", "Nagorno-Karabach"],
    body: "<p>Eerste alinea.</p><p>Tweede alinea.</p>",
    ...over,
  });
  const create = async (over: Record<string, unknown> = {}, headers = editor) =>
    gw.gql(CREATE, { input: input(over) }, headers);

  it("refuses editorial mutations without a key (401), with a bad key even on public queries (401), and without the role (403)", async () => {
    const none = await create({}, {});
    expect(none.status).toBe(401);
    expect(code(none)).toBe("UNAUTHENTICATED");
    const bad = await gw.gql(`{ site { name } }`, undefined, { authorization: "Bearer courant_not-a-real-key" });
    expect(bad.status).toBe(401);
    expect(code(bad)).toBe("UNAUTHENTICATED");
    const malformed = await gw.gql(`{ site { name } }`, undefined, { authorization: "Basic abc" });
    expect(malformed.status).toBe(401);
    const section = await gw.gql(`mutation { createSection(input: { name: "Opinion" }) { slug } }`, undefined, editor);
    expect(section.status).toBe(403);
    expect(code(section)).toBe("FORBIDDEN");
    const asAdmin = await gw.gql(
      `mutation { createSection(input: { name: "Opinion & Analyse" }) { slug parent { slug } } }`,
      undefined,
      admin,
    );
    expect(asAdmin.body.data.createSection).toEqual({ slug: "opinion-analyse", parent: null });
    const adminArticle = await create({ title: "Admin may write too", language: "en" }, admin);
    expect(adminArticle.body.data.createArticle.status).toBe("DRAFT");
  });

  it("creates drafts with transliterated slugs, unique per language with a numeric suffix", async () => {
    const first = (await create()).body.data.createArticle;
    expect(first).toMatchObject({
      slug: "moskou-roept-baku-en-yerevan-op",
      status: "DRAFT",
      version: 1,
      language: "nl",
    });
    const second = (await create()).body.data.createArticle;
    expect(second.slug).toBe("moskou-roept-baku-en-yerevan-op-2");
    const english = (await create({ language: "en" })).body.data.createArticle;
    expect(english.slug).toBe("moskou-roept-baku-en-yerevan-op");
    const greek = (await create({ title: "Αθήνα: Ζητούνται διαπραγματεύσεις", language: "el" })).body.data
      .createArticle;
    expect(greek.slug).toBe("athina-zitoyntai-diapragmateyseis");
    const taken = await create({ slug: "moskou-roept-baku-en-yerevan-op" });
    expect(code(taken)).toBe("BAD_USER_INPUT");
    expect(taken.body.errors![0]!.message).toContain("input.slug");
  });

  it.each([
    ["an empty title", { title: "" }, "title"],
    ["a 301-character title", { title: "x".repeat(301) }, "title"],
    ["a slug with capitals", { slug: "Not-Valid" }, "slug"],
    ["a language the site does not publish", { language: "ja" }, "input.language"],
    ["an unknown section", { sectionId: gid("Section", 999999) }, "input.sectionId"],
    ["an author id that is a section id", () => ({ authorIds: [sectionId] }), "input.authorIds[0]"],
    ["an unknown author", () => ({ authorIds: [authorId, gid("Author", 999999)] }), "input.authorIds[1]"],
    ["a body over 1 MB", { body: `<p>${"a".repeat(1024 * 1024)}</p>` }, "input.body"],
    ["a javascript: hero image", { heroImage: { url: "javascript:alert(1)" } }, "heroImage"],
    ["an ftp: hero image", { heroImage: { url: "ftp://example.com/a.jpg" } }, "input.heroImage.url"],
    ["a data: source url", { source: { name: "X", url: "data:text/html,hi" } }, "input.source.url"],
  ])("refuses %s with BAD_USER_INPUT naming the field, writing nothing", async (_name, over, field) => {
    const before = await gw.ds.query("SELECT COUNT(*) AS n FROM articles");
    const tagsBefore = await gw.ds.query("SELECT COUNT(*) AS n FROM tags");
    // Ids made in beforeAll are read when the test runs, not when the table is built.
    const fields = typeof over === "function" ? over() : over;
    const res = await create({ ...fields, tags: ["Brand new tag that must not survive"] });
    expect(code(res)).toBe("BAD_USER_INPUT");
    expect(res.body.errors![0]!.message).toContain(field);
    expect(await gw.ds.query("SELECT COUNT(*) AS n FROM articles")).toEqual(before);
    expect(await gw.ds.query("SELECT COUNT(*) AS n FROM tags")).toEqual(tagsBefore);
  });

  it("answers NOT_FOUND for unknown article ids", async () => {
    for (const q of [
      `mutation { publishArticle(id: "${gid("Article", 999999)}") { id } }`,
      `mutation { unpublishArticle(id: "${gid("Article", 999999)}") { id } }`,
      `mutation { deleteArticle(id: "${gid("Article", 999999)}") }`,
      `mutation { updateArticle(id: "${gid("Article", 999999)}", input: { title: "x" }) { id } }`,
      `mutation { createArticle(input: { title: "t", language: "en", sectionId: "${sectionId}", authorIds: [], body: "<p>x</p>", translationOf: "${gid("Article", 999999)}" }) { id } }`,
    ]) {
      expect(code(await gw.gql(q, undefined, editor))).toBe("NOT_FOUND");
    }
  });

  it("sanitises bodies on the way in", async () => {
    const a = (
      await create({ body: `<p onclick="x()">Safe <script>alert(1)</script><a href="javascript:evil()">link</a></p>` })
    ).body.data.createArticle;
    const [row] = await gw.ds.query("SELECT body FROM articles WHERE id = ?", [idOf(a.id)]);
    expect(row.body).toBe("<p>Safe <a>link</a></p>");
  });

  it("publishes now, schedules for later (public at that moment with no job), unpublishes and deletes", async () => {
    const a = (await create({ title: "Lifecycle story", language: "en", tags: ["Lifecycle"] })).body.data.createArticle;
    const publicView = `query($id: ID!) { article(id: $id) { status } articles(filter: { tag: "lifecycle" }) { totalCount } }`;
    expect((await gw.gql(publicView, { id: a.id })).body.data).toEqual({ article: null, articles: { totalCount: 0 } });

    const published = (await gw.gql(PUBLISH, { id: a.id }, editor)).body.data.publishArticle;
    expect(published).toMatchObject({ status: "PUBLISHED", publishedAt: DEFAULT_NOW.toISOString(), version: 2 });
    expect((await gw.gql(publicView, { id: a.id })).body.data).toEqual({
      article: { status: "PUBLISHED" },
      articles: { totalCount: 1 },
    });

    // Archived: off every public path, kept apart from drafts for editors, back with a publish.
    const archived = await gw.gql(
      `mutation($id: ID!) { archiveArticle(id: $id) { status version } }`,
      { id: a.id },
      editor,
    );
    expect(archived.body.data.archiveArticle).toEqual({ status: "ARCHIVED", version: 3 });
    expect((await gw.gql(publicView, { id: a.id })).body.data).toEqual({ article: null, articles: { totalCount: 0 } });
    expect((await gw.gql(publicView, { id: a.id }, editor)).body.data.article).toEqual({ status: "ARCHIVED" });
    expect((await gw.gql(PUBLISH, { id: a.id }, editor)).body.data.publishArticle.status).toBe("PUBLISHED");
    expect((await gw.gql(publicView, { id: a.id })).body.data.articles).toEqual({ totalCount: 1 });

    await gw.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { status } }`, { id: a.id }, editor);
    expect((await gw.gql(publicView, { id: a.id })).body.data).toEqual({ article: null, articles: { totalCount: 0 } });

    const at = new Date(DEFAULT_NOW.getTime() + 3600_000).toISOString();
    const scheduled = (await gw.gql(PUBLISH, { id: a.id, at }, editor)).body.data.publishArticle;
    expect(scheduled).toMatchObject({ status: "SCHEDULED", publishedAt: at });
    expect((await gw.gql(publicView, { id: a.id })).body.data.article).toBeNull();
    const saved = gw.clock.now;
    try {
      gw.clock.now = new Date(DEFAULT_NOW.getTime() + 3600_000 - 1);
      expect((await gw.gql(publicView, { id: a.id })).body.data.article).toBeNull();
      gw.clock.now = new Date(DEFAULT_NOW.getTime() + 3600_000);
      expect((await gw.gql(publicView, { id: a.id })).body.data).toEqual({
        article: { status: "PUBLISHED" },
        articles: { totalCount: 1 },
      });
    } finally {
      gw.clock.now = saved;
    }

    const deleted = await gw.gql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id: a.id }, editor);
    expect(deleted.body.data.deleteArticle).toBe(true);
    gw.clock.now = new Date(DEFAULT_NOW.getTime() + 7200_000);
    try {
      expect((await gw.gql(publicView, { id: a.id })).body.data).toEqual({
        article: null,
        articles: { totalCount: 0 },
      });
      expect(
        code(
          await gw.gql(
            `mutation($id: ID!) { updateArticle(id: $id, input: { title: "x" }) { id } }`,
            { id: a.id },
            editor,
          ),
        ),
      ).toBe("NOT_FOUND");
    } finally {
      gw.clock.now = saved;
    }
  });

  it("bumps updatedAt and version on every change, and refuses an update based on an outdated version", async () => {
    const a = (await create({ title: "Conflict story", language: "en" })).body.data.createArticle;
    const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { title version updatedAt } }`;
    gw.clock.now = new Date(DEFAULT_NOW.getTime() + 1000);
    try {
      const first = await gw.gql(UPDATE, { id: a.id, input: { title: "Editor one", version: 1 } }, editor);
      expect(first.body.data.updateArticle).toEqual({
        title: "Editor one",
        version: 2,
        updatedAt: new Date(DEFAULT_NOW.getTime() + 1000).toISOString(),
      });
      const stale = await gw.gql(UPDATE, { id: a.id, input: { title: "Editor two", version: 1 } }, editor);
      expect(stale.status).toBe(409);
      expect(code(stale)).toBe("CONFLICT");
      // Two saves racing on the same version: exactly one wins.
      const race = await Promise.all(
        ["A", "B"].map((t) => gw.gql(UPDATE, { id: a.id, input: { title: `Race ${t}`, version: 2 } }, editor)),
      );
      expect(race.map((r) => (r.body.errors ? code(r) : "ok")).sort()).toEqual(["CONFLICT", "ok"]);
      const [row] = await gw.ds.query("SELECT title, version FROM articles WHERE id = ?", [idOf(a.id)]);
      expect(Number(row.version)).toBe(3);
      expect(race.find((r) => !r.body.errors)!.body.data.updateArticle.title).toBe(row.title);
    } finally {
      gw.clock.now = DEFAULT_NOW;
    }
  });

  it("links translations into one story and refuses a second version in the same language", async () => {
    const en = (await create({ title: "Talks story", language: "en", tags: [] })).body.data.createArticle;
    const de = (await create({ title: "Gesprächsgeschichte", language: "de", translationOf: en.id, tags: [] })).body
      .data.createArticle;
    expect(de.slug).toBe("gesprachsgeschichte");
    const again = await create({ title: "Noch eine", language: "de", translationOf: en.id });
    expect(code(again)).toBe("BAD_USER_INPUT");
    expect(again.body.errors![0]!.message).toContain("input.translationOf");
    await gw.gql(PUBLISH, { id: en.id }, editor);
    const before = await gw.gql(`query($id: ID!) { article(id: $id) { translations { language } } }`, { id: en.id });
    expect(before.body.data.article.translations).toEqual([]);
    await gw.gql(PUBLISH, { id: de.id }, editor);
    const after = await gw.gql(`query($id: ID!) { article(id: $id) { translations { language } } }`, { id: en.id });
    expect(after.body.data.article.translations).toEqual([{ language: "de" }]);
  });

  it("announces each write with what it changed", async () => {
    changes.length = 0;
    const a = (
      await create({ title: "Event story", language: "fr", authorIds: [authorId, otherAuthorId], tags: ["Événements"] })
    ).body.data.createArticle;
    await gw.gql(PUBLISH, { id: a.id }, editor);
    expect(changes).toHaveLength(2);
    const [tag] = await gw.ds.query("SELECT id FROM tags WHERE slug = ?", ["evenements"]);
    expect(changes[1]).toMatchObject({
      kind: "article",
      articleIds: [idOf(a.id)],
      sectionIds: [idOf(sectionId)],
      authorIds: [idOf(authorId), idOf(otherAuthorId)],
      tagIds: [Number(tag.id)],
      languages: ["fr"],
    });
    expect(changes[1]!.storyKeys).toHaveLength(1);
  });

  it("lets editors preview drafts and scheduled articles by id and slug, privately; lists stay public", async () => {
    const a = (await create({ title: "Preview story", language: "en", tags: ["Preview"] })).body.data.createArticle;
    const q = `query($id: ID!) { byId: article(id: $id) { title status } bySlug: article(slug: "preview-story", language: "en") { title } articles(filter: { tag: "preview" }) { totalCount } }`;
    const res = await gw.gql(q, { id: a.id }, editor);
    expect(res.body.data).toEqual({
      byId: { title: "Preview story", status: "DRAFT" },
      bySlug: { title: "Preview story" },
      articles: { totalCount: 0 },
    });
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const anonymous = await gw.gql(q, { id: a.id });
    expect(anonymous.body.data).toEqual({ byId: null, bySlug: null, articles: { totalCount: 0 } });
  });

  it("keeps drafts, scheduled, unpublished and deleted articles invisible on every public path", async () => {
    const tag = "matrix";
    const live = (await create({ title: "Matrix live", language: "en", tags: [tag] })).body.data.createArticle;
    await gw.gql(PUBLISH, { id: live.id, at: new Date(DEFAULT_NOW.getTime() - 60_000).toISOString() }, editor);
    const hidden: Record<string, string> = {};
    hidden.draft = (
      await create({ title: "HIDDEN draft", language: "de", tags: [tag], translationOf: live.id })
    ).body.data.createArticle.id;
    hidden.scheduled = (
      await create({ title: "HIDDEN scheduled", language: "fr", tags: [tag], translationOf: live.id })
    ).body.data.createArticle.id;
    await gw.gql(
      PUBLISH,
      { id: hidden.scheduled, at: new Date(DEFAULT_NOW.getTime() + 86_400_000).toISOString() },
      editor,
    );
    hidden.unpublished = (
      await create({ title: "HIDDEN unpublished", language: "nl", tags: [tag], translationOf: live.id })
    ).body.data.createArticle.id;
    await gw.gql(PUBLISH, { id: hidden.unpublished }, editor);
    await gw.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id: hidden.unpublished }, editor);
    hidden.deleted = (
      await create({ title: "HIDDEN deleted", language: "lt", tags: [tag], translationOf: live.id })
    ).body.data.createArticle.id;
    await gw.gql(PUBLISH, { id: hidden.deleted }, editor);
    await gw.gql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id: hidden.deleted }, editor);
    const sameTag = (await create({ title: "HIDDEN same-language draft", language: "en", tags: [tag] })).body.data
      .createArticle.id;
    hidden.sameLanguageDraft = sameTag;

    const everything = await gw.gql(
      `query($ids: [ID!]!, $live: ID!, $author: ID!, $section: ID!) {
        articles(first: 100) { totalCount nodes { title } }
        byTag: articles(filter: { tag: "${tag}" }) { totalCount nodes { title } }
        byLanguage: articles(filter: { language: "de" }) { totalCount nodes { title } }
        fallback: articles(filter: { language: "lt", fallbackLanguages: ["nl", "fr", "de", "en"] }) { totalCount nodes { title } }
        tag(slug: "${tag}") { articles { totalCount nodes { title } } }
        author(id: $author) { articles(first: 100) { totalCount nodes { title } } }
        section(id: $section) { articles(first: 100) { totalCount nodes { title } } }
        sections { articles(first: 100) { totalCount nodes { title } } }
        nodes(ids: $ids) { id }
        search(query: "HIDDEN") { totalCount edges { node { title } } }
        matrixSearch: search(query: "Matrix") { totalCount edges { node { title } } }
        live: article(id: $live) { translations { title } t: translation(language: "de", fallback: ["fr", "nl", "lt"]) { title } related(first: 20) { title } }
      }`,
      { ids: Object.values(hidden), live: live.id, author: authorId, section: sectionId },
    );
    expect(everything.body.errors).toBeUndefined();
    expect(JSON.stringify(everything.body.data)).not.toContain("HIDDEN");
    expect(everything.body.data.byTag.totalCount).toBe(1);
    expect(everything.body.data.search.totalCount).toBe(0);
    expect(everything.body.data.matrixSearch.totalCount).toBe(1);
    expect(everything.body.data.nodes).toEqual(Object.values(hidden).map(() => null));
    expect(everything.body.data.live).toEqual({ translations: [], t: null, related: expect.any(Array) });
    for (const id of Object.values(hidden)) {
      const one = await gw.gql(`query($id: ID!) { article(id: $id) { id } node(id: $id) { id } }`, { id });
      expect(one.body.data).toEqual({ article: null, node: null });
    }
  });

  it("creates and updates authors and sections as admin, with validation", async () => {
    const created = await gw.gql(
      `mutation { createAuthor(input: { name: "Ruta Kazlauskaitė", role: "Vilnius correspondent", avatar: { url: "https://images.example.com/r.jpg", width: 100 } }) { id slug role avatar { url width } } }`,
      undefined,
      admin,
    );
    expect(created.body.data.createAuthor).toMatchObject({
      slug: "ruta-kazlauskaite",
      role: "Vilnius correspondent",
      avatar: { url: "https://images.example.com/r.jpg", width: 100 },
    });
    const updated = await gw.gql(
      `mutation($id: ID!) { updateAuthor(id: $id, input: { name: "Rūta K.", slug: "ruta-k" }) { slug name role } }`,
      { id: created.body.data.createAuthor.id },
      admin,
    );
    // A patch: what the input leaves out is kept.
    expect(updated.body.data.updateAuthor).toEqual({ slug: "ruta-k", name: "Rūta K.", role: "Vilnius correspondent" });
    const badAvatar = await gw.gql(
      `mutation { createAuthor(input: { name: "X", avatar: { url: "javascript:alert(1)" } }) { id } }`,
      undefined,
      admin,
    );
    expect(code(badAvatar)).toBe("BAD_USER_INPUT");
    const parent = await gw.gql(
      `mutation { createSection(input: { name: "World", description: "Abroad" }) { id slug } }`,
      undefined,
      admin,
    );
    const child = await gw.gql(
      `mutation($p: ID!) { createSection(input: { name: "Africa", parentId: $p }) { id parent { slug } } }`,
      { p: parent.body.data.createSection.id },
      admin,
    );
    expect(child.body.data.createSection.parent).toEqual({ slug: "world" });
    const cycle = await gw.gql(
      `mutation($id: ID!, $p: ID!) { updateSection(id: $id, input: { parentId: $p }) { id } }`,
      { id: parent.body.data.createSection.id, p: child.body.data.createSection.id },
      admin,
    );
    expect(code(cycle)).toBe("BAD_USER_INPUT");
    const dup = await gw.gql(
      `mutation { createSection(input: { name: "Dup", slug: "world" }) { id } }`,
      undefined,
      admin,
    );
    expect(code(dup)).toBe("BAD_USER_INPUT");
  });

  it("updates authors as patches: a new role alone keeps the avatar and bio; null clears; the name is required on create and never cleared", async () => {
    const created = await gw.gql(
      `mutation { createAuthor(input: { name: "Lena Berg", role: "Correspondent", bio: "Covers Russia.", avatar: { url: "https://images.example.com/a.jpg", alt: "Alex", width: 200, height: 200 } }) { id } }`,
      undefined,
      admin,
    );
    const id = created.body.data.createAuthor.id;
    const AUTHOR = `slug name role bio avatar { url alt width height }`;
    const roleOnly = await gw.gql(
      `mutation($id: ID!) { updateAuthor(id: $id, input: { role: "Moscow correspondent" }) { ${AUTHOR} } }`,
      { id },
      admin,
    );
    expect(roleOnly.body.data.updateAuthor).toEqual({
      slug: "lena-berg",
      name: "Lena Berg",
      role: "Moscow correspondent",
      bio: "Covers Russia.",
      avatar: { url: "https://images.example.com/a.jpg", alt: "Alex", width: 200, height: 200 },
    });
    const cleared = await gw.gql(
      `mutation($id: ID!) { updateAuthor(id: $id, input: { bio: null, avatar: null }) { ${AUTHOR} } }`,
      { id },
      admin,
    );
    expect(cleared.body.data.updateAuthor).toEqual({
      slug: "lena-berg",
      name: "Lena Berg",
      role: "Moscow correspondent",
      bio: null,
      avatar: null,
    });
    const noName = await gw.gql(`mutation { createAuthor(input: { role: "Nobody" }) { id } }`, undefined, admin);
    expect(noName.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
    const nullName = await gw.gql(
      `mutation($id: ID!) { updateAuthor(id: $id, input: { name: null }) { name } }`,
      { id },
      admin,
    );
    expect(nullName.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
    const stored = await gw.gql(`query($id: ID!) { node(id: $id) { ... on Author { name role } } }`, { id });
    expect(stored.body.data.node).toEqual({ name: "Lena Berg", role: "Moscow correspondent" });
  });

  it("updates sections as patches: a new description keeps the parent; a null parent makes it top-level", async () => {
    const top = await gw.gql(`mutation { createSection(input: { name: "Europe" }) { id } }`, undefined, admin);
    const child = await gw.gql(
      `mutation($p: ID!) { createSection(input: { name: "Baltics", description: "Three states", parentId: $p }) { id } }`,
      { p: top.body.data.createSection.id },
      admin,
    );
    const id = child.body.data.createSection.id;
    const SECTION = `name slug description parent { slug }`;
    const described = await gw.gql(
      `mutation($id: ID!) { updateSection(id: $id, input: { description: "Estonia, Latvia, Lithuania" }) { ${SECTION} } }`,
      { id },
      admin,
    );
    expect(described.body.data.updateSection).toEqual({
      name: "Baltics",
      slug: "baltics",
      description: "Estonia, Latvia, Lithuania",
      parent: { slug: "europe" },
    });
    const lifted = await gw.gql(
      `mutation($id: ID!) { updateSection(id: $id, input: { parentId: null, description: null }) { ${SECTION} } }`,
      { id },
      admin,
    );
    expect(lifted.body.data.updateSection).toEqual({
      name: "Baltics",
      slug: "baltics",
      description: null,
      parent: null,
    });
    const noName = await gw.gql(`mutation { createSection(input: { description: "x" }) { id } }`, undefined, admin);
    expect(noName.body.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", field: "input.name" });
  });

  it("makes one section and one author for a create sent twice with the same client mutation id", async () => {
    const key = `idem-${Date.now()}`;
    const section = `mutation($k: String) { createSection(input: { name: "Idempotent desk", clientMutationId: $k }) { id } }`;
    const [s1, s2] = await Promise.all([gw.gql(section, { k: key }, admin), gw.gql(section, { k: key }, admin)]);
    expect(s1.body.data.createSection.id).toBe(s2.body.data.createSection.id);
    const author = `mutation($k: String) { createAuthor(input: { name: "Idempotent writer", clientMutationId: $k }) { id } }`;
    const [a1, a2] = await Promise.all([gw.gql(author, { k: key }, admin), gw.gql(author, { k: key }, admin)]);
    expect(a1.body.data.createAuthor.id).toBe(a2.body.data.createAuthor.id);
    const counts = await gw.ds.query(
      "SELECT (SELECT COUNT(*) FROM sections WHERE name = 'Idempotent desk') AS s, (SELECT COUNT(*) FROM authors WHERE name = 'Idempotent writer') AS a",
    );
    expect(counts.map((r: { s: unknown; a: unknown }) => [Number(r.s), Number(r.a)])).toEqual([[1, 1]]);
  });
});

describe.each(DATABASES)("newsletter on %s", (kind) => {
  let gw: TestGateway;
  const SUBSCRIBE = `mutation($input: NewsletterSubscriptionInput!) { subscribeNewsletter(input: $input) { status } }`;
  const CONFIRM = `mutation($token: String!) { confirmNewsletterSubscription(token: $token) { status } }`;
  beforeAll(async () => {
    // Behind a trusted proxy on loopback, so each test can be its own client (address) in X-Forwarded-For.
    gw = await startGateway(kind, { env: { NEWSLETTER_SIGNUPS_PER_HOUR: "6", TRUST_PROXY: "loopback" } });
  });
  afterAll(() => gw?.close());

  const lastToken = async (email: string) => {
    const rows = await gw.ds.query("SELECT payload FROM outbox WHERE recipient = ? ORDER BY id DESC", [email]);
    return { count: rows.length, token: rows[0] ? (JSON.parse(rows[0].payload).token as string) : undefined };
  };
  /** A client of its own: an address (in X-Forwarded-For; never contacted) and a user agent named `who`. */
  const as = (who: string, userAgent = who) => {
    const n = [...who].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
    return { "x-forwarded-for": `198.51.100.${n % 250}`, "user-agent": userAgent };
  };

  it("stores consent and queues a confirmation, confirms once, and answers alike whatever the address's state", async () => {
    const email = "Reader@Example.com";
    const first = await gw.gql(
      SUBSCRIBE,
      { input: { email, consent: true, language: "nl", topics: ["EU"] } },
      as("flow"),
    );
    expect(first.body).toMatchObject({ data: { subscribeNewsletter: { status: "PENDING_CONFIRMATION" } } });
    const [sub] = await gw.ds.query(
      "SELECT email, language, topics, status, consent_text FROM newsletter_subscriptions",
    );
    expect(sub).toMatchObject({ email: "reader@example.com", language: "nl", status: "pending", topics: '["EU"]' });
    expect(sub.consent_text).toMatch(/^We gebruiken uw aanmelding/);
    const { token } = await lastToken("reader@example.com");
    const pendingAgain = await gw.gql(SUBSCRIBE, { input: { email, consent: true, language: "nl" } }, as("flow"));
    expect(pendingAgain.body).toMatchObject(first.body);
    const latest = await lastToken("reader@example.com");
    expect(latest.count).toBe(2);
    expect((await gw.gql(CONFIRM, { token: latest.token })).body).toMatchObject({
      data: { confirmNewsletterSubscription: { status: "SUBSCRIBED" } },
    });
    const reuse = await gw.gql(CONFIRM, { token: latest.token });
    expect(reuse.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const subscribedAgain = await gw.gql(SUBSCRIBE, { input: { email, consent: true } }, as("flow"));
    expect(subscribedAgain.body).toMatchObject(first.body);
    expect(subscribedAgain.status).toBe(first.status);
    const fresh = await gw.gql(SUBSCRIBE, { input: { email: "someone.new@example.com", consent: true } }, as("flow"));
    expect(fresh.body).toMatchObject(first.body);
    // The older token of a subscribed address does not work either.
    expect((await gw.gql(CONFIRM, { token })).body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    // No output type can return an address (ShareLinks.email is a mailto: share link).
    const types = (await gw.gql(`{ __schema { types { name fields { name } } } }`)).body.data.__schema.types as Array<{
      name: string;
      fields: Array<{ name: string }> | null;
    }>;
    const withEmail = types.filter((t) => t.fields?.some((f) => /e-?mail/i.test(f.name))).map((t) => t.name);
    expect(withEmail).toEqual(["ShareLinks"]);
  });

  it("refuses expired and unknown tokens, missing consent and bad addresses", async () => {
    await gw.gql(SUBSCRIBE, { input: { email: "late@example.com", consent: true } }, as("expiry"));
    const { token } = await lastToken("late@example.com");
    gw.clock.now = new Date(DEFAULT_NOW.getTime() + 48 * 3600_000 + 1);
    try {
      expect((await gw.gql(CONFIRM, { token })).body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    } finally {
      gw.clock.now = DEFAULT_NOW;
    }
    expect((await gw.gql(CONFIRM, { token: "x".repeat(43) })).body.errors?.[0]?.extensions?.code).toBe(
      "BAD_USER_INPUT",
    );
    const noConsent = await gw.gql(SUBSCRIBE, { input: { email: "a@example.com", consent: false } }, as("expiry"));
    expect(noConsent.body.errors?.[0]).toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
      message: expect.stringContaining("input.consent"),
    });
    const badEmail = await gw.gql(SUBSCRIBE, { input: { email: "not-an-address", consent: true } }, as("expiry"));
    expect(badEmail.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const badLanguage = await gw.gql(
      SUBSCRIBE,
      { input: { email: "b@example.com", consent: true, language: "ja" } },
      as("expiry"),
    );
    expect(badLanguage.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("rate-limits sign-ups per client with 429 and Retry-After", async () => {
    const results: GqlResponse[] = [];
    for (let i = 0; i < 8; i++)
      results.push(
        await gw.gql(SUBSCRIBE, { input: { email: `flood${i}@example.com`, consent: true } }, as("flooder")),
      );
    const limited = results.filter((r) => r.status === 429);
    expect(results.slice(0, 6).every((r) => r.status === 200)).toBe(true);
    expect(limited).toHaveLength(2);
    expect(limited[0]!.body.errors?.[0]?.extensions?.code).toBe("RATE_LIMITED");
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    // A new user agent from the same address is the same client: it does not widen the limit.
    const disguised = await gw.gql(
      SUBSCRIBE,
      { input: { email: "disguised@example.com", consent: true } },
      as("flooder", "Another Browser/1.0"),
    );
    expect(disguised.status).toBe(429);
    // Another client is not affected.
    expect((await gw.gql(SUBSCRIBE, { input: { email: "calm@example.com", consent: true } }, as("calm"))).status).toBe(
      200,
    );
  });
});
