import type { DataSource, EntityManager } from "typeorm";
import { inTransaction } from "../db/transaction";
import { chooseSlug } from "../db/slug";
import { emptyChange, type ContentEvents } from "../events";
import { badUserInput, notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { SectionEntity } from "./section.entity";
import type { SectionInput } from "./section.inputs";

/** Admin writes to sections: one transaction each, announced after commit. */
export class SectionWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly events: ContentEvents,
  ) {}

  async create(input: SectionInput): Promise<SectionEntity> {
    return this.save(null, input);
  }

  async update(globalId: string, input: SectionInput): Promise<SectionEntity> {
    return this.save(fromGlobalIdOf("Section", globalId), input);
  }

  private async save(id: number | null, input: SectionInput): Promise<SectionEntity> {
    const saved = await inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(SectionEntity);
      const current = id == null ? new SectionEntity() : await repo.findOne({ where: { id } });
      if (!current) throw notFound("Section not found");
      const parentId = input.parentId != null ? await this.parent(m, id, input.parentId) : null;
      const slug = await chooseSlug(m, {
        table: "sections",
        given: input.slug,
        current: id == null ? undefined : current.slug,
        from: input.name,
        fallback: "section",
        field: "input.slug",
      });
      const position =
        id == null
          ? Number((await m.query("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM sections"))[0].p)
          : current.position;
      return repo.save(
        Object.assign(current, { name: input.name, slug, description: input.description ?? null, parentId, position }),
      );
    });
    this.events.changed({ ...emptyChange("section"), sectionIds: [saved.id] });
    return saved;
  }

  /** The parent must exist and must not be the section itself or one below it. */
  private async parent(m: EntityManager, id: number | null, globalId: string): Promise<number> {
    const parentId = fromGlobalIdOf("Section", globalId, "input.parentId");
    const rows: SectionEntity[] = await m.getRepository(SectionEntity).find();
    const byId = new Map(rows.map((r) => [r.id, r]));
    if (!byId.has(parentId)) throw badUserInput("no such section", "input.parentId");
    for (let cursor: number | null = parentId, hops = 0; cursor != null && hops <= rows.length; hops++) {
      if (cursor === id) throw badUserInput("would put the section inside itself", "input.parentId");
      cursor = byId.get(cursor)?.parentId ?? null;
    }
    return parentId;
  }
}
