import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type GqlResponse, type TestGateway } from "../helpers/gateway";
import { keysForChange } from "../../src/cache/surrogate-keys";
import type { ContentChange } from "../../src/events";

const code = (res: GqlResponse) => res.body.errors?.[0]?.extensions?.code;

const START = `mutation($id: ID!) { startLiveBlog(articleId: $id) { status coverageStartedAt coverageEndedAt cursor } }`;
const ADD = `mutation($id: ID!, $input: AddLivePostInput!) { addLivePost(articleId: $id, input: $input) { id version pinned keyEvent publishedAt updatedAt } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateLivePostInput!, $version: Int) { updateLivePost(id: $id, input: $input, version: $version) { id version title updatedAt } }`;
const POSTS = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String, $since: String) {
  article(id: $id) { liveBlog { status cursor
    posts(first: $first, after: $after, last: $last, before: $before, since: $since) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id title pinned keyEvent updatedAt body { html blocks { __typename } } authors { name } } } } } } }`;

describe.each(DATABASES)("live blogs on %s", (kind) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let sectionId: number;
  let authorId: string;
  let live: string;
  const changes: ContentChange[] = [];
  const tick = () => (gw.clock.now = new Date(gw.clock.now.getTime() + 1000));
  const add = async (input: Record<string, unknown>, article = live) => {
    tick();
    const res = await gw.gql(ADD, { id: article, input }, editor);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.addLivePost as { id: string; version: number };
  };
  const posts = async (vars: Record<string, unknown>, headers: Record<string, string> = {}) => {
    const res = await gw.gql(POSTS, { id: live, ...vars }, headers);
    expect(res.body.errors).toBeUndefined();
    return res;
  };
  const ids = (res: GqlResponse) =>
    (res.body.data.article.liveBlog.posts.edges as Array<{ node: { id: string } }>).map((e) => e.node.id);

  beforeAll(async () => {
    gw = await startGateway(kind, { env: { RESPONSE_CACHE: "true", CACHE_MAX_AGE_LIVE: "5" } });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    sectionId = (await gw.factory.section({ slug: "world" })).id;
    authorId = gid("Author", (await gw.factory.author({ name: "Ana Live" })).id);
    live = gid("Article", (await gw.factory.article({ sectionId, title: "Election night" })).id);
    gw.courant.deps.events.onChange((c) => changes.push(c));
  });
  afterAll(() => gw?.close());

  it("an ordinary article has no live blog; editors start one and the public sees it", async () => {
    const before = await gw.gql(`query($id: ID!) { article(id: $id) { liveBlog { status } } }`, { id: live });
    expect(before.body.data.article.liveBlog).toBeNull();
    const started = await gw.gql(START, { id: live }, editor);
    expect(started.body.data.startLiveBlog).toMatchObject({ status: "LIVE", coverageEndedAt: null });
    const after = await gw.gql(
      `query($id: ID!) { article(id: $id) { liveBlog { status pinned { id } keyEvents { id } } } }`,
      { id: live },
    );
    expect(after.body.data.article.liveBlog).toEqual({ status: "LIVE", pinned: null, keyEvents: [] });
    expect(changes.at(-1)).toMatchObject({
      kind: "live",
      type: "live.started",
      articleIds: [Number(Buffer.from(live, "base64url").toString().split(":")[1])],
    });
  });

  it("posts carry sanitised body blocks, authors, and page newest first, stable while posts arrive", async () => {
    const made = [];
    for (let i = 1; i <= 5; i++)
      made.push(
        await add({
          title: `Post ${i}`,
          body: `<p>Update ${i}<script>alert(1)</script></p><p>Two</p><p>Three</p><p>Four</p>`,
          authorIds: [authorId],
          keyEvent: i === 2,
        }),
      );
    const first = await posts({ first: 2 });
    expect(ids(first)).toEqual([made[4]!.id, made[3]!.id]);
    const node = first.body.data.article.liveBlog.posts.edges[0].node;
    expect(node.body.html).not.toContain("script");
    expect(node.body.blocks.map((b: { __typename: string }) => b.__typename)).toContain("AdSlotBlock");
    expect(node.authors).toEqual([{ name: "Ana Live" }]);
    // A post arrives between pages: the next page is neither shifted nor repeated.
    const sixth = await add({ body: "<p>Breaking</p>" });
    const second = await posts({ first: 2, after: first.body.data.article.liveBlog.posts.pageInfo.endCursor });
    expect(ids(second)).toEqual([made[2]!.id, made[1]!.id]);
    // And backwards from the oldest: last 2 before made[1] is made[0]; before made[3] are the newer ones.
    const older = await posts({ last: 3, before: second.body.data.article.liveBlog.posts.edges[0].cursor });
    expect(ids(older)).toEqual([sixth.id, made[4]!.id, made[3]!.id]);
    expect(first.body.data.article.liveBlog.posts.totalCount).toBe(5);
    const keyEvents = await gw.gql(`query($id: ID!) { article(id: $id) { liveBlog { keyEvents { id title } } } }`, {
      id: live,
    });
    expect(keyEvents.body.data.article.liveBlog.keyEvents).toEqual([{ id: made[1]!.id, title: "Post 2" }]);
  });

  it("the number of SQL statements of a page does not grow with its size", async () => {
    const small = await gw.gql(POSTS, { id: live, first: 2 }, editor);
    const large = await gw.gql(POSTS, { id: live, first: 20 }, editor);
    expect(large.statements).toBe(small.statements);
  });

  it("posts(since:) returns exactly the new and changed posts; deletedPostIds the removed ones", async () => {
    const all = await posts({ first: 100 });
    const [p6, p5, p4, p3, , p1] = ids(all);
    const since = all.body.data.article.liveBlog.posts.pageInfo.startCursor;
    expect((await posts({ since })).body.data.article.liveBlog.posts.edges).toEqual([]);
    const p7 = await add({ body: "<p>New</p>" });
    tick();
    const v = (await gw.gql(`query($id: ID!) { node(id: $id) { ... on LivePost { version } } }`, { id: p4 })).body.data
      .node.version;
    const updated = await gw.gql(UPDATE, { id: p4, input: { title: "Post 4, corrected" }, version: v }, editor);
    expect(updated.body.data.updateLivePost).toMatchObject({ title: "Post 4, corrected", version: v + 1 });
    const stale = await gw.gql(UPDATE, { id: p4, input: { title: "Lost" }, version: v }, editor);
    expect(code(stale)).toBe("CONFLICT");
    expect(
      (await gw.gql(`mutation($id: ID!) { deleteLivePost(id: $id) }`, { id: p3 }, editor)).body.data.deleteLivePost,
    ).toBe(true);
    const pinned = await gw.gql(`mutation($id: ID!) { pinLivePost(id: $id) { id pinned } }`, { id: p1 }, editor);
    expect(pinned.body.data.pinLivePost).toEqual({ id: p1, pinned: true });
    const changed = await gw.gql(
      `query($id: ID!, $since: String!) { article(id: $id) { liveBlog { pinned { id }
        posts(since: $since) { edges { node { id title pinned updatedAt } } } deletedPostIds(since: $since) } } }`,
      { id: live, since },
    );
    const blog = changed.body.data.article.liveBlog;
    expect(blog.posts.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([p7.id, p4, p1]);
    expect(blog.posts.edges[1].node.title).toBe("Post 4, corrected");
    expect(new Date(blog.posts.edges[1].node.updatedAt).getTime()).toBeGreaterThan(
      new Date(all.body.data.article.liveBlog.posts.edges[2].node.updatedAt).getTime(),
    );
    expect(blog.deletedPostIds).toEqual([p3]);
    expect(blog.pinned).toEqual({ id: p1 });
    // Pinning another unpins the first: both come back as changed.
    const next = (await posts({ first: 1 })).body.data.article.liveBlog.cursor;
    await gw.gql(`mutation($id: ID!) { pinLivePost(id: $id) { id } }`, { id: p5 }, editor);
    const repinned = await posts({ since: next });
    expect(
      repinned.body.data.article.liveBlog.posts.edges.map((e: { node: { id: string; pinned: boolean } }) => [
        e.node.id,
        e.node.pinned,
      ]),
    ).toEqual([
      [p5, true],
      [p1, false],
    ]);
    // The deleted post is gone from every path.
    expect(ids(await posts({ first: 100 }))).not.toContain(p3);
    expect((await gw.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: p3 }, editor)).body.data.node).toBeNull();
    expect(p6).toBeDefined();
    const types = changes.slice(-5).map((c) => c.type);
    expect(types).toEqual([
      "live.post_added",
      "live.post_updated",
      "live.post_deleted",
      "live.post_pinned",
      "live.post_pinned",
    ]);
    const stored = await gw.ds.query("SELECT type FROM content_events WHERE type LIKE 'live.%' ORDER BY id");
    expect(stored.map((r: { type: string }) => r.type).slice(-5)).toEqual(types);
  });

  it("a live blog on a draft is invisible to the public, but editors preview it", async () => {
    const draft = gid("Article", (await gw.factory.article({ sectionId, status: "draft", publishedAt: null })).id);
    await gw.gql(START, { id: draft }, editor);
    const post = await add({ body: "<p>Embargoed</p>" }, draft);
    expect((await gw.gql(`query($id: ID!) { article(id: $id) { id } }`, { id: draft })).body.data.article).toBeNull();
    expect((await gw.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: post.id })).body.data.node).toBeNull();
    const preview = await gw.gql(
      `query($id: ID!) { node(id: $id) { ... on LivePost { id title } } }`,
      { id: post.id },
      editor,
    );
    expect(preview.body.data.node).toEqual({ id: post.id, title: null });
  });

  it("refuses bad input with clear codes and keeps what is stored", async () => {
    const plain = gid("Article", (await gw.factory.article({ sectionId })).id);
    expect(code(await gw.gql(ADD, { id: plain, input: { body: "<p>x</p>" } }, editor))).toBe("NOT_FOUND");
    expect(code(await gw.gql(ADD, { id: live, input: { body: "<p>x</p>" } }))).toBe("UNAUTHENTICATED");
    expect(code(await gw.gql(ADD, { id: live, input: { body: "x".repeat(70_000) } }, editor))).toBe("BAD_USER_INPUT");
    expect(code(await gw.gql(ADD, { id: live, input: { body: "<script>only</script>" } }, editor))).toBe(
      "BAD_USER_INPUT",
    );
    expect(code(await gw.gql(ADD, { id: live, input: { body: "<p>x</p>", authorIds: ["bad"] } }, editor))).toBe(
      "BAD_USER_INPUT",
    );
    expect(code(await gw.gql(POSTS, { id: live, since: "not-a-cursor" }))).toBe("BAD_USER_INPUT");
    expect(code(await gw.gql(POSTS, { id: live, first: 101 }))).toBe("BAD_USER_INPUT");
    expect(code(await gw.gql(`mutation { deleteLivePost(id: "${gid("Article", 1)}") }`, undefined, editor))).toBe(
      "BAD_USER_INPUT",
    );
    const ended = await gw.gql(
      `mutation($id: ID!) { endLiveBlog(articleId: $id) { status coverageEndedAt } }`,
      { id: live },
      editor,
    );
    expect(ended.body.data.endLiveBlog.status).toBe("ENDED");
    expect(code(await gw.gql(ADD, { id: live, input: { body: "<p>late</p>" } }, editor))).toBe("CONFLICT");
    expect((await posts({ first: 100 })).body.data.article.liveBlog.posts.totalCount).toBe(6);
    await gw.gql(START, { id: live }, editor);
  });

  it("structured data says LiveBlogPosting with coverage times and the newest updates", async () => {
    await gw.gql(`mutation($id: ID!) { endLiveBlog(articleId: $id) { status } }`, { id: live }, editor);
    const res = await gw.gql(
      `query($id: ID!) { article(id: $id) { title liveBlog { coverageStartedAt coverageEndedAt structuredData } } }`,
      { id: live },
    );
    const { structuredData: sd, coverageStartedAt, coverageEndedAt } = res.body.data.article.liveBlog;
    expect(sd).toMatchObject({
      "@context": "https://schema.org",
      "@type": "LiveBlogPosting",
      headline: "Election night",
      coverageStartTime: coverageStartedAt,
      coverageEndTime: coverageEndedAt,
    });
    expect(sd.liveBlogUpdate.length).toBe(6);
    expect(sd.liveBlogUpdate[0]).toMatchObject({ "@type": "BlogPosting", headline: "New" });
    // The article's own structured data (Seo.structuredData) says it is live coverage too, and keeps
    // what a NewsArticle has (author, publisher, section).
    const seo = await gw.gql(`query($id: ID!) { article(id: $id) { seo { structuredData } } }`, { id: live });
    const page = seo.body.data.article.seo.structuredData;
    expect(page).toMatchObject({
      "@type": "LiveBlogPosting",
      headline: "Election night",
      coverageStartTime: coverageStartedAt,
      coverageEndTime: coverageEndedAt,
      publisher: expect.objectContaining({ "@type": "NewsMediaOrganization" }),
    });
    expect(page.liveBlogUpdate).toHaveLength(6);
    const plain = gid("Article", (await gw.factory.article({ sectionId, title: "No live blog" })).id);
    const news = await gw.gql(`query($id: ID!) { article(id: $id) { seo { structuredData } } }`, { id: plain });
    expect(news.body.data.article.seo.structuredData["@type"]).toBe("NewsArticle");
    await gw.gql(START, { id: live }, editor);
  });

  it("polling answers are cacheable for a few seconds and a post purges exactly the blogs it touches", async () => {
    const other = gid("Article", (await gw.factory.article({ sectionId, title: "Other" })).id);
    const poll = (id: string) =>
      gw.gql(`query($id: ID!) { article(id: $id) { liveBlog { cursor posts(first: 3) { edges { node { id } } } } } }`, {
        id,
      });
    const plainArticle = () => gw.gql(`query($id: ID!) { article(id: $id) { title } }`, { id: other });
    const miss = await poll(live);
    expect(miss.headers.get("x-cache")).toBe("MISS");
    expect(miss.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=5, stale-while-revalidate=5");
    const liveId = Buffer.from(live, "base64url").toString().split(":")[1];
    expect(miss.headers.get("surrogate-key")!.split(" ")).toContain(`lb-${liveId}`);
    expect((await poll(live)).headers.get("x-cache")).toBe("HIT");
    await plainArticle();
    expect((await plainArticle()).headers.get("x-cache")).toBe("HIT");
    const post = await add({ body: "<p>Fresh</p>" });
    const after = await poll(live);
    expect(after.headers.get("x-cache")).toBe("MISS");
    expect(after.body.data.article.liveBlog.posts.edges[0].node.id).toBe(post.id);
    // The other article's answer and lists were not touched by a live post.
    expect((await plainArticle()).headers.get("x-cache")).toBe("HIT");
    const keys = keysForChange(changes.at(-1)!);
    expect(keys).toContain(`lb-${liveId}`);
    expect(keys).not.toContain("l-all");
    expect(keys).not.toContain(`a-${liveId}`);
  });
});
