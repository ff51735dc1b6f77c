import { createHash } from "node:crypto";
import DataLoader from "dataloader";
import { LRUCache } from "lru-cache";
import { viewsAccepted, viewsDropped } from "../metrics/metrics";
import type { ViewBuffer } from "./trending.buffer";

/** A client-made id of one page view (a UUID, typically). */
export const VIEW_ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export type ViewOutcome =
  "counted" | "rate_limited" | "not_public" | "duplicate_view_id" | "repeat_view" | "buffer_full";

export interface ViewRequest {
  articleId: number;
  viewId?: string;
  /** Who is viewing: the API key when the request carried a valid one, else address plus user agent. */
  client: string;
}

export interface ViewRecorderOptions {
  /** 0: no limit. */
  ratePerMinute: number;
  /** 0: no per-client dedupe. */
  dedupeMinutes: number;
}

/** How long a viewId is remembered: retries come within seconds, so an hour is plenty. */
const VIEW_ID_MEMORY_MS = 60 * 60_000;
/**
 * How long "article N is (not) public" is trusted before it is asked again (in the background:
 * a view may count against an answer up to this old plus one lookup).
 */
const PUBLIC_CHECK_TTL_MS = 10_000;
/** Visibility checks of views arriving within this many milliseconds share one statement. */
const PUBLIC_CHECK_BATCH_MS = 2;
/**
 * Memory bounds. Past them the least recently seen entries go first, so under a flood of
 * distinct clients dedupe becomes best-effort rather than the process running out of memory.
 */
const MAX_VIEW_IDS = 200_000;
const MAX_REPEAT_KEYS = 200_000;
const MAX_CLIENTS = 100_000;
const MAX_PUBLIC_CHECKS = 100_000;

/** Client keys arrive as "ip:<address>|<user agent>" or "key:<id>": hashed, memory per client stays small. */
const hashClient = (client: string): string => createHash("sha256").update(client).digest("base64url").slice(0, 22);

/**
 * Decides whether a view counts (public article, within the client's rate, not a retry, not
 * the same client again within the dedupe window) and adds it to the buffer. Dedupe and rate
 * state live in this process's memory: behind a load balancer they hold per gateway instance.
 */
export class ViewRecorder {
  private readonly viewIds = new LRUCache<string, number>({ max: MAX_VIEW_IDS });
  private readonly repeats = new LRUCache<string, number>({ max: MAX_REPEAT_KEYS });
  private readonly allowances = new LRUCache<string, { tokens: number; at: number }>({ max: MAX_CLIENTS });
  private readonly publicChecks = new LRUCache<number, { isPublic: boolean; until: number; refreshing: boolean }>({
    max: MAX_PUBLIC_CHECKS,
  });
  private readonly pendingChecks = new Map<number, Promise<boolean>>();
  private readonly publicLoader: DataLoader<number, boolean>;

  constructor(
    private readonly buffer: ViewBuffer,
    publicIds: (ids: readonly number[]) => Promise<Set<number>>,
    private readonly clock: () => Date,
    private readonly options: ViewRecorderOptions,
  ) {
    this.publicLoader = new DataLoader<number, boolean>(
      async (ids) => {
        const visible = await publicIds(ids);
        return ids.map((id) => visible.has(id));
      },
      { cache: false, maxBatchSize: 1000, batchScheduleFn: (run) => setTimeout(run, PUBLIC_CHECK_BATCH_MS) },
    );
  }

  async record(view: ViewRequest): Promise<ViewOutcome> {
    const client = hashClient(view.client);
    // The rate limit comes first and costs no I/O, so a flood is turned away cheaply.
    if (!this.takeAllowance(client, this.clock().getTime())) return dropped("rate_limited");
    if (!(await this.isPublic(view.articleId))) return dropped("not_public");
    // From here on nothing awaits, so two copies of one view cannot both pass the checks.
    const now = this.clock().getTime();
    if (view.viewId !== undefined) {
      const key = `${view.articleId}:${view.viewId}`;
      if ((this.viewIds.get(key) ?? -Infinity) > now) return dropped("duplicate_view_id");
      this.viewIds.set(key, now + VIEW_ID_MEMORY_MS);
    }
    if (this.options.dedupeMinutes > 0) {
      const key = `${client}:${view.articleId}`;
      if ((this.repeats.get(key) ?? -Infinity) > now) return dropped("repeat_view");
      this.repeats.set(key, now + this.options.dedupeMinutes * 60_000);
    }
    if (!this.buffer.add(view.articleId, new Date(now))) return dropped("buffer_full");
    viewsAccepted.inc();
    return "counted";
  }

  /** Forgets what is known about these articles' visibility (they were just edited). */
  forget(articleIds: readonly number[]): void {
    for (const id of articleIds) this.publicChecks.delete(id);
  }

  /** A token bucket per client: bursts up to a minute's allowance, refilled evenly. */
  private takeAllowance(client: string, now: number): boolean {
    const rate = this.options.ratePerMinute;
    if (rate === 0) return true;
    const last = this.allowances.get(client);
    const tokens = last ? Math.min(rate, last.tokens + (Math.max(0, now - last.at) * rate) / 60_000) : rate;
    const allowed = tokens >= 1;
    this.allowances.set(client, { tokens: allowed ? tokens - 1 : tokens, at: now });
    return allowed;
  }

  /**
   * Whether an article is public, from memory when possible. An answer older than
   * PUBLIC_CHECK_TTL_MS is still used while a fresh one is fetched in the background, so views
   * wait for the database only the first time an article is seen (and those share one lookup).
   */
  private isPublic(articleId: number): Promise<boolean> | boolean {
    const now = this.clock().getTime();
    const known = this.publicChecks.get(articleId);
    if (known) {
      if (known.until <= now && !known.refreshing) {
        known.refreshing = true;
        this.check(articleId, now).catch(() => (known.refreshing = false));
      }
      return known.isPublic;
    }
    let pending = this.pendingChecks.get(articleId);
    if (!pending) {
      pending = this.check(articleId, now).finally(() => this.pendingChecks.delete(articleId));
      this.pendingChecks.set(articleId, pending);
    }
    return pending;
  }

  private async check(articleId: number, now: number): Promise<boolean> {
    const isPublic = await this.publicLoader.load(articleId);
    this.publicChecks.set(articleId, { isPublic, until: now + PUBLIC_CHECK_TTL_MS, refreshing: false });
    return isPublic;
  }
}

function dropped(reason: Exclude<ViewOutcome, "counted">): ViewOutcome {
  viewsDropped.inc({ reason });
  return reason;
}
