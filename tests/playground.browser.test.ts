import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { gid, startGateway, type TestGateway } from "./helpers/gateway";

/** Debian's Chromium, installed by .ci/run; playwright-core only drives it (it downloads no browser). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = fs.existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  console.warn(
    `SKIPPED the playground browser test: ${CHROMIUM} is missing (apt-get install -y chromium). In CI it runs and fails instead.`,
  );
}

(available || process.env.CI ? describe : describe.skip)("the playground in a real browser", () => {
  let gw: TestGateway;
  let browser: Browser;
  beforeAll(async () => {
    gw = await startGateway("sqlite", { seedDemo: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it("runs the mobile feed example and shows its articles, with nothing loaded from elsewhere", async () => {
    const expected = await gw.gql(
      `{ articles(first: 1, filter: { section: "eu", language: "en" }) { nodes { title } } }`,
    );
    const newest: string = expected.body.data.articles.nodes[0].title;

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const hosts = new Set<string>();
    const problems: string[] = [];
    page.on("request", (r) => {
      const url = new URL(r.url());
      if (url.protocol === "http:" || url.protocol === "https:") hosts.add(url.hostname);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });

    await page.goto(`${gw.url}/graphql`);
    expect(await page.title()).toBe("Courant GraphQL playground");
    // The example tabs, the first one open, its editor ready.
    await page.getByRole("tab", { name: /MobileHomeFeed/ }).waitFor();
    await page.getByRole("tab", { name: /CreateArticle/ }).waitFor();
    await page.locator(".graphiql-query-editor .monaco-editor").waitFor();
    await page.locator(".graphiql-query-editor .view-lines", { hasText: "query MobileHomeFeed" }).waitFor();

    await page.locator(".graphiql-execute-button").click();
    const result = page.locator(".result-window");
    await result.getByText(newest).first().waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toContain('"nodes"');

    // The schema's documentation explorer.
    await page.getByLabel("Show Documentation Explorer").click();
    await page.locator(".graphiql-doc-explorer").getByText("Root Types").waitFor();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-playground-"));
    const shot = path.join(dir, "playground.png");
    await page.screenshot({ path: shot });
    console.log(`playground screenshot: ${shot}`);
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);

    expect([...hosts]).toEqual(["127.0.0.1"]);
    expect(problems).toEqual([]);
  });

  it("runs the BreakingNews subscription tab over WebSocket: a story published meanwhile shows up in it", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`${gw.url}/graphql`);
    await page.locator(".graphiql-query-editor .view-lines", { hasText: "query MobileHomeFeed" }).waitFor();
    await page.getByRole("tab", { name: /BreakingNews/ }).click();
    await page.locator(".graphiql-query-editor .view-lines", { hasText: "BreakingNews" }).waitFor();
    const feed = gw.courant.deps.services.liveFeed;
    const before = feed.subscribers;
    // On a loaded CI machine the subscription has twice failed to register after the click (once
    // within 5 s, once within 20 s), with nothing in the result pane: the click is sent again
    // while nothing has registered, up to three times, 10 s each. What it must do once
    // registered is unchanged below; a failure says what the result pane showed.
    for (let attempt = 0; attempt < 3 && feed.subscribers <= before; attempt++) {
      await page.locator(".graphiql-execute-button").click();
      for (let i = 0; i < 500 && feed.subscribers <= before; i++) await new Promise((r) => setTimeout(r, 20));
    }
    if (feed.subscribers !== before + 1) {
      const shown = await page.locator(".result-window").innerText();
      throw new Error(
        `the subscription did not register (${feed.subscribers - before}); result pane: ${shown}; ${problems.join("; ")}`,
      );
    }

    const editor = {
      authorization: `Bearer ${await gw.courant.deps.services.auth.create("playground-desk", "editor")}`,
    };
    const section = await gw.factory.section({ slug: "playground-breaking" });
    const draft = await gw.factory.article({
      sectionId: section.id,
      language: "en",
      title: "Breaking in the playground",
      status: "draft",
      publishedAt: null,
    });
    const published = await gw.gql(
      `mutation($id: ID!) { publishArticle(id: $id) { status } }`,
      { id: gid("Article", draft.id) },
      editor,
    );
    expect(published.body.data.publishArticle.status).toBe("PUBLISHED");
    const result = page.locator(".result-window");
    await result.getByText("Breaking in the playground").first().waitFor({ timeout: 20_000 });
    expect(await result.innerText()).toContain('"articlePublished"');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens a shared link on its operation and variables, and copies a link to the open tab", async () => {
    const expected = await gw.gql(`query Shared($n: Int) { articles(first: $n) { nodes { title } } }`, { n: 2 });
    const titles: string[] = expected.body.data.articles.nodes.map((n: { title: string }) => n.title);
    expect(titles).toHaveLength(2);

    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    const query = "query Shared($n: Int) { articles(first: $n) { nodes { title } } }";
    const link = `${gw.url}/graphql?${new URLSearchParams({ query, variables: JSON.stringify({ n: 2 }), operationName: "Shared" })}`;
    await page.goto(link);
    await page.locator(".graphiql-query-editor .view-lines", { hasText: "query Shared" }).waitFor();
    // The examples are still there, after the link's own tab.
    await page.getByRole("tab", { name: /MobileHomeFeed/ }).waitFor();
    await page.locator(".graphiql-execute-button").click();
    const result = page.locator(".result-window");
    await result.getByText(titles[1]!).first().waitFor({ timeout: 20_000 });
    // The variables came along: exactly two articles, not the default page.
    expect((await result.innerText()).match(/"title"/g)).toHaveLength(2);

    // "Copy link" on another tab gives a link to that tab's operation, which opens on it.
    await page.getByRole("tab", { name: /MobileHomeFeed/ }).click();
    await page.locator(".graphiql-query-editor .view-lines", { hasText: "query MobileHomeFeed" }).waitFor();
    await page.getByRole("button", { name: "Copy link" }).click();
    const copied = await page.getByLabel("Link to this tab").inputValue();
    const url = new URL(copied);
    expect(url.pathname).toBe("/graphql");
    expect(url.searchParams.get("query")).toContain("query MobileHomeFeed");
    expect(url.searchParams.has("headers")).toBe(false);

    const other = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await other.goto(copied);
    await other.locator(".graphiql-query-editor .view-lines", { hasText: "query MobileHomeFeed" }).waitFor();
    expect(problems).toEqual([]);
    await other.close();
    await page.close();
  });
});
