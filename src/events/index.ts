import { EventEmitter } from "node:events";

/** What a content event says happened. */
export type ContentEventType =
  | "article.created"
  | "article.updated"
  | "article.published"
  | "article.scheduled"
  | "article.unpublished"
  | "article.archived"
  | "article.deleted"
  | "section.changed"
  | "author.changed"
  | "live.started"
  | "live.ended"
  | "live.post_added"
  | "live.post_updated"
  | "live.post_deleted"
  | "live.post_pinned"
  | "live.post_unpinned";

/** What one change touched: enough for a cache, a CDN or a subscriber to act on exactly what it must. */
export interface ContentChange {
  /** "live": a live blog's coverage or posts changed (`articleIds`: the blog's article), not the article itself. */
  kind: "article" | "section" | "author" | "live";
  /** The event's type, once the change is recorded as an event. */
  type?: ContentEventType;
  /** The event's id in the stream (content_events.id), once recorded. */
  eventId?: string;
  articleIds: number[];
  storyKeys: string[];
  sectionIds: number[];
  authorIds: number[];
  tagIds: number[];
  languages: string[];
  /** `language:slug` of the articles, before and after: lookups by slug that found nothing. */
  articleSlugs?: string[];
  /** Slugs of the authors and tags, for lists filtered by slug. */
  authorSlugs?: string[];
  tagSlugs?: string[];
  /**
   * For article changes, where the writer knows: was the article public before, is it after, and
   * did a field the public sees change. Webhooks hear only of public content.
   */
  public?: { before: boolean; after: boolean; fieldsChanged: boolean };
  /** Live blog changes: the posts they touch. */
  postIds?: number[];
}

/** Something that delivers committed events to this process's bus (see EventTail). */
export interface EventSource {
  /** Reads what was committed since the last read, and hands it to the bus, now. */
  catchUp(): Promise<void>;
  /** Tells the other instances that new events were committed. */
  announce(): void;
}

/**
 * The in-process bus of content events. It is fed from the content_events table (EventTail),
 * never by a writer directly: writers record their event in their own transaction
 * (recordEvent), then call `committed()` so this instance delivers it before answering.
 * Caches, the CDN purger and subscriptions listen here.
 */
export class ContentEvents {
  private readonly emitter = new EventEmitter();
  private source?: EventSource;
  /**
   * The soonest scheduled moment still to come (kept by the scheduler): whatever caches an answer
   * keeps it no longer than until then, so a moment's change is never hidden even if its event is late.
   */
  nextMomentAt: Date | null = null;

  /** Seconds an answer may be kept from now: `maxAge`, or less when a moment comes sooner. */
  cappedAge(maxAge: number, now: Date): number {
    if (!this.nextMomentAt) return maxAge;
    return Math.max(0, Math.min(maxAge, Math.floor((this.nextMomentAt.getTime() - now.getTime()) / 1000)));
  }

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  feedFrom(source: EventSource): void {
    this.source = source;
  }

  /** After a write committed its events: deliver them here now, and wake the other instances. */
  async committed(): Promise<void> {
    if (!this.source) return;
    this.source.announce();
    await this.source.catchUp();
  }

  changed(change: ContentChange): void {
    this.emitter.emit("change", change);
  }

  onChange(listener: (change: ContentChange) => void): () => void {
    this.emitter.on("change", listener);
    return () => this.emitter.off("change", listener);
  }
}

export function emptyChange(kind: ContentChange["kind"]): ContentChange {
  return { kind, articleIds: [], storyKeys: [], sectionIds: [], authorIds: [], tagIds: [], languages: [] };
}

/** The same change with each list once. */
export function dedupeChange(change: ContentChange): ContentChange {
  const u = <T>(xs: T[]) => [...new Set(xs)];
  return {
    kind: change.kind,
    ...(change.type ? { type: change.type } : {}),
    ...(change.eventId ? { eventId: change.eventId } : {}),
    articleIds: u(change.articleIds),
    storyKeys: u(change.storyKeys),
    sectionIds: u(change.sectionIds),
    authorIds: u(change.authorIds),
    tagIds: u(change.tagIds),
    languages: u(change.languages),
    ...(change.articleSlugs ? { articleSlugs: u(change.articleSlugs) } : {}),
    ...(change.authorSlugs ? { authorSlugs: u(change.authorSlugs) } : {}),
    ...(change.tagSlugs ? { tagSlugs: u(change.tagSlugs) } : {}),
    ...(change.public ? { public: change.public } : {}),
    ...(change.postIds ? { postIds: u(change.postIds) } : {}),
  };
}
