import { randomUUID } from "node:crypto";
import type { DataSource } from "typeorm";
import { loadConfig } from "../../src/config";
import { migrate, openDataSource } from "../../src/db/data-source";
import { startCourant, type Courant, type StartOptions } from "../../src/main";
import { createLogger } from "../../src/log";
import {
  ArticleAuthorEntity,
  ArticleEntity,
  ArticleTagEntity,
  type ArticleStatusValue,
} from "../../src/article/article.entity";
import { countInMonths, linkFeed, tagLinkFeed } from "../../src/article/article.store";
import { AuthorEntity } from "../../src/author/author.entity";
import { SectionEntity } from "../../src/section/section.entity";
import { TagEntity } from "../../src/tag/tag.entity";
import { freshDatabase, type DbKind } from "./databases";

export interface GqlResponse<T = any> {
  status: number;
  headers: Headers;
  body: { data?: T; errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }> };
  /** SQL statements the request sent, from the X-SQL-Statements header. */
  statements: number;
}

export interface TestGateway {
  kind: DbKind;
  url: string;
  courant: Courant;
  ds: DataSource;
  /** The gateway's clock; move `clock.now` to cross a publish moment. */
  clock: { now: Date };
  factory: Factory;
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GqlResponse<T>>;
  close(): Promise<void>;
}

export const DEFAULT_NOW = new Date("2026-06-01T12:00:00.000Z");

export async function startGateway(
  kind: DbKind,
  options: {
    env?: Record<string, string>;
    seedDemo?: boolean;
    now?: Date;
    logs?: string[];
    /** Serve this existing database (shared with another gateway, or reopened); close() leaves it. */
    databaseUrl?: string;
    /** Trace to these span processors (an in-memory exporter). */
    spanProcessors?: StartOptions["spanProcessors"];
  } = {},
): Promise<TestGateway> {
  const db = options.databaseUrl
    ? { url: options.databaseUrl, drop: async () => undefined }
    : await freshDatabase(kind);
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: db.url,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    SEED_DEMO_ON_START: options.seedDemo ? "true" : "false",
    SQL_STATEMENT_HEADER: "true",
    // Factories write straight to the database, past the events that invalidate the cache.
    RESPONSE_CACHE: "false",
    // The whole suite can run under the interpreter too: COURANT_TEST_EXECUTOR=graphql-js npm test.
    ...(process.env.COURANT_TEST_EXECUTOR ? { EXECUTOR: process.env.COURANT_TEST_EXECUTOR } : {}),
    ...options.env,
  });
  if (kind === "mysql") {
    const ds = await openDataSource(config);
    await migrate(ds);
    await ds.destroy();
  }
  const clock = { now: options.now ?? DEFAULT_NOW };
  const lines = options.logs;
  const log = lines
    ? createLogger({ logLevel: "info" }, { write: (line: string) => void lines.push(line) })
    : createLogger({ logLevel: "silent" });
  const courant = await startCourant(config, { clock: () => clock.now, log, spanProcessors: options.spanProcessors });
  try {
    await courant.ready;
  } catch (err) {
    await courant.close();
    throw err;
  }
  const ds = courant.deps.db.dataSource;
  return {
    kind,
    url: courant.url,
    courant,
    ds,
    clock,
    factory: new Factory(ds, clock, () => courant.deps.services.sections.forget()),
    async gql(query, variables, headers) {
      if (RECORD_TO) await record(courant, query, variables, headers);
      const res = await fetch(`${courant.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      let body: GqlResponse["body"];
      try {
        body = JSON.parse(text);
      } catch {
        throw new Error(`non-JSON response ${res.status}: ${text.slice(0, 300)}`);
      }
      return {
        status: res.status,
        headers: res.headers,
        body,
        statements: Number(res.headers.get("x-sql-statements")),
      };
    },
    async close() {
      await courant.close();
      await db.drop();
    },
  };
}

/**
 * `scripts/record-operations.js` runs the suite with this set: every operation the tests send
 * through `gql` is appended here (with the role of its API key, never the key), to be replayed
 * through both executors by tests/hardening/executors.test.ts.
 */
const RECORD_TO = process.env.COURANT_RECORD_OPERATIONS;

async function record(
  courant: Courant,
  query: string,
  variables: Record<string, unknown> | undefined,
  headers: Record<string, string> | undefined,
): Promise<void> {
  const auth = headers?.authorization ?? headers?.Authorization;
  const key = auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
  const viewer = key ? await courant.deps.services.auth.verify(key).catch(() => null) : null;
  const role = auth === undefined ? null : (viewer?.role ?? "invalid");
  const fs = await import("node:fs");
  fs.appendFileSync(RECORD_TO!, JSON.stringify({ query, variables: variables ?? null, role }) + "\n");
}

let seq = 0;
const next = () => ++seq;

export interface ArticleSpec {
  title?: string;
  slug?: string;
  language?: string;
  status?: ArticleStatusValue;
  publishedAt?: Date | null;
  deletedAt?: Date | null;
  sectionId: number;
  authorIds?: number[];
  tagIds?: number[];
  storyKey?: string;
  standfirst?: string | null;
  body?: string;
  disclaimer?: string | null;
}

/** Test data through the same entities and tables production uses. */
export class Factory {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: { now: Date },
    /** Factories write past the content events; a new section must still reach the gateway's cached tree. */
    private readonly sectionsChanged: () => void = () => undefined,
  ) {}

  async section(spec: Partial<SectionEntity> = {}): Promise<SectionEntity> {
    const n = next();
    const saved = await this.ds
      .getRepository(SectionEntity)
      .save({ slug: `section-${n}`, name: `Section ${n}`, description: null, parentId: null, position: n, ...spec });
    this.sectionsChanged();
    return saved;
  }

  author(spec: Partial<AuthorEntity> = {}): Promise<AuthorEntity> {
    const n = next();
    return this.ds.getRepository(AuthorEntity).save({
      slug: `author-${n}`,
      name: `Author ${n}`,
      role: null,
      bio: null,
      email: `author-${n}@example.com`,
      ...spec,
    });
  }

  tag(spec: Partial<TagEntity> = {}): Promise<TagEntity> {
    const n = next();
    return this.ds.getRepository(TagEntity).save({ slug: `tag-${n}`, name: `Tag ${n}`, ...spec });
  }

  async article(spec: ArticleSpec): Promise<ArticleEntity> {
    const n = next();
    const publishedAt =
      spec.publishedAt === undefined ? new Date(this.clock.now.getTime() - n * 60_000) : spec.publishedAt;
    const saved = await this.ds.getRepository(ArticleEntity).save({
      storyKey: spec.storyKey ?? randomUUID(),
      slug: spec.slug ?? `article-${n}`,
      language: spec.language ?? "en",
      title: spec.title ?? `Article ${n}`,
      standfirst: spec.standfirst === undefined ? `Standfirst ${n}` : spec.standfirst,
      body: spec.body ?? `<p>Body of article ${n}.</p>`,
      status: spec.status ?? "published",
      publishedAt,
      createdAt: publishedAt ?? this.clock.now,
      updatedAt: publishedAt ?? this.clock.now,
      deletedAt: spec.deletedAt ?? null,
      sectionId: spec.sectionId,
      disclaimer: spec.disclaimer ?? null,
    });
    // Link rows and the per-month counts carry the article's feed values, as the write core writes them.
    const feed = linkFeed(saved);
    await countInMonths(this.ds.manager, undefined, feed);
    if (spec.authorIds?.length) {
      await this.ds
        .getRepository(ArticleAuthorEntity)
        .insert(spec.authorIds.map((authorId, position) => ({ articleId: saved.id, authorId, position, ...feed })));
    }
    if (spec.tagIds?.length) {
      await this.ds
        .getRepository(ArticleTagEntity)
        .insert(spec.tagIds.map((tagId) => ({ articleId: saved.id, tagId, ...tagLinkFeed(saved) })));
    }
    return saved;
  }
}

export const gid = (type: "Article" | "Section" | "Author" | "Tag", id: number) =>
  Buffer.from(`${type}:${id}`).toString("base64url");
