import type { DataSource } from "typeorm";
import { chooseSlug } from "../db/slug";
import { inTransaction } from "../db/transaction";
import { emptyChange, type ContentEvents } from "../events";
import { recordEvent } from "../events/event-log";
import { badUserInput, notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { webUrl } from "../graphql/image.input";
import { idempotent } from "../idempotency/idempotency";
import { AuthorEntity } from "./author.entity";
import type { AuthorInput } from "./author.inputs";

/**
 * Admin writes to authors. An update is a patch: a field left out is kept, an explicit null
 * clears it. The private e-mail is not part of the API: it is kept as it is.
 */
export class AuthorWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly events: ContentEvents,
    private readonly clock: () => Date,
  ) {}

  /** `principal`: who is asking (the API key's id), the scope of a client mutation id. */
  async create(input: AuthorInput, principal = "local"): Promise<AuthorEntity> {
    if (input.name == null) throw badUserInput("is required to create an author", "input.name");
    const name = input.name;
    const { clientMutationId, ...request } = input;
    const saved = await inTransaction(this.ds, async (m) => {
      const claim = { principal, operation: "createAuthor" as const, clientKey: clientMutationId, request };
      const made = await idempotent(m, claim, this.clock(), async () => {
        const slug = await chooseSlug(m, {
          table: "authors",
          given: input.slug,
          from: name,
          fallback: "author",
          field: "input.slug",
        });
        const row = Object.assign(new AuthorEntity(), { email: null, name, slug }, this.patch(input));
        return (await m.getRepository(AuthorEntity).save(row)).id;
      });
      if (!made.replayed)
        await recordEvent(m, "author.changed", { ...emptyChange("author"), authorIds: [made.id] }, this.clock());
      return m.getRepository(AuthorEntity).findOneByOrFail({ id: made.id });
    });
    await this.events.committed();
    return saved;
  }

  async update(globalId: string, input: AuthorInput): Promise<AuthorEntity> {
    const id = fromGlobalIdOf("Author", globalId);
    if (input.name === null) throw badUserInput("cannot be cleared", "input.name");
    if (input.slug === null) throw badUserInput("cannot be cleared", "input.slug");
    const saved = await inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(AuthorEntity);
      const current = await repo.findOne({ where: { id } });
      if (!current) throw notFound("Author not found");
      const slug = await chooseSlug(m, {
        table: "authors",
        given: input.slug,
        current: current.slug,
        from: current.name,
        fallback: "author",
        field: "input.slug",
      });
      const saved = await repo.save(
        Object.assign(current, input.name !== undefined ? { name: input.name } : {}, { slug }, this.patch(input)),
      );
      await recordEvent(m, "author.changed", { ...emptyChange("author"), authorIds: [saved.id] }, this.clock());
      return saved;
    });
    await this.events.committed();
    return saved;
  }

  /** The optional columns the input names: undefined keeps, null clears. */
  private patch(input: AuthorInput): Partial<AuthorEntity> {
    const out: Partial<AuthorEntity> = {};
    if (input.role !== undefined) out.role = input.role;
    if (input.bio !== undefined) out.bio = input.bio;
    if (input.avatar !== undefined) {
      out.avatarUrl = input.avatar ? webUrl(input.avatar.url, "input.avatar.url") : null;
      out.avatarAlt = input.avatar?.alt ?? null;
      out.avatarWidth = input.avatar?.width ?? null;
      out.avatarHeight = input.avatar?.height ?? null;
    }
    return out;
  }
}
