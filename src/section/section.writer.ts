import type { DataSource, EntityManager } from "typeorm";
import { chooseSlug } from "../db/slug";
import { inTransaction } from "../db/transaction";
import { emptyChange, type ContentEvents } from "../events";
import { recordEvent } from "../events/event-log";
import { badUserInput, notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { idempotent } from "../idempotency/idempotency";
import { SectionEntity } from "./section.entity";
import type { SectionInput } from "./section.inputs";

/**
 * Admin writes to sections: one transaction each, announced after commit. An update is a patch:
 * a field left out is kept, an explicit null clears it (a null parent makes it top-level).
 */
export class SectionWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly events: ContentEvents,
    private readonly clock: () => Date,
  ) {}

  /** `principal`: who is asking (the API key's id), the scope of a client mutation id. */
  async create(input: SectionInput, principal = "local"): Promise<SectionEntity> {
    if (input.name == null) throw badUserInput("is required to create a section", "input.name");
    const name = input.name;
    const { clientMutationId, ...request } = input;
    const saved = await inTransaction(this.ds, async (m) => {
      const claim = { principal, operation: "createSection" as const, clientKey: clientMutationId, request };
      const made = await idempotent(m, claim, this.clock(), async () => {
        const parentId = input.parentId != null ? await this.parent(m, null, input.parentId) : null;
        const slug = await chooseSlug(m, {
          table: "sections",
          given: input.slug,
          from: name,
          fallback: "section",
          field: "input.slug",
        });
        const position = Number((await m.query("SELECT COALESCE(MAX(position), 0) + 1 AS p FROM sections"))[0].p);
        const row = Object.assign(new SectionEntity(), {
          name,
          slug,
          description: input.description ?? null,
          parentId,
          position,
        });
        return (await m.getRepository(SectionEntity).save(row)).id;
      });
      if (!made.replayed)
        await recordEvent(m, "section.changed", { ...emptyChange("section"), sectionIds: [made.id] }, this.clock());
      return m.getRepository(SectionEntity).findOneByOrFail({ id: made.id });
    });
    await this.events.committed();
    return saved;
  }

  async update(globalId: string, input: SectionInput): Promise<SectionEntity> {
    const id = fromGlobalIdOf("Section", globalId);
    if (input.name === null) throw badUserInput("cannot be cleared", "input.name");
    if (input.slug === null) throw badUserInput("cannot be cleared", "input.slug");
    const saved = await inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(SectionEntity);
      const current = await repo.findOne({ where: { id } });
      if (!current) throw notFound("Section not found");
      const patch: Partial<SectionEntity> = {};
      if (input.name != null) patch.name = input.name;
      if (input.description !== undefined) patch.description = input.description;
      if (input.parentId !== undefined)
        patch.parentId = input.parentId === null ? null : await this.parent(m, id, input.parentId);
      patch.slug = await chooseSlug(m, {
        table: "sections",
        given: input.slug,
        current: current.slug,
        from: current.name,
        fallback: "section",
        field: "input.slug",
      });
      const saved = await repo.save(Object.assign(current, patch));
      await recordEvent(m, "section.changed", { ...emptyChange("section"), sectionIds: [saved.id] }, this.clock());
      return saved;
    });
    await this.events.committed();
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
