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
    SITE_NAME: z.string().min(1).max(200).default("EU Reporter"),
    SITE_LANGUAGES: csv(z.string().regex(BCP47, "is not a BCP 47 language code")).optional(),
    SITE_DEFAULT_LANGUAGE: z.string().regex(BCP47, "is not a BCP 47 language code").default("en"),
    SITE_CONFIG_FILE: z.string().min(1).optional(),
    SEED_DEMO_ON_START: bool.optional(),
    MIGRATE_ON_START: bool.optional(),
    SQL_STATEMENT_HEADER: bool.optional(),
    DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    NEWSLETTER_SIGNUPS_PER_HOUR: z.coerce.number().int().min(1).max(100000).default(10),
    IMAGE_RENDITION_TEMPLATE: z
      .string()
      .refine((t) => t.includes("{url}") && t.includes("{width}"), { message: "must contain {url} and {width}" })
      .default("{url}?w={width}"),
    IMAGE_RENDITION_WIDTHS: z
      .string()
      .transform((s) => s.split(",").map((x) => Number(x.trim())))
      .pipe(z.array(z.number().int().min(1).max(4096)).min(1))
      .default([320, 480, 640, 800, 1024, 1280, 1600, 2048]),
  })
  .strict();

export interface Config {
  env: "development" | "production" | "test";
  production: boolean;
  database: { kind: "sqlite"; path: string } | { kind: "mysql"; url: string };
  databaseUrl: string;
  port: number;
  host: string;
  publicSiteUrl: string;
  redisUrl?: string;
  logLevel: string;
  site: { name: string; languages: string[]; defaultLanguage: string; configFile?: string };
  /** Fill an empty database with the demo content on start. */
  seedDemoOnStart: boolean;
  /** Apply pending migrations on start; otherwise pending migrations stop the start. */
  migrateOnStart: boolean;
  /** Report how many SQL statements a request sent, in an `X-SQL-Statements` header. */
  sqlStatementHeader: boolean;
  dbPoolSize: number;
  newsletter: { signupsPerHour: number };
  /** `{url}` and `{width}` are replaced; widths are snapped to the nearest allowed one. */
  images: { renditionTemplate: string; renditionWidths: number[] };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

/** Variables we read; anything else starting with one of our prefixes is a typo worth stopping for. */
const OUR_PREFIXES = ["COURANT_", "SITE_", "DATABASE_", "DB_", "SQL_", "SEED_", "PUBLIC_SITE_"];

/**
 * Parses and validates the environment once, synchronously. Every problem is reported at
 * once, one line each, so a misconfigured deploy is fixed in one round.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
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
  const database = e.DATABASE_URL.startsWith("sqlite:")
    ? ({ kind: "sqlite", path: e.DATABASE_URL.slice("sqlite:".length) } as const)
    : ({ kind: "mysql", url: e.DATABASE_URL } as const);
  const inContainer = env.container !== undefined || env.KUBERNETES_SERVICE_HOST !== undefined;

  return {
    env: e.NODE_ENV,
    production: e.NODE_ENV === "production",
    database,
    databaseUrl: e.DATABASE_URL,
    port: e.PORT,
    host: e.HOST ?? (inContainer ? "0.0.0.0" : "127.0.0.1"),
    publicSiteUrl: e.PUBLIC_SITE_URL.replace(/\/+$/, ""),
    redisUrl: e.REDIS_URL,
    logLevel: e.LOG_LEVEL,
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
    images: {
      renditionTemplate: e.IMAGE_RENDITION_TEMPLATE,
      renditionWidths: [...e.IMAGE_RENDITION_WIDTHS].sort((a, b) => a - b),
    },
  };
}
