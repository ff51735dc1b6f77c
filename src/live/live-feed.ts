import type { Logger } from "pino";
import type { ContentChange, ContentEvents } from "../events";
import type { ArticleRow, ArticleService } from "../article/article.service";
import type { LiveBlogRow, LiveBlogService, LivePostRow } from "./live-blog.service";

/** Stands in for the updates a subscriber fell too far behind on: its subscription ends with SLOW_CONSUMER. */
export const OVERFLOW = Symbol("overflow");

export interface LiveUpdate {
  type: string;
  postId: number | null;
  /** The post as the public sees it now; null when deleted (or none concerned). */
  post: LivePostRow | null;
  blog: LiveBlogRow;
  article: ArticleRow;
}

/**
 * One subscriber's queue: what the socket has not taken yet, at most `max` items. A subscriber
 * that falls further behind gets OVERFLOW and then nothing: memory per subscriber stays bounded
 * however slow its network.
 */
export class Feed<T> implements AsyncIterableIterator<T | typeof OVERFLOW> {
  private items: Array<T | typeof OVERFLOW> = [];
  private waiting: ((r: IteratorResult<T | typeof OVERFLOW>) => void) | undefined;
  private closed = false;
  private overflowed = false;
  private ended = false;

  constructor(
    private readonly max: number,
    private readonly onEnd: () => void,
  ) {}

  push(item: T): void {
    if (this.closed || this.overflowed) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w({ value: item, done: false });
    } else if (this.items.length >= this.max) {
      // Fallen behind: let go of what it holds, and of the feed, at once (not when it reads again).
      this.overflowed = true;
      this.items = [OVERFLOW];
      this.end();
    } else this.items.push(item);
  }

  next(): Promise<IteratorResult<T | typeof OVERFLOW>> {
    if (this.items.length) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.closed || this.overflowed) return this.return();
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<T | typeof OVERFLOW>> {
    if (!this.closed) {
      this.closed = true;
      this.items = [];
      this.end();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = undefined;
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.onEnd();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

interface PublishedFilter {
  /** Section and its subsections; absent: any. */
  sectionIds?: Set<number>;
  language?: string;
}

/**
 * The subscriptions of this instance, fed by the content event stream (EventTail: every
 * instance tails content_events and is woken through Redis, so a post written on any gateway
 * arrives here). Each event is read once, as the public sees it, whatever the number of
 * subscribers; nothing is sent for an article the public cannot see.
 */
export class LiveFeed {
  private readonly blogs = new Map<number, Set<Feed<LiveUpdate>>>();
  private readonly published = new Map<Feed<ArticleRow>, PublishedFilter>();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    events: ContentEvents,
    private readonly live: LiveBlogService,
    private readonly articles: ArticleService,
    private readonly clock: () => Date,
    private readonly log: Logger,
    private readonly queueSize = 100,
  ) {
    // In event order: one delivery at a time, so subscribers see changes in the order they were made.
    events.onChange((change) => {
      if (!this.wants(change)) return;
      this.chain = this.chain
        .then(() => this.deliver(change))
        .catch((err) => this.log.warn({ err, eventId: change.eventId }, "a subscription update failed"));
    });
  }

  get subscribers(): number {
    let n = this.published.size;
    for (const set of this.blogs.values()) n += set.size;
    return n;
  }

  liveBlog(articleId: number): Feed<LiveUpdate> {
    const set = this.blogs.get(articleId) ?? new Set();
    this.blogs.set(articleId, set);
    const feed: Feed<LiveUpdate> = new Feed(this.queueSize, () => {
      set.delete(feed);
      if (!set.size) this.blogs.delete(articleId);
    });
    set.add(feed);
    return feed;
  }

  articlePublished(filter: PublishedFilter): Feed<ArticleRow> {
    const feed: Feed<ArticleRow> = new Feed(this.queueSize, () => this.published.delete(feed));
    this.published.set(feed, filter);
    return feed;
  }

  private wants(c: ContentChange): boolean {
    if (c.kind === "live") return c.articleIds.some((id) => this.blogs.has(id));
    return c.type === "article.published" && this.published.size > 0;
  }

  private async deliver(c: ContentChange): Promise<void> {
    const scope = { now: this.clock(), preview: false };
    if (c.kind === "live") {
      for (const articleId of c.articleIds) {
        const feeds = this.blogs.get(articleId);
        if (!feeds?.size) continue;
        // Only public data flows: a blog on a draft, scheduled or deleted article sends nothing.
        const [article] = await this.articles.lookupByIds(scope, [articleId]);
        if (!article) continue;
        const [blog] = await this.live.blogs([articleId]);
        if (!blog) continue;
        const postId = c.postIds?.[0] ?? null;
        const [post] = postId != null ? await this.live.postsByIds(scope, [postId]) : [];
        const update: LiveUpdate = { type: c.type ?? "live.post_updated", postId, post: post ?? null, blog, article };
        for (const feed of feeds) feed.push(update);
      }
      return;
    }
    const rows = await this.articles.lookupByIds(scope, c.articleIds);
    for (const article of rows)
      for (const [feed, filter] of this.published) {
        if (filter.language && filter.language !== article.language) continue;
        if (filter.sectionIds && !filter.sectionIds.has(article.sectionId)) continue;
        feed.push(article);
      }
  }
}
