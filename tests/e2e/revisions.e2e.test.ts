import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";

const CREATE = `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id version } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateArticleInput!) { updateArticle(id: $id, input: $input) { version } }`;
const REVISIONS = `query($id: ID!, $first: Int, $after: String) { article(id: $id) { version revisions(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { id version savedBy changedFields title body } } } }`;

describe.each(DATABASES)("article revisions on %s", (kind) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let sectionId: string;

  beforeAll(async () => {
    gw = await startGateway(kind, { seedDemo: true });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("night-desk", "editor")}` };
    sectionId = (await gw.gql(`{ sections { id } }`)).body.data.sections[0].id;
  });
  afterAll(() => gw?.close());

  /** Every revision of an article, newest first, walking the pages. */
  const allRevisions = async (id: string) => {
    const out: Array<{
      id: string;
      version: number;
      savedBy: string;
      changedFields: string[];
      title: string;
      body: string;
    }> = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await gw.gql(REVISIONS, { id, first: 40, after }, editor);
      expect(res.body.errors).toBeUndefined();
      out.push(...res.body.data.article.revisions.nodes);
      if (!res.body.data.article.revisions.pageInfo.hasNextPage) return out;
      after = res.body.data.article.revisions.pageInfo.endCursor;
    }
  };

  it("keeps all 100 versions of 100 saves; restoring revision 37 makes version 101 with its body byte for byte, and an old version then conflicts", async () => {
    const created = await gw.gql(
      CREATE,
      {
        input: {
          title: "A story edited a hundred times",
          language: "en",
          sectionId,
          authorIds: [],
          body: "<p>Edit 1.</p>",
        },
      },
      editor,
    );
    const id = created.body.data.createArticle.id as string;
    for (let v = 2; v <= 100; v++) {
      const res = await gw.gql(
        UPDATE,
        { id, input: { body: `<p>Edit ${v}.</p><p>Café ${v} — “quoted”.</p>`, version: v - 1 } },
        editor,
      );
      expect(res.body.data?.updateArticle?.version).toBe(v);
    }
    const revisions = await allRevisions(id);
    expect(revisions.map((r) => r.version)).toEqual(Array.from({ length: 100 }, (_, i) => 100 - i));
    expect(new Set(revisions.map((r) => r.savedBy))).toEqual(new Set(["night-desk"]));
    expect(revisions[0]!.changedFields).toEqual(["body"]);
    const r37 = revisions.find((r) => r.version === 37)!;
    const restored = await gw.gql(
      `mutation($r: ID!, $v: Int!) { restoreArticleRevision(revisionId: $r, version: $v) { version } }`,
      { r: r37.id, v: 100 },
      editor,
    );
    expect(restored.body.errors).toBeUndefined();
    expect(restored.body.data.restoreArticleRevision.version).toBe(101);
    const [stored] = await gw.ds.query("SELECT body, version FROM articles WHERE id = ?", [
      Number(Buffer.from(id, "base64url").toString().split(":")[1]),
    ]);
    expect(Buffer.from(String(stored.body))).toEqual(Buffer.from(r37.body));
    expect(Number(stored.version)).toBe(101);
    const after = await allRevisions(id);
    expect(after.map((r) => r.version)).toEqual(Array.from({ length: 101 }, (_, i) => 101 - i));
    expect(after[0]!.body).toBe(r37.body);
    // A concurrent save based on version 100 lost the race: CONFLICT, nothing overwritten.
    const stale = await gw.gql(UPDATE, { id, input: { title: "Lost", version: 100 } }, editor);
    expect(stale.body.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    const staleRestore = await gw.gql(
      `mutation($r: ID!, $v: Int!) { restoreArticleRevision(revisionId: $r, version: $v) { version } }`,
      { r: r37.id, v: 100 },
      editor,
    );
    expect(staleRestore.body.errors?.[0]?.extensions?.code).toBe("CONFLICT");
    // A save that changes nothing writes no revision.
    await gw.gql(UPDATE, { id, input: { title: "A story edited a hundred times" } }, editor);
    expect((await allRevisions(id)).length).toBe(101);
  }, 120_000);

  it("compares two versions of the demo article field by field, and its body block by block", async () => {
    const demo = (
      await gw.gql(`{ articles(first: 1, filter: { language: "en" }) { nodes { id title version body { html } } } }`)
    ).body.data.articles.nodes[0];
    const { body } = (
      await gw.gql(
        `query($id: ID!) { article(id: $id) { revisions(first: 1) { nodes { body } } } }`,
        { id: demo.id },
        editor,
      )
    ).body.data.article.revisions.nodes[0];
    const paragraphs = [...(body as string).matchAll(/<p>[\s\S]*?<\/p>/g)].map((m) => m[0]);
    expect(paragraphs.length).toBeGreaterThan(2);
    const corrected = "<p>Correction: the summit ends on Friday, not Thursday.</p>";
    const newBody = (body as string).replace(paragraphs[1]!, corrected);
    const res = await gw.gql(
      UPDATE,
      { id: demo.id, input: { title: `${demo.title} (corrected)`, body: newBody, version: demo.version } },
      editor,
    );
    expect(res.body.errors).toBeUndefined();
    const [now, before] = (await allRevisions(demo.id)).slice(0, 2);
    const cmp = await gw.gql(
      `query($from: ID!, $to: ID!) { compareArticleRevisions(from: $from, to: $to) { fields { field old new } body { kind old new } } }`,
      { from: before!.id, to: now!.id },
      editor,
    );
    expect(cmp.body.errors).toBeUndefined();
    const { fields, body: blocks } = cmp.body.data.compareArticleRevisions;
    expect(fields.map((f: { field: string }) => f.field)).toEqual(["title", "body"]);
    expect(fields[0]).toEqual({ field: "title", old: demo.title, new: `${demo.title} (corrected)` });
    const changed = blocks.filter((b: { kind: string }) => b.kind !== "UNCHANGED");
    expect(changed).toEqual([{ kind: "CHANGED", old: paragraphs[1], new: corrected }]);
    expect(blocks.filter((b: { kind: string }) => b.kind === "UNCHANGED").length).toBeGreaterThan(1);
  });

  it("lists revisions for a fixed number of statements whatever the page size", async () => {
    const id = (await gw.gql(`{ articles(first: 1) { nodes { id } } }`)).body.data.articles.nodes[0].id;
    for (let i = 0; i < 6; i++) {
      const v = (await gw.gql(`query($id: ID!) { article(id: $id) { version } }`, { id }, editor)).body.data.article
        .version;
      await gw.gql(UPDATE, { id, input: { standfirst: `Standfirst ${i}`, version: v } }, editor);
    }
    const count = async (first: number) =>
      (
        await gw.gql(
          `query($id: ID!, $first: Int) { article(id: $id) { revisions(first: $first) { totalCount nodes { version tags savedBy } } } }`,
          { id, first },
          editor,
        )
      ).statements;
    const [two, twenty] = [await count(2), await count(20)];
    expect(two).toBe(twenty);
    expect(twenty).toBeLessThanOrEqual(6);
  });

  it("never shows revisions to the public, on any path", async () => {
    const id = (await gw.gql(`{ articles(first: 1) { nodes { id } } }`)).body.data.articles.nodes[0].id;
    const revision = (
      await gw.gql(
        `query($id: ID!) { article(id: $id) { revisions(first: 1) { nodes { id title } } } }`,
        { id },
        editor,
      )
    ).body.data.article.revisions.nodes[0];
    const asPublic = [
      await gw.gql(`query($id: ID!) { article(id: $id) { revisions { totalCount } } }`, { id }),
      await gw.gql(`query($id: ID!) { articleRevision(id: $id) { title body } }`, { id: revision.id }),
      await gw.gql(`query($a: ID!, $b: ID!) { compareArticleRevisions(from: $a, to: $b) { fields { field } } }`, {
        a: revision.id,
        b: revision.id,
      }),
      await gw.gql(`mutation($r: ID!) { restoreArticleRevision(revisionId: $r, version: 1) { id } }`, {
        r: revision.id,
      }),
    ];
    for (const res of asPublic) {
      expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
      expect(JSON.stringify(res.body.data ?? {})).not.toContain(revision.title);
    }
    // A revision's id is nobody's node.
    const node = await gw.gql(`query($id: ID!) { node(id: $id) { id } nodes(ids: [$id]) { id } }`, { id: revision.id });
    expect(node.body.data ?? { node: null }).not.toMatchObject({ node: { id: expect.anything() } });
    // Old titles live only in revisions: public search does not find them.
    const current = (await gw.gql(`query($id: ID!) { article(id: $id) { version } }`, { id }, editor)).body.data.article
      .version;
    await gw.gql(UPDATE, { id, input: { title: "Zyxwvut retired headline", version: current } }, editor);
    const v2 = (await gw.gql(`query($id: ID!) { article(id: $id) { version } }`, { id }, editor)).body.data.article
      .version;
    await gw.gql(UPDATE, { id, input: { title: "Fresh headline", version: v2 } }, editor);
    expect((await gw.gql(`{ search(query: "Zyxwvut") { totalCount } }`)).body.data.search.totalCount).toBe(0);
  });
});

describe("revision retention (REVISIONS_KEEP)", () => {
  it("keeps the newest N revisions of an article and every published one", async () => {
    const gw = await startGateway("sqlite", { env: { REVISIONS_KEEP: "3" } });
    try {
      const editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
      const sectionId = gid("Section", (await gw.factory.section({ slug: "kept" })).id);
      const id = (
        await gw.gql(
          CREATE,
          { input: { title: "Kept", language: "en", sectionId, authorIds: [], body: "<p>v1</p>" } },
          editor,
        )
      ).body.data.createArticle.id;
      // v1 a draft, v2 published, v3 unpublished, v4..v9 edits of the draft: only v2 was ever public.
      await gw.gql(`mutation($id: ID!) { publishArticle(id: $id) { version } }`, { id }, editor);
      await gw.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { version } }`, { id }, editor);
      for (let v = 4; v <= 9; v++)
        await gw.gql(UPDATE, { id, input: { body: `<p>v${v}</p>`, version: v - 1 } }, editor);
      const versions = (await gw.gql(REVISIONS, { id, first: 50 }, editor)).body.data.article.revisions.nodes.map(
        (n: { version: number }) => n.version,
      );
      expect(versions).toEqual([9, 8, 7, 2]);
    } finally {
      await gw.close();
    }
  });
});
