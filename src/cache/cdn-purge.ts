import { backOff } from "exponential-backoff";
import type { Logger } from "pino";
import type { Config } from "../config";
import type { ContentEvents } from "../events";
import { cdnPurgeKeys, cdnPurgePending, cdnPurgeRequests } from "../metrics/metrics";
import { ALL_KEY, keysForChange, MAX_HEADER_BYTES } from "./surrogate-keys";

type PurgeSettings = NonNullable<Config["cache"]["purge"]>;

/** Sends one purge of `keys` to a CDN; throws when the CDN did not take it. */
export interface PurgeAdapter {
  readonly name: string;
  /** Keys one request may carry at most. */
  readonly batch: number;
  send(keys: string[], signal: AbortSignal): Promise<void>;
}

async function ok(res: Response): Promise<void> {
  if (!res.ok) throw new Error(`purge answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
}

/** One request per header's worth of keys (space-separated, at most MAX_HEADER_BYTES). */
function byHeaderSize(keys: string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const k of keys) {
    if (current.length && size + k.length + 1 > MAX_HEADER_BYTES) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(k);
    size += k.length + 1;
  }
  if (current.length) out.push(current);
  return out;
}

export function purgeAdapter(s: PurgeSettings): PurgeAdapter {
  const json = (body: unknown, headers: Record<string, string> = {}) => ({
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  switch (s.kind) {
    case "varnish":
      // deploy/varnish.vcl: PURGE with an xkey header purges every object carrying any of the keys.
      return {
        name: "varnish",
        batch: 1000,
        async send(keys, signal) {
          for (const chunk of byHeaderSize(keys))
            await ok(await fetch(s.url!, { method: "PURGE", headers: { xkey: chunk.join(" ") }, signal }));
        },
      };
    case "fastly":
      // Fastly's batch purge by surrogate key: up to 256 keys a request.
      return {
        name: "fastly",
        batch: 256,
        async send(keys, signal) {
          const base = s.url ?? "https://api.fastly.com";
          await ok(
            await fetch(`${base}/service/${encodeURIComponent(s.service!)}/purge`, {
              ...json({ surrogate_keys: keys }, { "fastly-key": s.token! }),
              signal,
            }),
          );
        },
      };
    case "cloudflare":
      // Cloudflare's purge by cache tag: up to 30 tags a request.
      return {
        name: "cloudflare",
        batch: 30,
        async send(keys, signal) {
          const base = s.url ?? "https://api.cloudflare.com/client/v4";
          await ok(
            await fetch(`${base}/zones/${encodeURIComponent(s.service!)}/purge_cache`, {
              ...json({ tags: keys }, { authorization: `Bearer ${s.token!}` }),
              signal,
            }),
          );
        },
      };
    case "http":
      return {
        name: "http",
        batch: 1000,
        async send(keys, signal) {
          await ok(
            await fetch(s.url!, { ...json({ keys }, s.token ? { authorization: `Bearer ${s.token}` } : {}), signal }),
          );
        },
      };
  }
}

/**
 * Purges the CDN in front for every content event, by surrogate key: asynchronously (a write
 * never waits for it or fails because of it), coalescing the keys of events that arrive
 * together, retried with jittered backoff until the CDN takes them. Keys that pile up past
 * `maxPending` while the CDN is away collapse into one purge of everything Courant served.
 */
export class CdnPurger {
  private pending = new Set<string>();
  /** Keys to purge a second time, not repeated again. */
  private readonly repeats = new Set<string>();
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    events: ContentEvents,
    private readonly adapter: PurgeAdapter,
    private readonly log: Logger,
    private readonly opts: { timeoutMs: number; repeatMs: number; delayMs?: number; maxPending?: number },
  ) {
    this.unsubscribe = events.onChange((change) => this.enqueue(keysForChange(change)));
  }

  /**
   * A reader's request that began before a change may still be on its way to the CDN when the
   * purge arrives, and would land stale after it: every purge is sent once more `repeatMs` later,
   * when any such answer has arrived.
   */
  private repeat(keys: string[]): void {
    if (!this.opts.repeatMs || this.stopped) return;
    setTimeout(() => {
      if (this.stopped) return;
      for (const k of keys) this.repeats.add(k);
      this.schedule();
    }, this.opts.repeatMs).unref();
  }

  enqueue(keys: string[]): void {
    if (this.stopped) return;
    if (this.pending.has(ALL_KEY)) return;
    for (const k of keys) this.pending.add(k);
    if (this.pending.size > (this.opts.maxPending ?? 5000)) this.pending = new Set([ALL_KEY]);
    cdnPurgePending.set(this.pending.size);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.flushing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined;
        if ((this.pending.size || this.repeats.size) && !this.stopped) this.schedule();
      });
    }, this.opts.delayMs ?? 10);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    const fresh = [...this.pending];
    const keys = [...new Set([...fresh, ...this.repeats])];
    this.pending.clear();
    this.repeats.clear();
    cdnPurgePending.set(0);
    this.repeat(fresh);
    for (let i = 0; i < keys.length; i += this.adapter.batch) {
      const chunk = keys.slice(i, i + this.adapter.batch);
      try {
        await backOff(() => this.adapter.send(chunk, AbortSignal.timeout(this.opts.timeoutMs)), {
          numOfAttempts: 1000,
          startingDelay: 200,
          maxDelay: 5_000,
          timeMultiple: 2,
          jitter: "full",
          retry: (err: unknown, attempt: number) => {
            cdnPurgeRequests.inc({ outcome: "failed" });
            if (attempt === 1 || attempt % 10 === 0)
              this.log.warn({ err, attempt, cdn: this.adapter.name, keys: chunk.length }, "CDN purge failed; retrying");
            return !this.stopped;
          },
        });
        cdnPurgeRequests.inc({ outcome: "ok" });
        cdnPurgeKeys.inc(chunk.length);
      } catch (err) {
        // Stopped while retrying: these keys go unpurged; the CDN drops them at their s-maxage.
        this.log.warn({ err, cdn: this.adapter.name, keys: chunk.length }, "CDN purge abandoned at shutdown");
      }
    }
  }

  /** Sends what is pending once (bounded by the timeout), then stops. */
  async stop(): Promise<void> {
    // A purge retrying in the background gives up at its next failure; shutdown does not wait for it.
    this.stopped = true;
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.size) {
      const keys = [...this.pending];
      this.pending.clear();
      await this.adapter.send(keys, AbortSignal.timeout(this.opts.timeoutMs)).catch(() => undefined);
    }
  }
}
