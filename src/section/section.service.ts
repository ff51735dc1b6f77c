import { Db, sql } from "../db/sql";
import { noteRead } from "../cache/cache-dependencies";

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

export class SectionService {
  constructor(private readonly db: Db) {}

  async tree(): Promise<SectionTree> {
    noteRead((r) => (r.sections = true));
    const rows = await this.db.query<Record<string, unknown>>(
      sql("SELECT id, slug, name, description, parent_id, position FROM sections ORDER BY position, name, id"),
      { replica: true },
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
