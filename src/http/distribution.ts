import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { Router, type Request, type Response } from "express";
import type { ArticleScope } from "../article/article.visibility";
import { emptyReads, recordedReads, startRecordingReads, type CacheReads } from "../cache/cache-dependencies";
import { publicCacheControl } from "../cache/cache-policy";
import { keysForReads, surrogateHeaders } from "../cache/surrogate-keys";
import { DistributionService } from "../distribution/distribution.service";
import { Feeds, type FeedFormat } from "../distribution/feeds";
import { OutputCache } from "../distribution/output-cache";
import { Sitemaps, urlsPerFile } from "../distribution/sitemaps";
import type { AppDeps } from "../graphql/context";
import type { RateLimits } from "../rate-limit";
import { clientOf, jsonError, rateLimit } from "./guards";

const XML = "application/xml; charset=utf-8";
const TYPES: Record<FeedFormat, string> = {
  rss: "application/rss+xml; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
};

/**
 * Sitemaps, the Google News sitemap and RSS/Atom feeds (src/distribution), as a CDN caches them:
 * public answers with Cache-Control and the surrogate keys of what they read, so the content
 * events that purge GraphQL answers purge these too; never kept past the next scheduled moment.
 */
export function distributionRouter(deps: AppDeps, limits: RateLimits): Router {
  const router = Router();
  const { config, site, services } = deps;
  const outputs = config.distribution;
  const distribution = new DistributionService(deps.db, services.articles);
  const sitemaps = new Sitemaps(
    site,
    distribution,
    services.sections,
    services.authors,
    urlsPerFile(site, outputs.sitemapUrlsPerFile),
  );
  const feeds = new Feeds(
    site,
    config,
    distribution,
    services.articles,
    services.sections,
    services.authors,
    services.tags,
  );
  // Outputs are public whoever asks: an editor's key previews nothing here.
  const scope = (): ArticleScope => ({ now: deps.clock(), preview: false });
  const fail = (res: Response, status: number, code: string, message: string) => {
    const e = jsonError(status, code, message);
    res.status(e.status).set("cache-control", "no-store").json(e.body);
  };
  /** Seconds a CDN may keep an answer: the articles' age, never past the next moment nor `until`. */
  const ageUntil = (until?: Date | null) => {
    const now = deps.clock();
    let age = deps.events.cappedAge(config.cache.articleSeconds, now);
    if (until) age = Math.max(0, Math.min(age, Math.floor((until.getTime() - now.getTime()) / 1000)));
    return age;
  };
  const headers = (res: Response, type: string, reads: CacheReads, age: number) => {
    res.set({
      "content-type": type,
      "cache-control": publicCacheControl(age),
      ...surrogateHeaders(keysForReads(reads)),
    });
  };
  const send = async (res: Response, stream: Readable) => {
    // Backpressure from the socket paces the database reads; a client gone away stops them.
    await pipeline(stream, res).catch((err: unknown) => {
      if (!res.headersSent) throw err;
      deps.log.warn({ err }, "a streamed sitemap was cut short");
      res.destroy();
    });
  };
  const cache = config.cache.responseCache ? new OutputCache(deps.events) : undefined;
  /**
   * A small output, from the output cache or computed (and then kept): `compute` gives the
   * body, what it read (its surrogate keys, and what evicts it) and when it stops being true.
   */
  const small = async (
    req: Request,
    res: Response,
    compute: () => Promise<{ body: string | Readable; type: string; reads: CacheReads; until?: Date | null } | null>,
  ) => {
    const key = req.originalUrl;
    const now = deps.clock();
    const hit = cache?.get(key, now);
    if (hit) {
      const left = Math.floor((hit.expiresAt - now.getTime()) / 1000);
      headers(res, hit.contentType, hit.reads, Math.min(left, ageUntil()));
      res.set("x-cache", "HIT").send(hit.body);
      return;
    }
    const since = cache?.mark() ?? 0;
    const out = await compute();
    if (!out) return;
    let body = "";
    if (typeof out.body === "string") body = out.body;
    else for await (const chunk of out.body) body += chunk;
    const age = ageUntil(out.until);
    if (age > 0)
      cache?.set(key, { body, contentType: out.type, reads: out.reads, expiresAt: now.getTime() + age * 1000 }, since);
    headers(res, out.type, out.reads, age);
    if (cache) res.set("x-cache", "MISS");
    res.send(body);
  };
  const reads = (fill: (r: CacheReads) => void) => {
    const r = emptyReads();
    fill(r);
    return r;
  };
  const language = (req: Request, res: Response, value: unknown): string | null | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !site.languages.includes(value)) {
      fail(
        res,
        400,
        "BAD_USER_INPUT",
        `language: "${String(value).slice(0, 40)}" is not one of the site's languages (${site.languages.join(", ")})`,
      );
      return null;
    }
    return value;
  };
  const limit = rateLimit(limits, (req) => clientOf(req));

  const listOf = (where: Record<string, unknown>) => reads((r) => r.lists.push(where));

  if (outputs.sitemaps) {
    router.get("/sitemap.xml", limit, async (req, res, next) => {
      try {
        // Every article change may add or empty a month.
        await small(req, res, async () => ({
          body: (await sitemaps.index(scope())).stream,
          type: XML,
          reads: listOf({}),
        }));
      } catch (err) {
        next(err);
      }
    });
    router.get("/sitemaps/:file", limit, async (req, res, next) => {
      try {
        const m = /^(.+)\.xml$/.exec(req.params.file as string);
        if (!m) return fail(res, 404, "NOT_FOUND", "No such sitemap");
        if (m[1] === "pages") {
          return await small(req, res, async () => ({
            body: await sitemaps.pages(),
            type: XML,
            reads: reads((r) => {
              r.sections = true;
              r.authorList = true;
            }),
          }));
        }
        const stream = await sitemaps.month(scope(), m[1]!);
        if (!stream) return fail(res, 404, "NOT_FOUND", "No such sitemap: /sitemaps/YYYY-MM.xml (or YYYY-MM-N.xml)");
        // Every article change purges every month: a story's alternates cross months.
        headers(res, XML, listOf({}), ageUntil());
        await send(res, stream);
      } catch (err) {
        next(err);
      }
    });
  }

  if (outputs.news) {
    router.get("/sitemap-news.xml", limit, async (req, res, next) => {
      try {
        const lang = language(req, res, req.query.language);
        if (lang === null) return;
        await small(req, res, async () => {
          const { stream, expiresAt } = await sitemaps.news(scope(), lang);
          return { body: stream, type: XML, reads: listOf(lang ? { language: lang } : {}), until: expiresAt };
        });
      } catch (err) {
        next(err);
      }
    });
  }

  if (outputs.feeds) {
    const FILE = /^(.+)\.(rss|atom)$/;
    const feed = async (req: Request, res: Response, lang: string, file: string, sectioned: boolean) => {
      const m = FILE.exec(file);
      if (!m)
        return fail(
          res,
          404,
          "NOT_FOUND",
          "No such feed: /feeds/{language}.rss|.atom or /feeds/{language}/{section}.rss|.atom",
        );
      const valid = language(req, res, sectioned ? lang : m[1]);
      if (!valid) return;
      const section = sectioned ? m[1] : undefined;
      const format = m[2] as FeedFormat;
      await small(req, res, async () => {
        // What the feed reads (its articles, their authors, the section tree) names its surrogate keys.
        startRecordingReads();
        const built = await feeds.build(scope(), valid, section, format);
        if (!built) {
          fail(res, 404, "NOT_FOUND", `No section "${section!.slice(0, 80)}"`);
          return null;
        }
        return { body: built.xml, type: TYPES[format], reads: recordedReads() ?? listOf({}) };
      });
    };
    router.get("/feeds/:file", limit, async (req, res, next) => {
      try {
        await feed(req, res, "", req.params.file as string, false);
      } catch (err) {
        next(err);
      }
    });
    router.get("/feeds/:language/:file", limit, async (req, res, next) => {
      try {
        await feed(req, res, req.params.language as string, req.params.file as string, true);
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}
