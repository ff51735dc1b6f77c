import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { XMLParser } from "fast-xml-parser";
import { parseFeed } from "@rowanmanning/feed-parser";
import { DATABASES } from "../helpers/databases";
import { gid, startGateway, type TestGateway } from "../helpers/gateway";

/** Read by an independent parser, never by the code that writes these files. */
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  isArray: (name) => ["url", "sitemap", "xhtml:link", "item", "entry"].includes(name),
});
const SITE = "https://news.example";
const DEMO_NL = "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen";
const HOUR = 3600_000;

interface Fetched {
  status: number;
  headers: Headers;
  text: string;
}

type UrlEntry = {
  loc: string;
  lastmod?: string;
  "xhtml:link"?: Array<{ "@rel": string; "@hreflang": string; "@href": string }>;
};

describe.each(DATABASES)("sitemaps, news sitemap and feeds on %s", (kind) => {
  let gw: TestGateway;
  let editor: Record<string, string>;
  let dir: string;
  const ids: Record<string, number> = {};

  const get = async (p: string): Promise<Fetched> => {
    const res = await fetch(`${gw.url}${p}`);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const ok = async (p: string) => {
    const r = await get(p);
    expect({ path: p, status: r.status }).toEqual({ path: p, status: 200 });
    return r;
  };
  /** The gateway path of a public URL the outputs name (they use PUBLIC_SITE_URL). */
  const local = (url: string) => {
    expect(url.startsWith(`${SITE}/`)).toBe(true);
    return url.slice(SITE.length);
  };
  /** Every URL of every sitemap the index lists. */
  const allSitemapUrls = async () => {
    const index = xml.parse((await ok("/sitemap.xml")).text);
    const files: string[] = index.sitemapindex.sitemap.map((s: { loc: string }) => s.loc);
    const urls: UrlEntry[] = [];
    for (const file of files) urls.push(...(xml.parse((await ok(local(file))).text).urlset.url ?? []));
    return { files, urls };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "courant-distribution-"));
    const siteFile = path.join(dir, "site.json");
    fs.writeFileSync(siteFile, JSON.stringify({ publicationName: { nl: "EU Reporter Nederland" } }));
    gw = await startGateway(kind, {
      seedDemo: true,
      // Through the output cache: what it keeps must follow every change, and every moment.
      env: { PUBLIC_SITE_URL: SITE, SITE_CONFIG_FILE: siteFile, EVENTS_POLL_MS: "100", RESPONSE_CACHE: "true" },
    });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    const f = gw.factory;
    const now = gw.clock.now.getTime();
    ids.section = (await f.section({ slug: "dist", name: "Distribution" })).id;
    ids.child = (await f.section({ slug: "dist-child", name: "Distribution child", parentId: ids.section })).id;
    ids.author = (await f.author({ slug: "dana", name: "Dana Scully", role: "Brussels correspondent" })).id;
    ids.tag = (await f.tag({ slug: "grids", name: "Grids" })).id;
    const common = { sectionId: ids.section, authorIds: [ids.author], tagIds: [ids.tag] };
    // A story from an hour ago in English and Dutch (the Dutch one in the child section), an English
    // one from three days ago, and every kind of article the public must never see.
    const fresh = await f.article({
      ...common,
      slug: "fresh-grid-deal",
      title: "Fresh grid deal",
      publishedAt: new Date(now - HOUR),
    });
    ids.fresh = fresh.id;
    ids.freshNl = (
      await f.article({
        ...common,
        sectionId: ids.child,
        slug: "vers-netakkoord",
        language: "nl",
        title: "Vers netakkoord",
        storyKey: fresh.storyKey,
        publishedAt: new Date(now - 2 * HOUR),
      })
    ).id;
    ids.old = (
      await f.article({
        ...common,
        slug: "older-grid-news",
        title: "Older grid news",
        publishedAt: new Date(now - 72 * HOUR),
      })
    ).id;
    await f.article({ ...common, slug: "hidden-draft", status: "draft", publishedAt: null });
    await f.article({ ...common, slug: "hidden-unpublished", status: "draft", publishedAt: new Date(now - HOUR) });
    await f.article({ ...common, slug: "hidden-archived", status: "archived", publishedAt: new Date(now - HOUR) });
    await f.article({
      ...common,
      slug: "hidden-deleted",
      publishedAt: new Date(now - HOUR),
      deletedAt: new Date(now - 60_000),
    });
    await f.article({ ...common, slug: "hidden-scheduled", status: "scheduled", publishedAt: new Date(now + HOUR) });
    // A German version of the fresh story that is still a draft: no output may point at it.
    await f.article({
      ...common,
      slug: "hidden-draft-version",
      language: "de",
      status: "draft",
      publishedAt: null,
      storyKey: fresh.storyKey,
    });
  });
  afterAll(async () => {
    await gw?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves a sitemap index of monthly sitemaps whose URLs carry lastmod and hreflang alternates pointing both ways", async () => {
    const { files, urls } = await allSitemapUrls();
    expect(files).toEqual(
      expect.arrayContaining([
        `${SITE}/sitemaps/2020-10.xml`,
        `${SITE}/sitemaps/2026-05.xml`,
        `${SITE}/sitemaps/2026-06.xml`,
        `${SITE}/sitemaps/pages.xml`,
      ]),
    );
    const byLoc = new Map(urls.map((u) => [u.loc, u]));
    expect(byLoc.size).toBe(urls.length);
    const demo = byLoc.get(`${SITE}/nl/${DEMO_NL}`)!;
    expect(demo).toBeDefined();
    expect(new Date(demo.lastmod!).toISOString()).toBe(demo.lastmod);
    const hreflangs = (u: UrlEntry) => (u["xhtml:link"] ?? []).map((l) => `${l["@hreflang"]} ${l["@href"]}`).sort();
    expect(hreflangs(demo)).toEqual(
      [
        `de ${SITE}/de/moskau-ruft-baku-und-eriwan-zu-verhandlungen-auf`,
        `en ${SITE}/en/moscow-urges-baku-and-yerevan-to-negotiate`,
        `nl ${SITE}/nl/${DEMO_NL}`,
        `x-default ${SITE}/en/moscow-urges-baku-and-yerevan-to-negotiate`,
      ].sort(),
    );
    // Both ways, for every URL of every article sitemap: each alternate lists the same set.
    let checked = 0;
    for (const u of urls.filter((x) => x["xhtml:link"])) {
      for (const link of u["xhtml:link"]!) {
        expect(link["@rel"]).toBe("alternate");
        if (link["@hreflang"] === "x-default") continue;
        const other = byLoc.get(link["@href"]);
        expect(other).toBeDefined();
        expect(hreflangs(other!)).toEqual(hreflangs(u));
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
    // The fresh story: English and Dutch, never the German draft.
    expect(hreflangs(byLoc.get(`${SITE}/en/fresh-grid-deal`)!)).toEqual(
      [`en ${SITE}/en/fresh-grid-deal`, `nl ${SITE}/nl/vers-netakkoord`, `x-default ${SITE}/en/fresh-grid-deal`].sort(),
    );
    // Section and author pages in their own sitemap.
    const pages = urls.map((u) => u.loc);
    expect(pages).toEqual(
      expect.arrayContaining([
        `${SITE}/section/eu`,
        `${SITE}/section/dist`,
        `${SITE}/author/alex-ivanov`,
        `${SITE}/author/dana`,
      ]),
    );
    // The month sitemap holds that month's public articles and no others.
    const may = xml.parse((await ok("/sitemaps/2026-05.xml")).text).urlset.url.map((u: UrlEntry) => u.loc);
    expect(may).toEqual([`${SITE}/en/older-grid-news`]);
  });

  it("splits a month into files of SITEMAP_URLS_PER_FILE URLs, listed in the index, with nothing lost or repeated", async () => {
    const split = await startGateway(kind, {
      seedDemo: true,
      env: { PUBLIC_SITE_URL: SITE, SITEMAP_URLS_PER_FILE: "2" },
    });
    try {
      const index = xml.parse(await (await fetch(`${split.url}/sitemap.xml`)).text());
      const october = index.sitemapindex.sitemap
        .map((s: { loc: string }) => s.loc)
        .filter((l: string) => l.includes("/2020-10"));
      expect(october.length).toBeGreaterThan(1);
      expect(october[0]).toBe(`${SITE}/sitemaps/2020-10.xml`);
      expect(october[1]).toBe(`${SITE}/sitemaps/2020-10-2.xml`);
      const seen: string[] = [];
      for (const loc of october) {
        const part = xml.parse(await (await fetch(`${split.url}${local(loc)}`)).text()).urlset.url;
        expect(part.length).toBeGreaterThan(0);
        expect(part.length).toBeLessThanOrEqual(2);
        seen.push(...part.map((u: UrlEntry) => u.loc));
      }
      expect(new Set(seen).size).toBe(seen.length);
      const [row] = await split.ds.query(
        "SELECT COUNT(*) AS n FROM articles WHERE status = 'published' AND published_at >= '2020-10-01' AND published_at < '2020-11-01' AND deleted_at IS NULL",
      );
      expect(seen.length).toBe(Number(row.n));
      // Past the last part, and parts that are not canonical, are not found.
      const past = await fetch(`${split.url}/sitemaps/2020-10-${october.length + 1}.xml`);
      expect(past.status).toBe(404);
      expect(((await past.json()) as any).errors[0].extensions.code).toBe("NOT_FOUND");
      expect((await fetch(`${split.url}/sitemaps/2020-10-1.xml`)).status).toBe(404);
    } finally {
      await split.close();
    }
  });

  it("counts the current month in the index without the scheduled articles still waiting for their moment", async () => {
    const split = await startGateway(kind, {
      env: { PUBLIC_SITE_URL: SITE, SITEMAP_URLS_PER_FILE: "2", RESPONSE_CACHE: "false" },
    });
    try {
      const now = split.clock.now.getTime();
      const sectionId = (await split.factory.section({ slug: "months", name: "Months" })).id;
      // June, where the clock is: two public articles and one scheduled an hour ahead; May: one.
      await split.factory.article({ sectionId, slug: "june-one", publishedAt: new Date(now - HOUR) });
      await split.factory.article({ sectionId, slug: "june-two", publishedAt: new Date(now - 2 * HOUR) });
      await split.factory.article({
        sectionId,
        slug: "june-later",
        status: "scheduled",
        publishedAt: new Date(now + HOUR),
      });
      await split.factory.article({ sectionId, slug: "may-one", publishedAt: new Date("2026-05-20T08:00:00Z") });
      const months = async () =>
        xml
          .parse(await (await fetch(`${split.url}/sitemap.xml`)).text())
          .sitemapindex.sitemap.map((m: { loc: string }) => local(m.loc));
      // Two of June's three are public: one file of two, not a second file for the waiting one.
      expect(await months()).toEqual(["/sitemaps/2026-05.xml", "/sitemaps/2026-06.xml", "/sitemaps/pages.xml"]);
      split.clock.now = new Date(now + 2 * HOUR);
      expect(await months()).toEqual([
        "/sitemaps/2026-05.xml",
        "/sitemaps/2026-06.xml",
        "/sitemaps/2026-06-2.xml",
        "/sitemaps/pages.xml",
      ]);
      const second = xml.parse(await (await fetch(`${split.url}/sitemaps/2026-06-2.xml`)).text()).urlset.url;
      expect(second.map((u: UrlEntry) => local(u.loc))).toEqual(["/en/june-later"]);
      // A July article scheduled ahead makes no July file before July.
      await split.factory.article({
        sectionId,
        slug: "july-one",
        status: "scheduled",
        publishedAt: new Date("2026-07-02T08:00:00Z"),
      });
      expect((await months()).filter((m: string) => m.includes("2026-07"))).toEqual([]);
    } finally {
      await split.close();
    }
  });

  it("lists in the Google News sitemap only the articles of the last 48 hours, per language on request", async () => {
    const all = xml.parse((await ok("/sitemap-news.xml")).text).urlset;
    const locs = all.url.map((u: UrlEntry) => u.loc);
    expect(locs).toEqual([`${SITE}/en/fresh-grid-deal`, `${SITE}/nl/vers-netakkoord`]);
    const nl = xml.parse((await ok("/sitemap-news.xml?language=nl")).text).urlset.url;
    expect(nl).toHaveLength(1);
    expect(nl[0].loc).toBe(`${SITE}/nl/vers-netakkoord`);
    expect(nl[0]["news:news"]).toEqual({
      "news:publication": { "news:name": "EU Reporter Nederland", "news:language": "nl" },
      "news:publication_date": new Date(gw.clock.now.getTime() - 2 * HOUR).toISOString(),
      "news:title": "Vers netakkoord",
    });
    expect(all.url[0]["news:news"]["news:publication"]["news:name"]).toBe("EU Reporter");
    // Kept by caches no longer than until its oldest entry leaves the 48 hours.
    const res = await get("/sitemap-news.xml?language=nl");
    const age = Number(/s-maxage=(\d+)/.exec(res.headers.get("cache-control")!)![1]);
    expect(age).toBeGreaterThan(0);
    expect(age).toBeLessThanOrEqual(60);
    // A quiet edition still answers a valid, empty sitemap.
    const quiet = xml.parse((await ok("/sitemap-news.xml?language=fr")).text);
    expect(quiet.urlset).toBeDefined();
    expect(quiet.urlset.url).toBeUndefined();
    const bad = await get("/sitemap-news.xml?language=xx");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text).errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("serves valid RSS 2.0 and Atom 1.0 per language and section, read by a feed reader library", async () => {
    const rss = await ok("/feeds/nl.rss");
    expect(rss.headers.get("content-type")).toMatch(/^application\/rss\+xml/);
    const r = parseFeed(rss.text);
    expect(r.meta.type).toBe("rss");
    expect(r.meta.version).toBe("2.0");
    expect(r.title).toBe("EU Reporter Nederland");
    expect(r.language).toBe("nl");
    expect(r.description).toMatch(/^EU Reporter publiceert artikelen uit verschillende externe bronnen/);
    const demo = r.items.find((i) => i.url === `${SITE}/nl/${DEMO_NL}`)!;
    expect(demo.title).toBe("Moskou roept Baku en Yerevan op om te onderhandelen");
    expect(demo.authors.map((a) => a.name)).toEqual(["Alex Ivanov"]);
    expect(demo.categories.map((c) => c.label)).toEqual(expect.arrayContaining(["EU", "Armenia", "Russia"]));
    expect(demo.published?.toISOString()).toBe("2020-10-05T09:30:00.000Z");
    expect(r.items[0]!.url).toBe(`${SITE}/nl/vers-netakkoord`);
    expect(r.items.every((i) => i.url!.startsWith(`${SITE}/nl/`))).toBe(true);

    const atom = await ok("/feeds/nl.atom");
    expect(atom.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    const a = parseFeed(atom.text);
    expect(a.meta.type).toBe("atom");
    expect(a.title).toBe("EU Reporter Nederland");
    expect(a.description).toMatch(/^EU Reporter publiceert/);
    const demoAtom = a.items.find((i) => i.url === `${SITE}/nl/${DEMO_NL}`)!;
    expect(demoAtom.title).toBe("Moskou roept Baku en Yerevan op om te onderhandelen");
    expect(demoAtom.authors.map((x) => x.name)).toEqual(["Alex Ivanov"]);
    expect(demoAtom.categories.map((c) => c.term)).toEqual(expect.arrayContaining(["eu", "armenia"]));
    // Atom requires an id, a title and updated on the feed and every entry.
    const raw = xml.parse(atom.text).feed;
    expect(raw.id).toBe(SITE);
    for (const e of raw.entry) {
      expect(e.id).toMatch(/^https:\/\/news\.example\/nl\//);
      expect(new Date(e.updated).toISOString()).toBe(e.updated);
      expect(e.title["#text"] ?? e.title).toBeTruthy();
    }

    // A section's feed takes its child sections, in one language.
    const section = parseFeed((await ok("/feeds/nl/dist.rss")).text);
    expect(section.title).toBe("EU Reporter Nederland: Distribution");
    expect(section.items.map((i) => i.url)).toEqual([`${SITE}/nl/vers-netakkoord`]);
    const en = parseFeed((await ok("/feeds/en/dist.atom")).text);
    expect(en.items.map((i) => i.url)).toEqual([`${SITE}/en/fresh-grid-deal`, `${SITE}/en/older-grid-news`]);
    expect(en.items[0]!.authors.map((x) => x.name)).toEqual(["Dana Scully"]);

    for (const [p, code, status] of [
      ["/feeds/xx.rss", "BAD_USER_INPUT", 400],
      ["/feeds/nl.json", "NOT_FOUND", 404],
      ["/feeds/nl/no-such-section.rss", "NOT_FOUND", 404],
      ["/sitemaps/2026-13.xml", "NOT_FOUND", 404],
      ["/sitemaps/whatever.xml", "NOT_FOUND", 404],
    ] as const) {
      const res = await get(p);
      expect({ p, status: res.status, code: JSON.parse(res.text).errors[0].extensions.code }).toEqual({
        p,
        status,
        code,
      });
    }
  });

  it("never shows drafts, scheduled, unpublished, archived or deleted articles in any output", async () => {
    const { files } = await allSitemapUrls();
    const outputs = [
      "/sitemap.xml",
      ...files.map(local),
      "/sitemap-news.xml",
      "/sitemap-news.xml?language=en",
      "/sitemap-news.xml?language=de",
      "/sitemap-news.xml?language=fr",
      "/feeds/en.rss",
      "/feeds/en.atom",
      "/feeds/de.rss",
      "/feeds/de.atom",
      "/feeds/en/dist.rss",
      "/feeds/en/dist.atom",
    ];
    let fresh = 0;
    for (const p of outputs) {
      const text = (await ok(p)).text;
      expect({ p, hidden: text.match(/hidden-[a-z-]+/g) }).toEqual({ p, hidden: null });
      if (text.includes("/en/fresh-grid-deal")) fresh += 1;
    }
    // The positive control: the public article next to them is in the sitemap, news and feeds.
    expect(fresh).toBeGreaterThanOrEqual(7);
  });

  it("gives each output Cache-Control and surrogate keys, and a scheduled article appears in every output at its moment", async () => {
    const created = (
      await gw.gql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`,
        {
          input: {
            title: "Embargoed grid report",
            language: "en",
            sectionId: gid("Section", ids.section!),
            authorIds: [],
            body: "<p>Embargo.</p>",
          },
        },
        editor,
      )
    ).body.data.createArticle;
    const moment = new Date(gw.clock.now.getTime() + 30_000);
    const published = await gw.gql(
      `mutation($id: ID!, $at: DateTimeISO) { publishArticle(id: $id, at: $at) { id } }`,
      { id: created.id, at: moment.toISOString() },
      editor,
    );
    expect(published.body.errors).toBeUndefined();
    const paths = ["/sitemap-news.xml", "/feeds/en.rss", "/feeds/en/dist.atom", "/sitemaps/2026-06.xml"];
    for (const p of paths) {
      await ok(p);
      const res = await ok(p);
      // The small outputs are held by the gateway too; monthly sitemaps are streamed, never held.
      expect(res.headers.get("x-cache")).toBe(p.startsWith("/sitemaps/") ? null : "HIT");
      expect(res.text).not.toContain(created.slug);
      expect(res.headers.get("surrogate-key")).toMatch(/\bcourant\b/);
      expect(res.headers.get("cache-tag")).toBeTruthy();
      // Capped to the moment: no CDN keeps this "not yet" past it.
      const age = Number(/public, max-age=0, s-maxage=(\d+)/.exec(res.headers.get("cache-control")!)![1]);
      expect(age).toBeLessThanOrEqual(30);
    }
    const saved = gw.clock.now;
    try {
      gw.clock.now = new Date(moment.getTime() + 1);
      for (const p of paths) expect((await ok(p)).text).toContain(created.slug);
    } finally {
      gw.clock.now = saved;
    }
  });

  it("gives Article.seo NewsArticle structured data with the fields Google requires, and alternates both ways", async () => {
    const q = `query($slug: String!, $language: Locale!) { article(slug: $slug, language: $language) { title url publishedAt seo { canonicalUrl imageUrl structuredData alternates { hreflang url } } } }`;
    const res = await gw.gql(q, { slug: DEMO_NL, language: "nl" });
    expect(res.body.errors).toBeUndefined();
    const { seo, title, url, publishedAt } = res.body.data.article;
    const ld = seo.structuredData;
    expectGoogleArticle(ld);
    expect(ld).toMatchObject({
      "@context": "https://schema.org",
      "@type": "NewsArticle",
      headline: title,
      datePublished: publishedAt,
      inLanguage: "nl",
      isAccessibleForFree: true,
      articleSection: "EU",
      mainEntityOfPage: { "@type": "WebPage", "@id": url },
      author: [{ "@type": "Person", name: "Alex Ivanov", url: `${SITE}/author/alex-ivanov` }],
      publisher: { "@type": "NewsMediaOrganization", name: "EU Reporter Nederland", url: SITE },
    });
    // The Dutch version carries the story's photo (the demo seeds it with a Dutch alt text).
    expect(seo.imageUrl).toMatch(/^https:\/\//);
    expect(ld.image).toEqual([seo.imageUrl]);
    expect(seo.alternates).toEqual([
      { hreflang: "de", url: `${SITE}/de/moskau-ruft-baku-und-eriwan-zu-verhandlungen-auf` },
      { hreflang: "en", url: `${SITE}/en/moscow-urges-baku-and-yerevan-to-negotiate` },
      { hreflang: "nl", url: `${SITE}/nl/${DEMO_NL}` },
      { hreflang: "x-default", url: `${SITE}/en/moscow-urges-baku-and-yerevan-to-negotiate` },
    ]);
    for (const alt of seo.alternates.filter((a: { hreflang: string }) => a.hreflang !== "x-default")) {
      const slug = alt.url.split("/").pop();
      const other = await gw.gql(q, { slug, language: alt.hreflang });
      expect(other.body.data.article.seo.alternates).toEqual(seo.alternates);
      if (alt.hreflang === "en") {
        expect(other.body.data.article.seo.imageUrl).toMatch(/^https:\/\//);
        expect(ld.image).toEqual([other.body.data.article.seo.imageUrl]);
      }
      expectGoogleArticle(other.body.data.article.seo.structuredData);
    }
    // A story's draft version is not an alternate of its public ones.
    const fresh = await gw.gql(q, { slug: "fresh-grid-deal", language: "en" });
    expect(fresh.body.data.article.seo.alternates.map((a: { hreflang: string }) => a.hreflang)).toEqual([
      "en",
      "nl",
      "x-default",
    ]);
  });

  it("turns outputs off with DISTRIBUTION_OUTPUTS and writes full text with FEED_FULL_TEXT", async () => {
    const other = await startGateway(kind, {
      seedDemo: true,
      env: { DISTRIBUTION_OUTPUTS: "feeds", FEED_FULL_TEXT: "true", FEED_LENGTH: "2" },
    });
    try {
      for (const p of ["/sitemap.xml", "/sitemap-news.xml", "/sitemaps/2020-10.xml"]) {
        const res = await fetch(`${other.url}${p}`);
        expect(res.status).toBe(404);
        expect(((await res.json()) as any).errors[0].extensions.code).toBe("NOT_FOUND");
      }
      const feed = parseFeed(await (await fetch(`${other.url}/feeds/nl.rss`)).text());
      expect(feed.items).toHaveLength(2);
      expect(feed.items[0]!.content).toMatch(/<p>/);
    } finally {
      await other.close();
    }
  });
});

describe.each(DATABASES)("a CDN in front of the outputs on %s", (kind) => {
  let gw: TestGateway;
  let cdn: http.Server;
  let editor: Record<string, string>;
  let sectionId: string;
  /** What the CDN holds: an answer per path, indexed by its surrogate keys, dropped by purges as Varnish's xkey does. */
  const held = new Map<string, { text: string; keys: string[] }>();
  const purged: string[][] = [];

  beforeAll(async () => {
    cdn = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        const { keys } = JSON.parse(body) as { keys: string[] };
        purged.push(keys);
        for (const [p, entry] of held) if (entry.keys.some((k) => keys.includes(k))) held.delete(p);
        res.end("{}");
      });
    });
    await new Promise<void>((r) => cdn.listen(0, "127.0.0.1", r));
    const { port } = cdn.address() as { port: number };
    gw = await startGateway(kind, {
      env: {
        EVENTS_POLL_MS: "100",
        RESPONSE_CACHE: "true",
        CDN_PURGE: "http",
        CDN_PURGE_URL: `http://127.0.0.1:${port}/purge`,
        CDN_PURGE_REPEAT_MS: "0",
      },
    });
    editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("desk", "editor")}` };
    const section = await gw.factory.section({ slug: "wire", name: "Wire" });
    sectionId = gid("Section", section.id);
    await gw.factory.article({
      sectionId: section.id,
      slug: "background-story",
      publishedAt: new Date(gw.clock.now.getTime() - 3 * HOUR),
    });
    await gw.factory.article({
      sectionId: section.id,
      slug: "dutch-background",
      language: "nl",
      publishedAt: new Date(gw.clock.now.getTime() - 3 * HOUR),
    });
  });
  afterAll(async () => {
    await gw?.close();
    await new Promise((r) => cdn?.close(r));
  });

  /** Through the CDN: a held answer while it is held, else the gateway's (then held). */
  const viaCdn = async (p: string) => {
    const hit = held.get(p);
    if (hit) return { text: hit.text, hit: true };
    const res = await fetch(`${gw.url}${p}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toMatch(/^public, max-age=0, s-maxage=\d+/);
    const text = await res.text();
    held.set(p, { text, keys: res.headers.get("surrogate-key")!.split(" ") });
    return { text, hit: false };
  };
  const until = async (ok: () => Promise<boolean>) => {
    const started = Date.now();
    while (!(await ok()) && Date.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
    return Date.now() - started;
  };
  const outputs = [
    "/sitemaps/2026-06.xml",
    "/sitemap-news.xml",
    "/sitemap-news.xml?language=en",
    "/feeds/en.rss",
    "/feeds/en.atom",
    "/feeds/en/wire.rss",
  ];

  it("purges every output a publish, an unpublish and a delete change, within a second, and leaves the others", async () => {
    for (const p of [...outputs, "/sitemap.xml", "/feeds/nl.rss"]) await viaCdn(p);
    for (const p of [...outputs, "/sitemap.xml", "/feeds/nl.rss"]) expect((await viaCdn(p)).hit).toBe(true);
    const created = (
      await gw.gql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id slug } }`,
        { input: { title: "Wire copy", language: "en", sectionId, authorIds: [], body: "<p>Wire.</p>" } },
        editor,
      )
    ).body.data.createArticle;
    await gw.gql(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: created.id }, editor);
    for (const p of outputs) {
      const ms = await until(async () => (await viaCdn(p)).text.includes(created.slug));
      expect({ p, ms: ms < 1000 }).toEqual({ p, ms: true });
    }
    // The index (its months' lastmod) is purged too; a change in English leaves the Dutch feed where it is.
    expect(held.has("/sitemap.xml")).toBe(false);
    expect((await viaCdn("/feeds/nl.rss")).hit).toBe(true);
    for (const p of outputs) await viaCdn(p);
    await gw.gql(`mutation($id: ID!) { unpublishArticle(id: $id) { id } }`, { id: created.id }, editor);
    for (const p of outputs) {
      const ms = await until(async () => !(await viaCdn(p)).text.includes(created.slug));
      expect({ p, ms: ms < 1000 }).toEqual({ p, ms: true });
    }
    await gw.gql(`mutation($id: ID!) { publishArticle(id: $id) { id } }`, { id: created.id }, editor);
    for (const p of outputs) await until(async () => (await viaCdn(p)).text.includes(created.slug));
    await gw.gql(`mutation($id: ID!) { deleteArticle(id: $id) }`, { id: created.id }, editor);
    for (const p of outputs) {
      const ms = await until(async () => !(await viaCdn(p)).text.includes(created.slug));
      expect({ p, ms: ms < 1000 }).toEqual({ p, ms: true });
    }
    expect(purged.length).toBeGreaterThanOrEqual(4);
  });
});

describe("README: the demo article's JSON-LD", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite", { seedDemo: true });
  });
  afterAll(() => gw?.close());

  it("is what the demo gateway answers, and what Google requires", async () => {
    const readme = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");
    const shown = /<!-- json-ld -->\n\n```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    const res = await gw.gql(
      `query($slug: String!, $language: Locale!) { article(slug: $slug, language: $language) { seo { structuredData } } }`,
      { slug: DEMO_NL, language: "nl" },
    );
    const ld = res.body.data.article.seo.structuredData;
    expect(ld).toEqual(JSON.parse(shown!));
    expectGoogleArticle(ld);
  });
});

/**
 * Google's article structured data (developers.google.com/search/docs/appearance/structured-data/article):
 * headline, image (absolute URLs), datePublished and dateModified in ISO 8601 with a time zone,
 * authors with a type and a plain name (and a url), for a NewsArticle.
 */
function expectGoogleArticle(ld: Record<string, any>) {
  expect(ld["@context"]).toBe("https://schema.org");
  expect(["NewsArticle", "Article", "BlogPosting"]).toContain(ld["@type"]);
  expect(typeof ld.headline).toBe("string");
  expect(ld.headline.length).toBeGreaterThan(0);
  expect(ld.headline.length).toBeLessThanOrEqual(110);
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
  expect(ld.datePublished).toMatch(iso);
  expect(ld.dateModified).toMatch(iso);
  expect(new Date(ld.dateModified).getTime()).toBeGreaterThanOrEqual(new Date(ld.datePublished).getTime());
  for (const img of ld.image ?? []) expect(new URL(img).protocol).toMatch(/^https?:$/);
  expect(Array.isArray(ld.author)).toBe(true);
  for (const a of ld.author) {
    expect(["Person", "Organization"]).toContain(a["@type"]);
    expect(a.name).toMatch(/^[^<>]+$/);
    expect(new URL(a.url).protocol).toMatch(/^https?:$/);
  }
  expect(ld.publisher?.name).toBeTruthy();
}
