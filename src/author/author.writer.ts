import type { DataSource } from "typeorm";
import { inTransaction } from "../db/transaction";
import { chooseSlug } from "../db/slug";
import { emptyChange, type ContentEvents } from "../events";
import { notFound } from "../graphql/errors";
import { fromGlobalIdOf } from "../graphql/global-id";
import { webUrl } from "../graphql/image.input";
import { AuthorEntity } from "./author.entity";
import type { AuthorInput } from "./author.inputs";

/** Admin writes to authors. The private e-mail is not part of the API: it is kept as it is. */
export class AuthorWriter {
  constructor(
    private readonly ds: DataSource,
    private readonly events: ContentEvents,
  ) {}

  async create(input: AuthorInput): Promise<AuthorEntity> {
    return this.save(null, input);
  }

  async update(globalId: string, input: AuthorInput): Promise<AuthorEntity> {
    return this.save(fromGlobalIdOf("Author", globalId), input);
  }

  private async save(id: number | null, input: AuthorInput): Promise<AuthorEntity> {
    const saved = await inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(AuthorEntity);
      const current =
        id == null ? Object.assign(new AuthorEntity(), { email: null }) : await repo.findOne({ where: { id } });
      if (!current) throw notFound("Author not found");
      const slug = await chooseSlug(m, {
        table: "authors",
        given: input.slug,
        current: id == null ? undefined : current.slug,
        from: input.name,
        fallback: "author",
        field: "input.slug",
      });
      return repo.save(
        Object.assign(current, {
          name: input.name,
          slug,
          role: input.role ?? null,
          bio: input.bio ?? null,
          avatarUrl: input.avatar ? webUrl(input.avatar.url, "input.avatar.url") : null,
          avatarAlt: input.avatar?.alt ?? null,
          avatarWidth: input.avatar?.width ?? null,
          avatarHeight: input.avatar?.height ?? null,
        }),
      );
    });
    this.events.changed({ ...emptyChange("author"), authorIds: [saved.id] });
    return saved;
  }
}
