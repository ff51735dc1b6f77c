import { loadConfig } from "../../src/config";
import { migrate, openDataSource } from "../../src/db/data-source";
import { DATABASES, freshDatabase } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";

const run = DATABASES.includes("mysql") ? describe : describe.skip;
if (!DATABASES.includes("mysql")) console.log("SKIPPED read replica tests: they need MySQL (MYSQL_TEST_URL)");

run("read replicas", () => {
  let replica: Awaited<ReturnType<typeof freshDatabase>>;
  let gw: TestGateway;

  beforeAll(async () => {
    replica = await freshDatabase("mysql");
    const ds = await openDataSource(loadConfig({ DATABASE_URL: replica.url, LOG_LEVEL: "silent" }), undefined, {
      uncapped: true,
    });
    await migrate(ds);
    // The replica lags: it holds a marker only it has, so the test can tell who answered.
    await ds.query("INSERT INTO sections (id, slug, name, position) VALUES (1, 'eu', 'EU', 1)");
    await ds.query(
      "INSERT INTO articles (story_key, slug, language, title, body, status, published_at, created_at, updated_at, section_id) VALUES ('replica-story', 'on-the-replica', 'en', 'Read from the replica', '<p>r</p>', 'published', '2020-01-01 00:00:00', '2020-01-01 00:00:00', '2020-01-01 00:00:00', 1)",
    );
    await ds.destroy();
    gw = await startGateway("mysql", { env: { DATABASE_REPLICA_URLS: replica.url } });
  });
  afterAll(async () => {
    await gw?.close();
    await replica?.drop();
  });

  it("answers public reads from the replica and keeps writes and editors' previews on the primary", async () => {
    const s = await gw.factory.section({ slug: "eu", name: "EU" });
    const key = await gw.courant.deps.services.auth.create("desk", "editor");
    const created = await gw.gql(
      `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
      {
        input: {
          title: "Written to the primary",
          language: "en",
          sectionId: gid("Section", s.id),
          authorIds: [],
          body: "<p>p</p>",
        },
      },
      { authorization: `Bearer ${key}` },
    );
    if (!created.body.data) throw new Error(JSON.stringify(created.body));
    const id = created.body.data.createArticle.id as string;
    const publicFeed = await gw.gql(`{ articles { nodes { title } } }`);
    expect(publicFeed.body.data.articles.nodes).toEqual([{ title: "Read from the replica" }]);
    const preview = await gw.gql(
      `query($id: ID!) { article(id: $id) { title status } }`,
      { id },
      { authorization: `Bearer ${key}` },
    );
    expect(preview.body.data.article).toEqual({ title: "Written to the primary", status: "DRAFT" });
  });

  it("refuses replicas without a MySQL primary, and malformed replica URLs", () => {
    expect(() => loadConfig({ DATABASE_URL: "sqlite:./x.sqlite", DATABASE_REPLICA_URLS: replica.url })).toThrow(
      /DATABASE_REPLICA_URLS/,
    );
    expect(() => loadConfig({ DATABASE_URL: replica.url, DATABASE_REPLICA_URLS: "http://nope" })).toThrow(
      /DATABASE_REPLICA_URLS/,
    );
  });
});
