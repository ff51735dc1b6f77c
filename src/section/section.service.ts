import { Db, sql } from "../db/sql";
import { noteRead } from "../cache/cache-dependencies";
import type { ContentEvents } from "../events";

export interface SectionRow {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  parentId: number | null;
  position: number;
}

/** The whole section tree, read in one statement: news sites have tens of sections, not thousands. */
export class SectionTree {
  readonly byId = new Map<number, SectionRow>();
  readonly bySlug = new Map<string, SectionRow>();
  private readonly childrenOf = new Map<number | null, SectionRow[]>();

  constructor(readonly rows: SectionRow[]) {
    for (const row of rows) {
      this.byId.set(row.id, row);
      this.bySlug.set(row.slug, row);
      const siblings = this.childrenOf.get(row.parentId) ?? [];
      siblings.push(row);
      this.childrenOf.set(row.parentId, siblings);
    }
  }

  children(id: number | null): SectionRow[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** The section and every section below it; cycles in bad data cannot loop. */
  subtreeIds(id: number): number[] {
    const out: number[] = [];
    const seen = new Set<number>();
    const stack = [id];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next) || !this.byId.has(next)) continue;
      seen.add(next);
      out.push(next);
      for (const child of this.children(next)) stack.push(child.id);
    }
    return out;
  }
}

/** How long a cached tree is trusted without hearing of a change: a net for edits made past the API (plain SQL). */
const TREE_TTL_MS = 30_000;

/**
 * The section tree is read by nearly every request (feeds resolve section slugs, pages show
 * section labels) and changes a few times a year. The process keeps one copy and drops it on
 * every section change in the content event stream, whichever instance made it, so it costs
 * no statement per request.
 */
export class SectionService {
  private cached?: { tree: Promise<SectionTree>; at: number };
  private rereading?: Promise<SectionTree>;
  private generation = 0;

  constructor(
    private readonly db: Db,
    events?: ContentEvents,
  ) {
    events?.onChange((change) => {
      if (change.kind === "section") this.forget();
    });
  }

  /** Drops the cached tree: the next read goes to the database. */
  forget(): void {
    this.generation += 1;
    this.cached = undefined;
  }

  /**
   * The tree, read again once when it lacks what the caller looks for: a section another process
   * (an import, another instance) made a moment ago, before its event reached this one. Misses
   * that arrive while such a re-read is under way take its answer, so a burst of unknown slugs
   * costs one read, not one each.
   */
  async having(has: (tree: SectionTree) => boolean): Promise<SectionTree> {
    const kept = await this.tree();
    if (has(kept)) return kept;
    if (!this.rereading) {
      this.forget();
      const tree = this.tree();
      this.rereading = tree;
      const done = () => {
        if (this.rereading === tree) this.rereading = undefined;
      };
      tree.then(done, done);
    }
    return this.rereading;
  }

  async tree(): Promise<SectionTree> {
    noteRead((r) => (r.sections = true));
    const now = Date.now();
    if (this.cached && now - this.cached.at < TREE_TTL_MS) return this.cached.tree;
    const generation = this.generation;
    const tree = this.read();
    this.cached = { tree, at: now };
    tree.then(
      // A change heard while the read was under way may not be in it: keep it for this request only.
      () => {
        if (generation !== this.generation && this.cached?.tree === tree) this.cached = undefined;
      },
      () => {
        if (this.cached?.tree === tree) this.cached = undefined;
      },
    );
    return tree;
  }

  private async read(): Promise<SectionTree> {
    const rows = await this.db.query<Record<string, unknown>>(
      // From the primary: a lagging replica read just after a change would be kept for the TTL.
      sql("SELECT id, slug, name, description, parent_id, position FROM sections ORDER BY position, name, id"),
    );
    return new SectionTree(
      rows.map((r) => ({
        id: Number(r.id),
        slug: String(r.slug),
        name: String(r.name),
        description: r.description == null ? null : String(r.description),
        parentId: r.parent_id == null ? null : Number(r.parent_id),
        position: Number(r.position),
      })),
    );
  }
}
