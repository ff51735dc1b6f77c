import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { startGateway, type TestGateway } from "./helpers/gateway";

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
});
