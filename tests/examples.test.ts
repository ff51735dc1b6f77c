import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { promisify } from "node:util";
import { DATABASES } from "./helpers/databases";
import { startGateway, type TestGateway } from "./helpers/gateway";

// Asynchronous on purpose: the gateway answers from this very process.
const run = promisify(execFile);
const root = path.join(__dirname, "..");

async function example(script: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [path.join(root, "examples", script), ...args], {
    cwd: root,
    timeout: 30_000,
  });
  return stdout;
}

const DUTCH_SLUG = "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen";

describe.each(DATABASES)("client examples against the demo gateway (%s)", (kind) => {
  let gw: TestGateway;
  let graphqlUrl: string;
  beforeAll(async () => {
    gw = await startGateway(kind, { seedDemo: true });
    graphqlUrl = `${gw.url}/graphql`;
  });
  afterAll(() => gw?.close());

  const titles = async (filter: Record<string, string>, first: number): Promise<string[]> => {
    const res = await gw.gql(
      `query ($f: ArticleFilter, $n: Int) { articles(first: $n, filter: $f) { nodes { title } } }`,
      {
        f: filter,
        n: first,
      },
    );
    return res.body.data.articles.nodes.map((n: { title: string }) => n.title);
  };

  it("web client live view (Apollo split link): loads posts over HTTP, then updates arrive over WebSocket", async () => {
    const editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("live-example", "editor")}` };
    const article = (await gw.gql(`{ articles(first: 1) { nodes { id title } } }`)).body.data.articles.nodes[0];
    await gw.gql(`mutation($id: ID!) { startLiveBlog(articleId: $id) { status } }`, { id: article.id }, editor);
    const add = (title: string) =>
      gw.gql(
        `mutation($id: ID!, $title: String!) { addLivePost(articleId: $id, input: { title: $title, body: "<p>x</p>" }) { id } }`,
        { id: article.id, title },
        editor,
      );
    await add("Polls open");
    const child = spawn(
      process.execPath,
      [
        path.join(root, "examples", "web-client", "live.mjs"),
        "--url",
        graphqlUrl,
        "--article",
        article.id,
        "--updates",
        "2",
      ],
      { cwd: root },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    try {
      for (let i = 0; i < 300 && !out.includes("watching"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out).toContain("watching");
      await new Promise((r) => setTimeout(r, 300));
      await add("First results");
      await add("Turnout record");
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
    expect(out).toContain("update: POST_ADDED");
    // The last render shows the newest first, the post loaded over HTTP below them.
    const lastView = out
      .slice(out.lastIndexOf(`${article.title} [LIVE]`))
      .split("\n")
      .slice(1, 4);
    expect(lastView.map((l) => l.trim())).toEqual(["Turnout record", "First results", "Polls open"]);
  });

  it("web client (Apollo Client 4): two pages with fetchMore, persisted queries sent as GET", async () => {
    const out = await example("web-client/feed.mjs", ["--url", graphqlUrl, "--section", "eu", "--page-size", "3"]);
    const requests = out.split("\n").filter((l) => l.startsWith("request: "));
    // The unknown hash is registered once with a POST; the second page's GET is answered from the hash.
    expect(requests).toEqual([
      "request: GET (hash only) -> PERSISTED_QUERY_NOT_FOUND",
      "request: POST (full query) -> data",
      "request: GET (hash only) -> data",
    ]);
    const listed = out
      .split("\n")
      .filter((l) => l.startsWith("  "))
      .map((l) => l.trim().replace(/ \[[a-z]{2}\]$/, ""));
    const expected = await titles({ section: "eu" }, 6);
    expect(expected).toHaveLength(6);
    expect(listed).toEqual(expected);
    expect(new Set(listed).size).toBe(6);
    expect(out).toContain("page 2:");
    expect(out).toContain("cached feed: 6 articles, 6 distinct");

    // A second client finds the query registered: every request is a hash-only GET.
    const again = await example("web-client/feed.mjs", ["--url", graphqlUrl, "--section", "eu", "--page-size", "3"]);
    expect(again.split("\n").filter((l) => l.startsWith("request: "))).toEqual([
      "request: GET (hash only) -> data",
      "request: GET (hash only) -> data",
    ]);
  });

  it("mobile feed (plain fetch): pages through a section, then renders an article's blocks as text", async () => {
    const out = await example("mobile-feed/feed.mjs", [
      "--url",
      graphqlUrl,
      "--section",
      "eu",
      "--language",
      "nl",
      "--page-size",
      "2",
      "--article",
      DUTCH_SLUG,
    ]);
    const lines = out.split("\n");
    const expected = await titles({ section: "eu", language: "nl" }, 100);
    expect(expected.length).toBeGreaterThan(2);
    const listed = lines.filter((l) => l.startsWith("  ")).map((l) => l.trim().split(" | ")[0]);
    expect(listed).toEqual(expected);
    expect(lines.filter((l) => /^page \d+:$/.test(l))).toHaveLength(Math.ceil(expected.length / 2));
    expect(out).toContain(`${expected.length} articles in section "eu" (nl)`);
    expect(lines).toContain("MOSKOU ROEPT BAKU EN YEREVAN OP OM TE ONDERHANDELEN");
    expect(lines).toContain("Alex Ivanov, Moscow correspondent, 2020-10-05");
    expect(lines).toContain("[Advertisement: advertentie]");
    expect(out).toMatch(/^Het nieuwe uitbreken van het militaire conflict/m);
    expect(out).not.toMatch(/<\/?[a-z]+[ >]/);
  });
});

describe("persisted queries over GET: what a mobile client must send", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite", { seedDemo: true });
  });
  afterAll(() => gw?.close());

  const query = "query SiteName { site { name } }";
  const extensions = { persistedQuery: { version: 1, sha256Hash: createHash("sha256").update(query).digest("hex") } };
  const getUrl = () => `${gw.url}/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`;

  it("refuses a GET without a preflight header (CSRF prevention), and answers one with it", async () => {
    const bare = await fetch(getUrl());
    expect(bare.status).toBe(400);
    expect(JSON.stringify(await bare.json())).toContain("apollo-require-preflight");

    const unknown = await fetch(getUrl(), { headers: { "apollo-require-preflight": "true" } });
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");

    const post = await fetch(`${gw.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, extensions }),
    });
    expect(((await post.json()) as any).data.site.name).toBe("EU Reporter");

    const preflights: Array<Record<string, string>> = [
      { "apollo-require-preflight": "true" },
      { "content-type": "application/json" },
    ];
    for (const headers of preflights) {
      const hit = await fetch(getUrl(), { headers });
      expect(hit.status).toBe(200);
      expect((await hit.json()) as any).toMatchObject({ data: { site: { name: "EU Reporter" } } });
    }
  });
});
