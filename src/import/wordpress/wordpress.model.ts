/**
 * What the importer needs from a WordPress site, the same whether it was read from the
 * database or from an export (WXR) file. Ids are WordPress's own, as strings.
 */

export interface WpImage {
  id: string;
  url: string;
  alt: string | null;
  caption: string | null;
  width: number | null;
  height: number | null;
}

export interface WpTerm {
  /** term_id: what posts and child terms refer to. */
  id: string;
  name: string;
  slug: string;
  description: string | null;
  /** term_id of the parent category; null at the top. */
  parentId: string | null;
}

export interface WpUser {
  id: string;
  login: string;
  nicename: string;
  displayName: string;
  email: string | null;
  bio: string | null;
}

/** Enough to tell whether a post changed since the last run without reading its content. */
export interface WpPostStub {
  id: string;
  status: string;
  modifiedGmt: Date | null;
}

export interface WpPost extends WpPostStub {
  title: string;
  /** post_name: may be empty (drafts) or percent-encoded (non-ASCII). */
  name: string;
  content: string;
  excerpt: string;
  /** post_date_gmt, else post_date read as UTC; null for undated drafts. */
  dateGmt: Date | null;
  authorId: string | null;
  categoryIds: string[];
  /** The category a SEO plugin marks primary, when one does. */
  primaryCategoryId: string | null;
  tags: WpTerm[];
  thumbnail: WpImage | null;
  /** Images [gallery] may show: listed ids and the post's own attachments. */
  attachments: Map<string, WpImage>;
  /** Children attachments in menu order, for [gallery] without ids. */
  childAttachmentIds: string[];
  /** From Polylang or WPML; null when the site has neither. */
  language: string | null;
  /** Language versions of this story, this post included: post id -> language. */
  translations: Map<string, string> | null;
  /** Status before the post went to the trash (_wp_trash_meta_status). */
  statusBeforeTrash: string | null;
  /** Its earlier versions, oldest first (WordPress revisions, autosaves left out); export files have none. */
  revisions?: WpRevision[];
}

/** One earlier version of a post, as WordPress kept it. */
export interface WpRevision {
  title: string;
  content: string;
  excerpt: string;
  modifiedGmt: Date | null;
}

/** A WordPress site to import from, read lazily so re-runs read only what changed. */
export interface WordpressReader {
  /** Key of this site in import_sources. */
  readonly source: string;
  /**
   * Whether listPosts sees every post the site has, so an imported post missing from it was
   * deleted in WordPress. An export file may be filtered (by author, category or dates): no.
   */
  readonly listsEverything: boolean;
  /** Every post of type "post" (optionally modified at or after `since`), light. */
  listPosts(since?: Date): Promise<WpPostStub[]>;
  /** Full posts for these ids (at most a few hundred per call). */
  loadPosts(ids: string[]): Promise<WpPost[]>;
  /** Every category, parents included. */
  categories(): Promise<WpTerm[]>;
  /** term_id of the category WordPress gives posts without one, when known. */
  defaultCategoryId(): Promise<string | null>;
  users(ids: string[]): Promise<WpUser[]>;
  close(): Promise<void>;
}

/** Bad input that stops the whole run: one clear line for the operator. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ImportError";
  }
}
