import { EventEmitter } from "node:events";

/** What one editorial write changed: enough for a cache to evict exactly what it must. */
export interface ContentChange {
  kind: "article" | "section" | "author";
  articleIds: number[];
  storyKeys: string[];
  sectionIds: number[];
  authorIds: number[];
  tagIds: number[];
  languages: string[];
  /** Slugs of the authors and tags, for lists filtered by slug. */
  authorSlugs?: string[];
  tagSlugs?: string[];
}

/** The one internal event every write announces after it commits. */
export class ContentEvents {
  private readonly emitter = new EventEmitter();

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
    articleIds: u(change.articleIds),
    storyKeys: u(change.storyKeys),
    sectionIds: u(change.sectionIds),
    authorIds: u(change.authorIds),
    tagIds: u(change.tagIds),
    languages: u(change.languages),
    ...(change.authorSlugs ? { authorSlugs: u(change.authorSlugs) } : {}),
    ...(change.tagSlugs ? { tagSlugs: u(change.tagSlugs) } : {}),
  };
}
