/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { execFile } from "node:child_process";
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import express from "express";
import { chromium, type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { startGateway, type TestGateway } from "./helpers/gateway";

// The reference article page (examples/article-page: Vite, React, Apollo Client 4) built with
// Vite here, served on a private port, talking to a private gateway, driven in the system Chromium.

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = fs.existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  console.warn(
    `SKIPPED the article page browser test: ${CHROMIUM} is missing (apt-get install -y chromium). In CI it runs and fails instead.`,
  );
}

const run = promisify(execFile);
const root = path.join(__dirname, "..");
const appDir = path.join(root, "examples", "article-page");
const ARTIFACTS = path.join(root, "artifacts");
const DUTCH_SLUG = "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen";
const PAGE_SIZE = 3;
const LOCAL = "127.0.0.1";

function viteBin(): string {
  for (const dir of [path.join(root, "node_modules"), path.join(appDir, "node_modules")]) {
    const bin = path.join(dir, "vite", "bin", "vite.js");
    if (fs.existsSync(bin)) return bin;
  }
  throw new Error("vite is not installed: run npm ci at the repository root (examples/article-page is a workspace)");
}

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

(available || process.env.CI ? describe : describe.skip)("the reference article page in a real browser", () => {
  let gw: TestGateway;
  let server: Server;
  let origin: string;
  let outDir: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every request the pages made, and the ones to other hosts, answered here instead of leaving. */
  const requests: Request[] = [];
  const intercepted: string[] = [];
  const problems: string[] = [];
  let api: any;

  const beacons = () => requests.filter((r) => r.url() === `${gw.url}/beacon/view`);
  const graphql = () => requests.filter((r) => r.url().startsWith(`${gw.url}/graphql`));

  async function metric(name: string, label = ""): Promise<number> {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    const line = text.split("\n").find((l) => l.startsWith(`${name}${label} `) || l.startsWith(`${name}${label}{`));
    return line ? Number(line.split(" ").pop()) : 0;
  }

  async function trendingViews(section: string, language: string | null, articleId: string): Promise<number> {
    const res = await gw.gql(
      `query($s: String, $l: Locale) { trending(section: $s, language: $l, first: 50) { items { views article { id } } } }`,
      { s: section, l: language },
    );
    return res.body.data.trending.items.find((i: any) => i.article.id === articleId)?.views ?? 0;
  }

  async function until(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  function watch(p: Page): Page {
    p.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    p.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    return p;
  }

  async function newContext(): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    ctx.on("request", (r) => requests.push(r));
    // Nothing leaves the machine: other hosts (share targets) are answered here.
    await ctx.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === LOCAL) return route.continue();
      intercepted.push(route.request().url());
      return route.fulfill({
        status: 200,
        contentType: "text/html",
        body: "<!doctype html><title>intercepted</title>",
      });
    });
    return ctx;
  }

  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-article-page-"));
    // The page's static server, with the image renditions the gateway's template points at.
    const app = express();
    app.get("/img", (req, res) => {
      const w = Math.min(4096, Math.max(1, Number.parseInt(String(req.query.w), 10) || 800));
      const h = Math.round((w * 9) / 16);
      // A busy picture, as photos are: Chromium leaves low-entropy images out of LCP.
      const shapes = Array.from({ length: 120 }, (_, i) => {
        const x = ((i * 7919) % 997) / 997;
        const y = ((i * 104729) % 991) / 991;
        return `<circle cx="${Math.round(x * w)}" cy="${Math.round(y * h)}" r="${Math.round(((i % 9) + 2) * (w / 160))}" fill="hsl(${(i * 37) % 360} 55% ${35 + (i % 5) * 8}%)"/>`;
      }).join("");
      res
        .type("image/svg+xml")
        .set("cache-control", "public, max-age=3600")
        .send(
          `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">` +
            `<rect width="100%" height="100%" fill="#4a6d96"/>${shapes}</svg>`,
        );
    });
    app.use(express.static(outDir, { index: "index.html" }));
    app.use((_req, res) => res.sendFile(path.join(outDir, "index.html")));
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, LOCAL, () => resolve(s));
    });
    origin = `http://${LOCAL}:${(server.address() as AddressInfo).port}`;

    gw = await startGateway("sqlite", {
      seedDemo: true,
      env: {
        CORS_ORIGINS: origin,
        PUBLIC_SITE_URL: origin,
        IMAGE_RENDITION_TEMPLATE: `${origin}/img?w={width}&src={url}`,
        TRENDING_CACHE_SECONDS: "0",
        TRENDING_FLUSH_INTERVAL_MS: "50",
      },
    });

    const started = Date.now();
    await run(process.execPath, [viteBin(), "build", "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], {
      cwd: appDir,
      env: { ...process.env, VITE_COURANT_URL: gw.url, VITE_PAGE_SIZE: String(PAGE_SIZE) },
      timeout: 120_000,
    });
    console.log(`article page: vite build took ${Date.now() - started} ms`);

    const res = await gw.gql(
      `{
        site { name socialLinks { network url } consent: newsletterConsentText(language: "nl") }
        article(slug: "${DUTCH_SLUG}", language: "nl") {
          id title byline disclaimer publishedAt url
          section { name url }
          shareLinks { facebook x linkedin whatsapp telegram reddit email }
          heroImage { alt w480: rendition(width: 480) w800: rendition(width: 800) w1280: rendition(width: 1280) w1600: rendition(width: 1600) }
          seo { title description canonicalUrl imageUrl structuredData alternates { hreflang url } }
          translations { language url }
          body { blocks { __typename ... on ParagraphBlock { text } ... on AdSlotBlock { label } } }
        }
      }`,
    );
    api = res.body.data;
    expect(api.article.heroImage).not.toBeNull();

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
    context = await newContext();
    page = watch(await context.newPage());
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    await new Promise((r) => (server ? server.close(r) : r(undefined)));
    if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  });

  it("ships no article text: everything about the story comes from the API", () => {
    const assets = fs
      .readdirSync(path.join(outDir, "assets"))
      .map((f) => fs.readFileSync(path.join(outDir, "assets", f), "utf8"))
      .join("\n");
    const paragraph = api.article.body.blocks.find((b: any) => b.__typename === "ParagraphBlock").text;
    for (const text of [
      api.article.title,
      api.article.byline,
      api.article.disclaimer,
      api.site.consent,
      paragraph.slice(0, 60),
      "advertentie",
    ]) {
      expect(assets).not.toContain(text);
    }
  });

  it("shows the Dutch demo article with every element of the real page, from the API", async () => {
    await page.goto(`${origin}/nl/${DUTCH_SLUG}`);
    const h1 = page.locator("h1");
    await h1.waitFor();
    const a = api.article;
    expect(await h1.innerText()).toBe(a.title);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("nl");

    // Section label, linking to the section front.
    const section = page.locator(".section-label a");
    expect(await section.innerText()).toBe(a.section.name);
    expect(await section.getAttribute("href")).toBe(`${new URL(a.section.url).pathname}?lang=nl`);

    // Localized date, byline.
    const time = page.locator(".published time");
    expect(await time.getAttribute("datetime")).toBe(a.publishedAt);
    expect(await time.innerText()).toBe(
      new Intl.DateTimeFormat("nl", { dateStyle: "long", timeZone: "UTC" }).format(new Date(a.publishedAt)),
    );
    expect(await page.locator(".byline").innerText()).toBe(a.byline);

    // Share buttons, twice (top: DELEN, bottom: Deel dit artikel), each to the API's URL.
    const bars = page.locator("nav.share");
    expect(await bars.count()).toBe(2);
    for (const bar of await bars.all()) {
      for (const [network, url] of Object.entries(a.shareLinks)) {
        expect(await bar.locator(`a[data-network="${network}"]`).getAttribute("href")).toBe(url);
      }
    }

    // Hero image: the API's alt text and renditions in srcset, one picked for this viewport.
    const hero = page.locator(".story .picture img").first();
    await until("the hero image", () => hero.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0));
    expect(await hero.getAttribute("alt")).toBe(a.heroImage.alt);
    const srcset = (await hero.getAttribute("srcset"))!;
    for (const w of ["w480", "w800", "w1280", "w1600"]) expect(srcset).toContain(a.heroImage[w]);
    expect(Object.values(a.heroImage)).toContain(await hero.evaluate((img: HTMLImageElement) => img.currentSrc));

    // The body: the API's paragraphs in order, the ad slot labelled "advertentie" between them.
    const rendered = await page
      .locator(".story-body > *")
      .evaluateAll((els) => els.map((e) => ({ tag: e.tagName, cls: e.className, text: e.textContent ?? "" })));
    const expected = a.body.blocks.map((b: any) =>
      b.__typename === "AdSlotBlock" ? { tag: "ASIDE", text: b.label } : { tag: "P", text: b.text },
    );
    expect(rendered.map((r) => ({ tag: r.tag, text: squash(r.text) }))).toEqual(
      expected.map((e: any) => ({ ...e, text: squash(e.text) })),
    );
    const ad = rendered.findIndex((r) => r.cls === "ad-slot");
    expect(rendered[ad]!.text).toBe("advertentie");
    expect(ad).toBeGreaterThan(0);
    expect(ad).toBeLessThan(rendered.length - 1);

    // Disclaimer, Trending box, newsletter with the consent text, social links, other languages.
    expect(await page.locator(".disclaimer").innerText()).toBe(a.disclaimer);
    expect(await page.locator(".trending h2").innerText()).toBe("Trending");
    expect(await page.locator(".newsletter .consent-text").innerText()).toBe(api.site.consent);
    const social = page.locator("header nav.social a");
    expect(
      await social.evaluateAll((els) => els.map((e) => ({ network: e.textContent, url: e.getAttribute("href") }))),
    ).toEqual(api.site.socialLinks);
    expect(await page.locator("header nav.social .social-label").innerText()).toBe("Verbind je met ons");
    const versions = await page
      .locator("nav.languages a[hreflang]")
      .evaluateAll((els) => els.map((e) => ({ language: e.getAttribute("hreflang"), url: e.getAttribute("href") })));
    expect(versions).toEqual(a.translations.map((t: any) => ({ language: t.language, url: new URL(t.url).pathname })));

    // Head tags.
    const head = await page.evaluate(() => {
      const meta = (sel: string) => document.head.querySelector(sel)?.getAttribute("content") ?? null;
      return {
        title: document.title,
        description: meta('meta[name="description"]'),
        canonical: document.head.querySelector('link[rel="canonical"]')?.getAttribute("href"),
        ogTitle: meta('meta[property="og:title"]'),
        ogDescription: meta('meta[property="og:description"]'),
        ogUrl: meta('meta[property="og:url"]'),
        ogImage: meta('meta[property="og:image"]'),
        ogType: meta('meta[property="og:type"]'),
        alternates: [...document.head.querySelectorAll('link[rel="alternate"][hreflang]')].map((l) => ({
          hreflang: l.getAttribute("hreflang"),
          url: l.getAttribute("href"),
        })),
        jsonLd: [...document.querySelectorAll('script[type="application/ld+json"]')].map((s) =>
          JSON.parse(s.textContent ?? "null"),
        ),
      };
    });
    expect(head).toEqual({
      title: `${a.seo.title} | ${api.site.name}`,
      description: a.seo.description,
      canonical: a.seo.canonicalUrl,
      ogTitle: a.seo.title,
      ogDescription: a.seo.description,
      ogUrl: a.seo.canonicalUrl,
      ogImage: a.seo.imageUrl,
      ogType: "article",
      alternates: a.seo.alternates,
      jsonLd: [a.seo.structuredData],
    });
    // The API's alternates: every language version and x-default; the JSON-LD is the demo's NewsArticle.
    expect(a.seo.alternates.map((x: { hreflang: string }) => x.hreflang)).toEqual(
      expect.arrayContaining(["nl", "x-default", ...a.translations.map((t: { language: string }) => t.language)]),
    );
    expect(a.seo.structuredData).toMatchObject({ "@type": "NewsArticle", headline: a.title, inLanguage: "nl" });

    // Landmarks and the skip link (the first thing a keyboard reaches; it moves focus to main).
    for (const role of ["banner", "main", "contentinfo", "complementary"] as const) {
      expect(await page.getByRole(role).count()).toBeGreaterThan(0);
    }
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("href"))).toBe("#main");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    // The page as a reader sees it (kept by CI as an artifact), before the ad below is filled in.
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, "article-page-nl.png");
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`article page screenshot: ${shot}`);
    expect(fs.statSync(shot).size).toBeGreaterThan(50_000);

    // The ad slot's space is reserved: an ad filled in later moves nothing below it.
    const after = page.locator(".story-body .ad-slot + p");
    const before = (await after.boundingBox())!.y;
    await page.locator(".story-body .ad-slot").evaluate((slot) => {
      const ad = document.createElement("div");
      ad.style.cssText = "width:300px;height:250px;margin:0 auto;background:#c33";
      slot.appendChild(ad);
    });
    expect((await after.boundingBox())!.y).toBe(before);
  });

  it("counts one view per page view, and not a second one on reload within the dedupe window", async () => {
    const id = api.article.id;
    await until("the first view counted", async () => (await trendingViews("eu", "nl", id)) === 1);
    expect(beacons()).toHaveLength(1);
    expect(JSON.parse(beacons()[0]!.postData()!)).toMatchObject({ articleId: id });

    const repeats = await metric("courant_views_dropped_total", '{reason="repeat_view"}');
    await page.reload();
    await page.locator("h1").waitFor();
    await until("the second page view's beacon", async () => beacons().length === 2);
    // The gateway saw it and dropped it as the same reader again.
    await until(
      "the repeat dropped",
      async () => (await metric("courant_views_dropped_total", '{reason="repeat_view"}')) === repeats + 1,
    );
    expect(await trendingViews("eu", "nl", id)).toBe(1);
  });

  it("sends its queries as persisted-query GETs (hash only) once registered", async () => {
    // Requests still in flight from the previous test's reload would otherwise count as this load's.
    await page.waitForLoadState("networkidle");
    const seen = graphql().length;
    await page.goto(`${origin}/nl/${DUTCH_SLUG}`);
    await page.locator(".trending li").first().waitFor();
    await page.waitForLoadState("networkidle");
    const fresh = graphql()
      .slice(seen)
      .filter((r) => r.frame().page() === page);
    expect(fresh.length).toBeGreaterThan(0);
    for (const r of fresh) {
      expect(r.method()).toBe("GET");
      const url = new URL(r.url());
      expect(url.searchParams.get("query")).toBeNull();
      expect(JSON.parse(url.searchParams.get("extensions")!).persistedQuery.sha256Hash).toMatch(/^[0-9a-f]{64}$/);
    }
    // The article page needs two requests: the page (article and site) and its section's Trending.
    expect(fresh.map((r) => new URL(r.url()).searchParams.get("operationName")).sort()).toEqual([
      "ArticlePage",
      "Trending",
    ]);
  });

  it("measures largest contentful paint and transfer size on a cold load (budgets loose for a noisy machine)", async () => {
    const cold = await newContext();
    const p = watch(await cold.newPage());
    const cdp = await cold.newCDPSession(p);
    await cdp.send("Network.enable");
    let bytes = 0;
    let count = 0;
    cdp.on("Network.loadingFinished", (e: { encodedDataLength: number }) => {
      bytes += e.encodedDataLength;
      count++;
    });
    await p.goto(`${origin}/nl/${DUTCH_SLUG}`);
    await p.locator(".trending li").first().waitFor();
    await p
      .locator(".story .picture img")
      .first()
      .evaluate((img: HTMLImageElement) => (img.complete ? null : new Promise((r) => (img.onload = r))));
    const vitals = await p.evaluate(
      () =>
        new Promise<{ lcp: number; cls: number; element: string }>((resolve) => {
          let lcp = 0;
          let element = "";
          let cls = 0;
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as any[]) {
              lcp = e.startTime;
              element = e.element?.tagName ?? "";
            }
          }).observe({ type: "largest-contentful-paint", buffered: true });
          new PerformanceObserver((list) => {
            for (const e of list.getEntries() as any[]) if (!e.hadRecentInput) cls += e.value;
          }).observe({ type: "layout-shift", buffered: true });
          setTimeout(() => resolve({ lcp, cls, element }), 300);
        }),
    );
    console.log(
      `article page (cold load): LCP ${Math.round(vitals.lcp)} ms (${vitals.element}), CLS ${vitals.cls.toFixed(3)}, ` +
        `transfer ${(bytes / 1024).toFixed(1)} KiB in ${count} responses (uncompressed static server)`,
    );
    expect(vitals.lcp).toBeGreaterThan(0);
    expect(vitals.lcp).toBeLessThan(6000);
    expect(vitals.cls).toBeLessThan(0.1);
    expect(bytes).toBeGreaterThan(50_000);
    expect(bytes).toBeLessThan(1_500_000);
    await cold.close();
  });

  it("opens the share targets' URLs (intercepted: nothing leaves the machine)", async () => {
    for (const network of ["facebook", "x", "linkedin"]) {
      const [popup] = await Promise.all([
        context.waitForEvent("page"),
        page.locator(`nav.share a[data-network="${network}"]`).first().click(),
      ]);
      await popup.waitForLoadState();
      expect(popup.url()).toBe(new URL(api.article.shareLinks[network]).href);
      expect(await popup.title()).toBe("intercepted");
      await popup.close();
    }
    expect(intercepted.map((u) => new URL(u).href)).toEqual(
      ["facebook", "x", "linkedin"].map((n) => new URL(api.article.shareLinks[n]).href),
    );
  });

  it("signs up for the newsletter only with consent, and shows the API's double opt-in answer", async () => {
    const mutations = () =>
      graphql().filter((r) => r.method() === "POST" && r.postData()?.includes("subscribeNewsletter"));
    const form = page.locator(".newsletter form");
    await form.locator('input[type="email"]').fill("reader@example.com");
    await form.locator('button[type="submit"]').click();
    await form.locator(".refused").waitFor();
    expect(await form.locator(".refused").innerText()).toBe(
      "Vink het vakje aan om akkoord te gaan voordat u zich aanmeldt.",
    );
    expect(mutations()).toHaveLength(0);

    await form.locator('input[name="consent"]').check();
    await form.locator('button[type="submit"]').click();
    const answer = form.locator(".subscribed");
    await answer.waitFor();
    expect(mutations()).toHaveLength(1);
    expect(JSON.parse(mutations()[0]!.postData()!).variables.input).toEqual({
      email: "reader@example.com",
      consent: true,
      language: "nl",
    });
    // What the API answers to the same sign-up.
    const same = await gw.gql(
      `mutation { subscribeNewsletter(input: { email: "reader@example.com", consent: true, language: "nl" }) { status } }`,
    );
    expect(await answer.getAttribute("data-status")).toBe(same.body.data.subscribeNewsletter.status);
    expect(await answer.getAttribute("data-status")).toBe("PENDING_CONFIRMATION");

    // A malformed address is refused in the page (the HTML rule the API's EmailAddress also uses).
    await form.locator('input[type="email"]').fill("not-an-address");
    await form.locator('button[type="submit"]').click();
    await form.locator(".refused").waitFor();
    expect(await form.locator(".refused").innerText()).toBe("Vul een geldig e-mailadres in.");
    expect(mutations()).toHaveLength(1);
  });

  it("pages the section front forward without duplicates, and back from a story to the same list", async () => {
    const res = await gw.gql(`{ articles(first: ${PAGE_SIZE * 2}, filter: { section: "eu" }) { nodes { id title } } }`);
    const expected = res.body.data.articles.nodes;
    expect(expected).toHaveLength(PAGE_SIZE * 2);
    const feed = page.locator("ol.feed > li");
    const listed = () => feed.evaluateAll((els) => els.map((e) => e.getAttribute("data-id")));

    await page.goto(`${origin}/section/eu`);
    await feed.first().waitFor();
    expect(await page.locator("h1").innerText()).toBe("EU");
    expect(await listed()).toEqual(expected.slice(0, PAGE_SIZE).map((n: any) => n.id));
    await page.getByRole("button", { name: "Older stories" }).click();
    await until("the second page", async () => (await feed.count()) === PAGE_SIZE * 2);
    expect(await listed()).toEqual(expected.map((n: any) => n.id));
    expect(await feed.locator("h2").allInnerTexts()).toEqual(expected.map((n: any) => n.title));

    // Into a story from page 2 and back: the same list, from the cache, without a new request.
    await feed.nth(PAGE_SIZE).locator("h2 a").click();
    await page.locator("article.story h1").waitFor();
    expect(await page.locator("article.story h1").innerText()).toBe(expected[PAGE_SIZE].title);
    const seen = graphql().length;
    await page.goBack();
    await until("the list back", async () => (await feed.count()) === PAGE_SIZE * 2);
    expect(await listed()).toEqual(expected.map((n: any) => n.id));
    expect(
      graphql()
        .slice(seen)
        .map((r) => new URL(r.url()).searchParams.get("operationName")),
    ).not.toContain("SectionFront");
  });

  it("shows Trending ranked by the API once views are recorded", async () => {
    const res = await gw.gql(`{ articles(first: 3, filter: { section: "eu", language: "en" }) { nodes { id } } }`);
    const ids: string[] = res.body.data.articles.nodes.map((n: any) => n.id);
    const before = await Promise.all(ids.map((id) => trendingViews("eu", null, id)));
    // Readers (distinct user agents) through the public recordView mutation: 4, 3 and 2 views.
    const added = [4, 3, 2];
    for (const [i, id] of ids.entries()) {
      for (let reader = 0; reader < added[i]!; reader++) {
        const r = await gw.gql(
          `mutation($id: ID!) { recordView(articleId: $id) }`,
          { id },
          { "user-agent": `reader-${reader}` },
        );
        expect(r.body.data.recordView).toBe(true);
      }
    }
    await until("the views flushed", async () => {
      const now = await Promise.all(ids.map((id) => trendingViews("eu", null, id)));
      return now.every((v, i) => v === before[i]! + added[i]!);
    });
    const ranked = await gw.gql(`{ trending(section: "eu", first: 5) { items { rank views article { id title } } } }`);
    const items = ranked.body.data.trending.items;
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.map((i: any) => i.rank)).toEqual(items.map((_: unknown, n: number) => n + 1));
    expect(items[0].article.id).toBe(ids[0]);

    await page.goto(`${origin}/section/eu`);
    const rows = page.locator(".trending li");
    await until("the ranked list", async () => (await rows.count()) === items.length);
    expect(
      await rows.evaluateAll((els) =>
        els.map((e) => ({
          rank: Number(e.getAttribute("data-rank")),
          views: Number(e.getAttribute("data-views")),
          title: e.querySelector("a")!.textContent,
        })),
      ),
    ).toEqual(items.map((i: any) => ({ rank: i.rank, views: i.views, title: i.article.title })));
  });

  it("opens the Lithuanian edition: the story in Lithuanian when it exists, else the API's fallback, saying so", async () => {
    await page.goto(`${origin}/nl/${DUTCH_SLUG}`);
    await page.locator("h1").waitFor();
    await page.locator('select[name="edition"]').selectOption("lt");
    const notice = page.locator(".fallback-notice");
    await notice.waitFor();
    expect(new URL(page.url()).search).toBe("?edition=lt");
    const chosen = await gw.gql(
      `{ article(slug: "${DUTCH_SLUG}", language: "nl") { translation(language: "lt", fallback: ["nl"]) { language title } } }`,
    );
    const fallback = chosen.body.data.article.translation;
    expect(fallback.language).not.toBe("lt");
    expect(await notice.getAttribute("data-requested")).toBe("lt");
    expect(await notice.getAttribute("data-shown")).toBe(fallback.language);
    expect(await notice.innerText()).toContain(new Intl.DisplayNames(["nl"], { type: "language" }).of("lt"));
    expect(await page.locator("h1").innerText()).toBe(fallback.title);

    // A story that has a Lithuanian version: the edition switch lands on it, at its own address.
    const vilnius = await gw.gql(
      `{ article(slug: "vilnius-becomes-a-hub-for-the-belarusian-opposition", language: "en") { translation(language: "lt") { title url } } }`,
    );
    const lt = vilnius.body.data.article.translation;
    await page.goto(`${origin}/en/vilnius-becomes-a-hub-for-the-belarusian-opposition?edition=lt`);
    await until("the Lithuanian version", async () => page.url() === lt.url);
    expect(await page.locator("h1").innerText()).toBe(lt.title);
    expect(await page.locator(".fallback-notice").count()).toBe(0);
  });

  it("made no request beyond 127.0.0.1 and hit no page errors", () => {
    const hosts = new Set(requests.map((r) => new URL(r.url()).hostname));
    const outside = requests.map((r) => r.url()).filter((u) => new URL(u).hostname !== LOCAL);
    // The only other hosts asked for are the share targets clicked, all answered by the route above.
    expect(outside.sort()).toEqual([...intercepted].sort());
    expect([...hosts].filter((h) => h !== LOCAL).sort()).toEqual(
      [...new Set(intercepted.map((u) => new URL(u).hostname))].sort(),
    );
    expect(problems).toEqual([]);
  });
});
