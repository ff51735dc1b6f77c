import type { Logger } from "pino";
import type { Db } from "../../db/sql";
import { SearchFeeder } from "./search-feeder";
import { SphinxEngine } from "./sphinx";

/** The engine client and its feeder for SEARCH_ENGINE_URL. */
export function searchEngineFor(
  url: string,
  db: Db,
  log: Logger,
  retryMs: number,
): { client: SphinxEngine; feeder: SearchFeeder } {
  const client = new SphinxEngine(url);
  return { client, feeder: new SearchFeeder(db, client, log, retryMs) };
}
