import {
  ErrorsAreMissesCache,
  InMemoryLRUCache,
  type KeyValueCache,
  type KeyValueCacheSetOptions,
} from "@apollo/utils.keyvaluecache";
import { KeyvAdapter } from "@apollo/utils.keyvadapter";
import KeyvRedis, { createClient, defaultReconnectStrategy } from "@keyv/redis";
import { Keyv } from "keyv";
import type { Logger } from "pino";

/** Failed reads are misses and failed writes are dropped: the client's error handler has said Redis is away. */
class QuietCache extends ErrorsAreMissesCache<string> {
  override async set(key: string, value: string, opts?: KeyValueCacheSetOptions): Promise<void> {
    await super.set(key, value, opts).catch(() => undefined);
  }
}

export interface ApqStore {
  cache: KeyValueCache<string>;
  close(): Promise<void>;
}

/**
 * Where automatic persisted queries (hash → text) are kept. With Redis, Apollo's documented path
 * (KeyvAdapter over Keyv with @keyv/redis), so a hash registered through one instance is known to
 * all; every entry expires after the TTL Apollo passes on each write. Redis being away never fails
 * a request: reads are misses (the client sends the text again), commands fail at once instead
 * of queueing (disableOfflineQueue) and the client reconnects in the background. Without Redis,
 * Apollo's bounded in-memory LRU (30 MiB).
 */
export function createApqStore(redisUrl: string | undefined, log: Logger): ApqStore {
  if (!redisUrl) return { cache: new InMemoryLRUCache<string>(), close: async () => undefined };
  const client = createClient({
    url: redisUrl,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1000, reconnectStrategy: defaultReconnectStrategy },
  });
  let down = false;
  client.on("error", (err: Error) => {
    if (!down) log.warn({ err: err.message }, "redis unavailable for persisted queries; treating them as unknown");
    down = true;
  });
  client.on("ready", () => {
    down = false;
  });
  // Opened now, so requests never wait for a connection: while it is not ready, commands fail at once.
  client.connect().catch(() => undefined);
  const store = new KeyvRedis(client, { throwOnConnectError: false, throwOnErrors: true, connectionTimeout: 1000 });
  const keyv = new Keyv<string>({ store, namespace: "courant-apq", throwOnErrors: true });
  keyv.on("error", () => undefined); // Reported by the client's handler above; a failed read is a miss.
  const cache = new QuietCache(new KeyvAdapter(keyv));
  return {
    cache,
    async close() {
      if (client.isOpen) await client.close().catch(() => undefined);
    },
  };
}
