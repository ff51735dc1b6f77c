import type { Config } from "../config";
import type { StartupContent } from "../main";

/** Where the data lives, without a password. */
function describeDatabase(config: Config): string {
  if (config.database.kind === "sqlite") return `SQLite, ${config.database.path}`;
  const u = new URL(config.database.url);
  return `MySQL/MariaDB, ${u.hostname}:${u.port || 3306}${u.pathname}`;
}

function describeContent(config: Config, content: StartupContent | undefined): string {
  if (!content) return "unknown";
  if (content.demoArticlesLoaded > 0)
    return `the built-in demo publication (${content.demoArticlesLoaded} articles), loaded into the empty database just now`;
  if (content.articles === 0)
    return config.seedDemoOnStart
      ? "none yet"
      : "none yet: `courant seed --demo` loads the demo publication, `courant import wordpress` your own";
  return `${content.articles} articles already in the database`;
}

/** The few lines a person at a terminal needs once the API serves. */
export function banner(config: Config, url: string, content: StartupContent | undefined): string {
  const endpoint = `${url}/graphql`;
  const curl = `curl -s ${endpoint} -H 'content-type: application/json' -d '{"query":"{ articles(first: 3) { nodes { title publishedAt } } }"}'`;
  const rows: Array<[string, string]> = [
    ["Playground", config.playground ? `${endpoint}  (open it in a browser)` : "off (PLAYGROUND=false)"],
    ["API", `POST ${endpoint}`],
    ["Database", describeDatabase(config)],
    ["Content", describeContent(config, content)],
    ["Try", curl],
  ];
  return [
    "",
    `  Courant is serving ${config.site.name}`,
    "",
    ...rows.map(([k, v]) => `  ${k.padEnd(11)} ${v}`),
    "",
    "  Ctrl-C stops it. Logs follow.",
    "",
  ].join("\n");
}
