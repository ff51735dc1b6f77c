import { z } from "zod";

/** The 24 official languages of the European Union: the default site languages. */
export const EU_LANGUAGES = [
  "bg",
  "cs",
  "da",
  "de",
  "el",
  "en",
  "es",
  "et",
  "fi",
  "fr",
  "ga",
  "hr",
  "hu",
  "it",
  "lt",
  "lv",
  "mt",
  "nl",
  "pl",
  "pt",
  "ro",
  "sk",
  "sl",
  "sv",
] as const;

const BCP47 = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

const csv = (schema: z.ZodString) =>
  z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(z.array(schema).min(1));

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const databaseUrl = z
  .string()
  .refine((v) => /^sqlite:.+/.test(v) || /^(mysql|mariadb):\/\/[^/]+\/[A-Za-z0-9_$-]+(\?.*)?$/.test(v), {
    message: "must be sqlite:PATH or mysql://user:pass@host:3306/db",
  });

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: databaseUrl.default("sqlite:./data/courant.sqlite"),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).optional(),
    PUBLIC_SITE_URL: z.url({ protocol: /^https?$/ }).default("http://localhost:3000"),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
    OTEL_SDK_DISABLED: bool.optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
    OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
    OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: z.enum(["http/protobuf", "http/json"]).optional(),
    OTEL_SERVICE_NAME: z.string().min(1).max(200).optional(),
    SITE_NAME: z.string().min(1).max(200).default("EU Reporter"),
    SITE_LANGUAGES: csv(z.string().regex(BCP47, "is not a BCP 47 language code")).optional(),
    SITE_DEFAULT_LANGUAGE: z.string().regex(BCP47, "is not a BCP 47 language code").default("en"),
    SITE_CONFIG_FILE: z.string().min(1).optional(),
    SEED_DEMO_ON_START: bool.optional(),
    MIGRATE_ON_START: bool.optional(),
    SQL_STATEMENT_HEADER: bool.optional(),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    NEWSLETTER_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(10),
    PLAYGROUND: bool.optional(),
    MAX_QUERY_DEPTH: z.coerce.number().int().min(1).max(100).default(12),
    MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(30),
    MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(20),
    MAX_TOKENS: z.coerce.number().int().min(10).max(100_000).default(4000),
    RESPONSE_CACHE: bool.optional(),
    RESPONSE_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).max(1_000_000).default(5000),
    RESPONSE_CACHE_MAX_MB: z.coerce.number().min(1).max(100_000).default(64),
    EXECUTOR: z.enum(["jit", "graphql-js"]).default("jit"),
    EVENTS_POLL_MS: z.coerce.number().int().min(20).max(60_000).default(500),
    EVENTS_KEEP_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
    REVISIONS: bool.optional(),
    REVISIONS_KEEP: z.coerce.number().int().min(0).max(1_000_000).default(0),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    WEBHOOK_RETRY_SCHEDULE: z
      .string()
      .regex(/^\d+(,\d+)*$/, "comma-separated seconds")
      .default("5,30,120,600,1800,7200,18000,36000"),
    WEBHOOK_DISABLE_AFTER: z.coerce.number().int().min(1).max(100_000).default(20),
    WEBHOOK_ALLOW_PRIVATE: bool.optional(),
    CDN_PURGE: z.enum(["varnish", "fastly", "cloudflare", "http"]).optional(),
    CDN_PURGE_URL: z.url({ protocol: /^https?$/ }).optional(),
    CDN_PURGE_TOKEN: z.string().min(1).optional(),
    CDN_PURGE_SERVICE: z.string().min(1).optional(),
    CDN_PURGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    CDN_PURGE_REPEAT_MS: z.coerce.number().int().min(0).max(600_000).default(2000),
    CACHE_MAX_AGE_ARTICLES: z.coerce.number().int().min(0).max(86_400).default(60),
    CACHE_MAX_AGE_SECTIONS: z.coerce.number().int().min(0).max(86_400).default(300),
    CACHE_MAX_AGE_TRENDING: z.coerce.number().int().min(0).max(86_400).default(30),
    CACHE_MAX_AGE_SEARCH: z.coerce.number().int().min(0).max(86_400).default(30),
    CACHE_MAX_AGE_SITE: z.coerce.number().int().min(0).max(86_400).default(3600),
    CACHE_MAX_AGE_LIVE: z.coerce.number().int().min(0).max(86_400).default(5),
    SUBSCRIPTIONS: bool.optional(),
    SUBSCRIPTIONS_MAX_CONNECTIONS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(50),
    SUBSCRIPTIONS_MAX_PER_CONNECTION: z.coerce.number().int().min(1).max(1000).default(20),
    SUBSCRIPTIONS_KEEPALIVE_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
    SUBSCRIPTIONS_IDLE_MS: z.coerce.number().int().min(100).max(86_400_000).default(300_000),
    SUBSCRIPTIONS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).max(1_073_741_824).default(1_048_576),
    SUBSCRIPTIONS_MAX_QUEUED: z.coerce.number().int().min(1).max(100_000).default(100),
    DATABASE_REPLICA_URLS: z.string().optional(),
    MAX_QUERY_COST: z.coerce.number().int().min(1).max(10_000_000).default(20_000),
    BATCH_MAX_OPERATIONS: z.coerce.number().int().min(0).max(10).default(0),
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    SQL_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    CORS_ORIGINS: z.string().optional(),
    TRUST_PROXY: z.string().optional(),
    RATE_LIMIT_QUERIES_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    RATE_LIMIT_KEY_QUERIES_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(6000),
    RATE_LIMIT_BEACONS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000_000).default(600),
    IMAGE_RENDITION_TEMPLATE: z
      .string()
      .refine((t) => t.includes("{url}") && t.includes("{width}"), { message: "must contain {url} and {width}" })
      .default("{url}?w={width}"),
    IMAGE_RENDITION_WIDTHS: z
      .string()
      .transform((s) => s.split(",").map((x) => Number(x.trim())))
      .pipe(z.array(z.number().int().min(1).max(4096)).min(1))
      .default([320, 480, 640, 800, 1024, 1280, 1600, 2048]),
    TRENDING_HALF_LIFE_HOUR_MINUTES: z.coerce.number().min(1).max(10_080).default(30),
    TRENDING_HALF_LIFE_DAY_MINUTES: z.coerce.number().min(1).max(10_080).default(360),
    TRENDING_HALF_LIFE_WEEK_MINUTES: z.coerce.number().min(1).max(10_080).default(2880),
    TRENDING_CACHE_SECONDS: z.coerce.number().min(0).max(3600).default(30),
    TRENDING_VIEW_RATE_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(120),
    TRENDING_VIEW_DEDUPE_MINUTES: z.coerce.number().min(0).max(1440).default(30),
    TRENDING_FLUSH_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
    TRENDING_RETENTION_DAYS: z.coerce.number().int().min(8).max(366).default(8),
    SEARCH_WORD_SAMPLE_SIZE: z.coerce.number().int().min(0).max(100_000).default(1000),
    ARTICLE_COUNT_EXACT_LIMIT: z.coerce.number().int().min(1).max(10_000_000).default(10_000),
    SEARCH_COMMON_WORD_SHARE: z.coerce.number().min(0.01).max(1).default(0.2),
    SEARCH_ENGINE_URL: z.url({ protocol: /^(sphinx|manticore|mysql)$/ }).optional(),
    SEARCH_ENGINE_RETRY_MS: z.coerce.number().int().min(50).max(600_000).default(5000),
    TRUSTED_DOCUMENTS: z.enum(["off", "audit", "enforce"]).default("off"),
    TRUSTED_DOCUMENTS_CLIENTS: z
      .string()
      .regex(
        /^[^=,\s]+=(off|audit|enforce)(,[^=,\s]+=(off|audit|enforce))*$/,
        "client=off|audit|enforce, comma-separated",
      )
      .optional(),
    TRUSTED_DOCUMENTS_ANY_DOCUMENT_ROLES: z
      .string()
      .regex(/^(none|(editor|admin)(,(editor|admin))*)$/, "editor, admin, editor,admin or none")
      .default("editor,admin"),
    TRUSTED_DOCUMENTS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    APQ_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(30 * 86_400)
      .default(86_400),
    DISTRIBUTION_OUTPUTS: z
      .string()
      .regex(
        /^(none|(sitemaps|news|feeds)(,(sitemaps|news|feeds))*)$/,
        "comma-separated sitemaps, news, feeds (or none)",
      )
      .default("sitemaps,news,feeds"),
    SITEMAP_URLS_PER_FILE: z.coerce.number().int().min(1).max(50_000).default(50_000),
    FEED_LENGTH: z.coerce.number().int().min(1).max(100).default(50),
    FEED_FULL_TEXT: bool.optional(),
  })
  .strict();

export interface Config {
  env: "development" | "production" | "test";
  production: boolean;
  /** How operations run: compiled once per document (graphql-jit, the default) or graphql-js's interpreter. */
  executor: "jit" | "graphql-js";
  database: { kind: "sqlite"; path: string } | { kind: "mysql"; url: string };
  databaseUrl: string;
  port: number;
  host: string;
  publicSiteUrl: string;
  redisUrl?: string;
  logLevel: string;
  /** pretty: readable lines (pino-pretty) for a person at a terminal; json: one object a line. */
  logFormat: "json" | "pretty";
  /** OpenTelemetry traces: exported over OTLP/HTTP to `endpoint` (the full traces URL); none when absent. */
  tracing: { endpoint?: string; protocol: "http/protobuf" | "http/json"; serviceName: string };
  site: { name: string; languages: string[]; defaultLanguage: string; configFile?: string };
  /** Fill an empty database with the demo content on start. */
  seedDemoOnStart: boolean;
  /** Apply pending migrations on start; otherwise pending migrations stop the start. */
  migrateOnStart: boolean;
  /** Report how many SQL statements a request sent, in an `X-SQL-Statements` header. */
  sqlStatementHeader: boolean;
  dbPoolSize: number;
  newsletter: { signupsPerHour: number };
  /** Serve the GraphiQL playground at GET /graphql to browsers. */
  playground: boolean;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    /** Estimated cost an operation may have (fields times page sizes). */
    maxCost: number;
    /** 0: batched requests refused. */
    batchMaxOperations: number;
    requestTimeoutMs: number;
    sqlStatementTimeoutMs: number;
    dbConnectTimeoutMs: number;
  };
  shutdownTimeoutMs: number;
  /** Article revisions: kept on every save unless off; `keep` newest per article (0: all), published ones always. */
  revisions: { enabled: boolean; keep: number };
  /** Webhook deliveries (src/webhooks). */
  webhooks: {
    timeoutMs: number;
    /** Seconds to wait before each retry; one attempt more than there are entries. */
    retrySchedule: number[];
    /** Events in a row that failed for good before a webhook is disabled. */
    disableAfter: number;
    /** Whether targets on private, loopback and link-local addresses are allowed (never by default in production). */
    allowPrivate: boolean;
  };
  /** Cache hints (seconds) and the response cache. */
  cache: {
    responseCache: boolean;
    maxEntries: number;
    /** The response cache's bound in bytes (RESPONSE_CACHE_MAX_MB). */
    maxBytes: number;
    /** How often each instance reads the content event stream (Redis, when set, wakes it at once). */
    eventsPollMs: number;
    /** Days content events and finished deliveries are kept (0: forever). */
    eventsKeepDays: number;
    /** Where purges go for each content event; absent: no CDN purging. */
    purge?: {
      kind: "varnish" | "fastly" | "cloudflare" | "http";
      url?: string;
      token?: string;
      service?: string;
      timeoutMs: number;
      /** Each purge is sent again this much later (0: never), for answers that were in flight. */
      repeatMs: number;
    };
    articleSeconds: number;
    sectionSeconds: number;
    trendingSeconds: number;
    searchSeconds: number;
    siteSeconds: number;
    /** Live blogs and their posts: short, so polling readers see a post within seconds even without purges. */
    liveSeconds: number;
  };
  /** GraphQL subscriptions over WebSocket (graphql-ws on /graphql). */
  subscriptions: {
    enabled: boolean;
    maxConnectionsPerAddress: number;
    maxPerConnection: number;
    /** Pings this often; a socket that did not answer the previous ping is closed. */
    keepAliveMs: number;
    /** A socket with no subscription for this long is closed. */
    idleMs: number;
    /** A socket whose unsent messages exceed this is a slow consumer and is closed. */
    maxBufferedBytes: number;
    /** Updates waiting for one subscription at most; past it the subscriber is dropped (SLOW_CONSUMER). */
    maxQueued: number;
  };
  /** MySQL read replicas for public reads; writes and editors' reads stay on DATABASE_URL. */
  replicaUrls: string[];
  /** Origins allowed by CORS; ["*"] for any; [] for none (same-origin only). */
  corsOrigins: string[];
  /** Express "trust proxy": how client addresses are read behind a load balancer. */
  trustProxy: boolean | number | string;
  rateLimits: { queriesPerMinute: number; keyQueriesPerMinute: number; beaconsPerMinute: number };
  /** `{url}` and `{width}` are replaced; widths are snapped to the nearest allowed one. */
  images: { renditionTemplate: string; renditionWidths: number[] };
  trending: TrendingConfig;
  /**
   * MySQL search: how common words are is estimated from `wordSampleSize` public articles (0:
   * off); a word in at least `commonWordShare` of them is checked on the rows rarer words find.
   */
  search: {
    wordSampleSize: number;
    commonWordShare: number;
    /** A Sphinx or Manticore searchd's SphinxQL listener (sphinx://host:9306): search runs there. */
    engineUrl?: string;
    /** How soon indexing is tried again after the engine failed (it catches up from its checkpoint). */
    engineRetryMs: number;
  };
  /**
   * Article lists count `totalCount` exactly up to `countExactLimit` articles; a longer list's
   * count is estimated from its publishing rate (see ArticleService.counts).
   */
  articles: { countExactLimit: number };
  /** Operation safelisting (src/documents, src/http/trusted-documents.ts). */
  trustedDocuments: TrustedDocumentsConfig;
  /** Automatic persisted queries: in Redis with REDIS_URL (shared by every instance), else in memory. */
  apq: { ttlSeconds: number };
  /** Sitemaps, the Google News sitemap and RSS/Atom feeds (src/distribution): which are served, and the feeds' shape. */
  distribution: {
    sitemaps: boolean;
    news: boolean;
    feeds: boolean;
    /** URLs per sitemap file at most (the protocol's limit is 50,000); a month with more is split. */
    sitemapUrlsPerFile: number;
    /** Items per feed, newest first. */
    feedLength: number;
    /** Feed items carry the sanitised body (content:encoded, Atom content), not only the summary. */
    feedFullText: boolean;
  };
}

export type TrustedDocumentsMode = "off" | "audit" | "enforce";

export interface TrustedDocumentsConfig {
  /** off: any document; audit: any, untrusted ones counted and logged; enforce: trusted ones only (for the public). */
  mode: TrustedDocumentsMode;
  /** Per client (its `apollographql-client-name` header), overriding `mode`. */
  clients: Record<string, TrustedDocumentsMode>;
  /** API key roles that may still send any document in enforce mode. */
  anyDocumentRoles: Array<"editor" | "admin">;
  /** How often each instance checks the table for added or removed documents. */
  refreshMs: number;
}

export interface TrendingConfig {
  /** Decay half-life of each window, in minutes. */
  halfLifeMinutes: { HOUR: number; DAY: number; WEEK: number };
  /** How long a computed list is served from memory; 0 computes every request. */
  cacheSeconds: number;
  /** Views one client may record per minute; 0 means no limit. */
  viewRatePerMinute: number;
  /** A client viewing the same article again within this time counts once; 0 turns it off. */
  viewDedupeMinutes: number;
  /** Buffered views are written at least this often. */
  flushIntervalMs: number;
  /** View buckets older than this are pruned; at least 8 days, so the week window is always complete. */
  retentionDays: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Variables we read; anything else starting with one of our prefixes is a typo worth stopping for. */
const OUR_PREFIXES = [
  "COURANT_",
  "SITE_",
  "DATABASE_",
  "DB_",
  "SQL_",
  "SEED_",
  "PUBLIC_SITE_",
  "TRENDING_",
  "TRUSTED_DOCUMENTS",
  "APQ_",
  "FEED_",
  "DISTRIBUTION_",
  "SITEMAP_",
];

/**
 * Parses and validates the environment once, synchronously. Every problem is reported at
 * once, one line each, so a misconfigured deploy is fixed in one round.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  terminal: boolean = process.stdout.isTTY === true,
): Config {
  const known = new Set(Object.keys(EnvSchema.shape));
  const picked: Record<string, string> = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined || value === "") continue;
    if (known.has(key)) picked[key] = value;
    else if (OUR_PREFIXES.some((p) => key.startsWith(p))) problems.push(`${key}: unknown setting`);
  }
  const parsed = EnvSchema.safeParse(picked);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join(".") || "environment"}: ${issue.message}`);
    }
  }
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);
  const e = parsed.data;

  const languages = e.SITE_LANGUAGES ?? [...EU_LANGUAGES];
  if (!languages.includes(e.SITE_DEFAULT_LANGUAGE)) {
    throw new ConfigError([`SITE_DEFAULT_LANGUAGE: ${e.SITE_DEFAULT_LANGUAGE} is not one of SITE_LANGUAGES`]);
  }
  const replicaUrls = (e.DATABASE_REPLICA_URLS ?? "")
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
  if (replicaUrls.length > 0 && e.DATABASE_URL.startsWith("sqlite:")) {
    throw new ConfigError(["DATABASE_REPLICA_URLS: read replicas need DATABASE_URL on MySQL"]);
  }
  const purgeNeeds: Record<string, Array<"CDN_PURGE_URL" | "CDN_PURGE_TOKEN" | "CDN_PURGE_SERVICE">> = {
    varnish: ["CDN_PURGE_URL"],
    http: ["CDN_PURGE_URL"],
    fastly: ["CDN_PURGE_TOKEN", "CDN_PURGE_SERVICE"],
    cloudflare: ["CDN_PURGE_TOKEN", "CDN_PURGE_SERVICE"],
  };
  const missing = e.CDN_PURGE ? purgeNeeds[e.CDN_PURGE]!.filter((k) => !e[k]) : [];
  if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required with CDN_PURGE=${e.CDN_PURGE}`));
  const badReplicas = replicaUrls.filter((u) => !databaseUrl.safeParse(u).success || u.startsWith("sqlite:"));
  if (badReplicas.length > 0)
    throw new ConfigError(["DATABASE_REPLICA_URLS: each must be mysql://user:pass@host:3306/db"]);
  const database = e.DATABASE_URL.startsWith("sqlite:")
    ? ({ kind: "sqlite", path: e.DATABASE_URL.slice("sqlite:".length) } as const)
    : ({ kind: "mysql", url: e.DATABASE_URL } as const);
  const inContainer = env.container !== undefined || env.KUBERNETES_SERVICE_HOST !== undefined;

  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === "production",
    executor: e.EXECUTOR,
    database,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST ?? (inContainer ? "0.0.0.0" : "127.0.0.1"),
    publicSiteUrl: e.PUBLIC_SITE_URL.replace(/\/+$/, ""),
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT ?? (terminal && e.NODE_ENV !== "production" ? "pretty" : "json"),
    tracing: {
      endpoint: e.OTEL_SDK_DISABLED
        ? undefined
        : (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
          (e.OTEL_EXPORTER_OTLP_ENDPOINT && `${e.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, "")}/v1/traces`)),
      protocol: e.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? e.OTEL_EXPORTER_OTLP_PROTOCOL ?? "http/protobuf",
      serviceName: e.OTEL_SERVICE_NAME ?? "courant",
    },
    site: {
      name: e.SITE_NAME,
      languages,
      defaultLanguage: e.SITE_DEFAULT_LANGUAGE,
      configFile: e.SITE_CONFIG_FILE,
    },
    seedDemoOnStart: e.SEED_DEMO_ON_START ?? database.kind === "sqlite",
    migrateOnStart: e.MIGRATE_ON_START ?? database.kind === "sqlite",
    sqlStatementHeader: e.SQL_STATEMENT_HEADER ?? e.NODE_ENV !== "production",
    dbPoolSize: e.DB_POOL_SIZE,
    newsletter: { signupsPerHour: e.NEWSLETTER_SIGNUPS_PER_HOUR },
    playground: e.PLAYGROUND ?? true,
    limits: {
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_ALIASES,
      maxDirectives: e.MAX_DIRECTIVES,
      maxTokens: e.MAX_TOKENS,
      maxCost: e.MAX_QUERY_COST,
      batchMaxOperations: e.BATCH_MAX_OPERATIONS,
      requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
      sqlStatementTimeoutMs: e.SQL_STATEMENT_TIMEOUT_MS,
      dbConnectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
    },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    revisions: { enabled: e.REVISIONS ?? true, keep: e.REVISIONS_KEEP },
    webhooks: {
      timeoutMs: e.WEBHOOK_TIMEOUT_MS,
      retrySchedule: e.WEBHOOK_RETRY_SCHEDULE.split(",").map(Number),
      disableAfter: e.WEBHOOK_DISABLE_AFTER,
      allowPrivate: e.WEBHOOK_ALLOW_PRIVATE ?? e.NODE_ENV !== "production",
    },
    cache: {
      responseCache: e.RESPONSE_CACHE ?? true,
      maxEntries: e.RESPONSE_CACHE_MAX_ENTRIES,
      maxBytes: Math.round(e.RESPONSE_CACHE_MAX_MB * 1024 * 1024),
      eventsPollMs: e.EVENTS_POLL_MS,
      eventsKeepDays: e.EVENTS_KEEP_DAYS,
      purge: e.CDN_PURGE
        ? {
            kind: e.CDN_PURGE,
            url: e.CDN_PURGE_URL,
            token: e.CDN_PURGE_TOKEN,
            service: e.CDN_PURGE_SERVICE,
            timeoutMs: e.CDN_PURGE_TIMEOUT_MS,
            repeatMs: e.CDN_PURGE_REPEAT_MS,
          }
        : undefined,
      articleSeconds: e.CACHE_MAX_AGE_ARTICLES,
      sectionSeconds: e.CACHE_MAX_AGE_SECTIONS,
      trendingSeconds: e.CACHE_MAX_AGE_TRENDING,
      searchSeconds: e.CACHE_MAX_AGE_SEARCH,
      siteSeconds: e.CACHE_MAX_AGE_SITE,
      liveSeconds: e.CACHE_MAX_AGE_LIVE,
    },
    subscriptions: {
      enabled: e.SUBSCRIPTIONS ?? true,
      maxConnectionsPerAddress: e.SUBSCRIPTIONS_MAX_CONNECTIONS_PER_ADDRESS,
      maxPerConnection: e.SUBSCRIPTIONS_MAX_PER_CONNECTION,
      keepAliveMs: e.SUBSCRIPTIONS_KEEPALIVE_MS,
      idleMs: e.SUBSCRIPTIONS_IDLE_MS,
      maxBufferedBytes: e.SUBSCRIPTIONS_MAX_BUFFERED_BYTES,
      maxQueued: e.SUBSCRIPTIONS_MAX_QUEUED,
    },
    replicaUrls,
    corsOrigins: (e.CORS_ORIGINS ?? "")
      .split(",")
      .map((o) => o.trim())
      .filter(Boolean),
    trustProxy:
      e.TRUST_PROXY === undefined || e.TRUST_PROXY === "false"
        ? false
        : e.TRUST_PROXY === "true"
          ? true
          : /^\d+$/.test(e.TRUST_PROXY)
            ? Number(e.TRUST_PROXY)
            : e.TRUST_PROXY,
    rateLimits: {
      queriesPerMinute: e.RATE_LIMIT_QUERIES_PER_MINUTE,
      keyQueriesPerMinute: e.RATE_LIMIT_KEY_QUERIES_PER_MINUTE,
      beaconsPerMinute: e.RATE_LIMIT_BEACONS_PER_MINUTE,
    },
    images: {
      renditionTemplate: e.IMAGE_RENDITION_TEMPLATE,
      renditionWidths: [...e.IMAGE_RENDITION_WIDTHS].sort((a, b) => a - b),
    },
    trending: {
      halfLifeMinutes: {
        HOUR: e.TRENDING_HALF_LIFE_HOUR_MINUTES,
        DAY: e.TRENDING_HALF_LIFE_DAY_MINUTES,
        WEEK: e.TRENDING_HALF_LIFE_WEEK_MINUTES,
      },
      cacheSeconds: e.TRENDING_CACHE_SECONDS,
      viewRatePerMinute: e.TRENDING_VIEW_RATE_PER_MINUTE,
      viewDedupeMinutes: e.TRENDING_VIEW_DEDUPE_MINUTES,
      flushIntervalMs: e.TRENDING_FLUSH_INTERVAL_MS,
      retentionDays: e.TRENDING_RETENTION_DAYS,
    },
    search: {
      wordSampleSize: e.SEARCH_WORD_SAMPLE_SIZE,
      commonWordShare: e.SEARCH_COMMON_WORD_SHARE,
      engineRetryMs: e.SEARCH_ENGINE_RETRY_MS,
      ...(e.SEARCH_ENGINE_URL ? { engineUrl: e.SEARCH_ENGINE_URL } : {}),
    },
    articles: { countExactLimit: e.ARTICLE_COUNT_EXACT_LIMIT },
    trustedDocuments: {
      mode: e.TRUSTED_DOCUMENTS,
      clients: Object.fromEntries(
        (e.TRUSTED_DOCUMENTS_CLIENTS ?? "")
          .split(",")
          .filter(Boolean)
          .map((pair) => pair.split("=") as [string, TrustedDocumentsMode]),
      ),
      anyDocumentRoles:
        e.TRUSTED_DOCUMENTS_ANY_DOCUMENT_ROLES === "none"
          ? []
          : (e.TRUSTED_DOCUMENTS_ANY_DOCUMENT_ROLES.split(",") as Array<"editor" | "admin">),
      refreshMs: e.TRUSTED_DOCUMENTS_REFRESH_SECONDS * 1000,
    },
    apq: { ttlSeconds: e.APQ_TTL_SECONDS },
    distribution: {
      sitemaps: e.DISTRIBUTION_OUTPUTS.split(",").includes("sitemaps"),
      news: e.DISTRIBUTION_OUTPUTS.split(",").includes("news"),
      feeds: e.DISTRIBUTION_OUTPUTS.split(",").includes("feeds"),
      sitemapUrlsPerFile: e.SITEMAP_URLS_PER_FILE,
      feedLength: e.FEED_LENGTH,
      feedFullText: e.FEED_FULL_TEXT ?? false,
    },
  };
}
