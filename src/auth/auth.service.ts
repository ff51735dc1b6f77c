import { createHash, randomBytes } from "node:crypto";
import { IsNull, type DataSource } from "typeorm";
import { inTransaction } from "../db/transaction";
import { ApiKeyEntity, type ApiKeyRole } from "./api-key.entity";

export interface Viewer {
  keyId: number;
  name: string;
  role: ApiKeyRole;
}

const hash = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/** Keys are 256 random bits; only their hash is stored, so a database leak leaks no key. */
export class AuthService {
  constructor(
    private readonly ds: DataSource,
    private readonly clock: () => Date,
  ) {}

  async create(name: string, role: ApiKeyRole): Promise<string> {
    if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) throw new Error("key names are 1-100 letters, digits, '.', '_' or '-'");
    const repo = this.ds.getRepository(ApiKeyEntity);
    if (await repo.findOne({ where: { name } })) throw new Error(`a key named ${name} exists already`);
    const key = `courant_${randomBytes(32).toString("base64url")}`;
    await inTransaction(this.ds, (m) =>
      m
        .getRepository(ApiKeyEntity)
        .insert({ name, role, keyHash: hash(key), createdAt: this.clock(), revokedAt: null }),
    );
    return key;
  }

  async list(): Promise<Array<Pick<ApiKeyEntity, "name" | "role" | "createdAt" | "revokedAt">>> {
    const rows = await this.ds.getRepository(ApiKeyEntity).find({ order: { name: "ASC" } });
    return rows.map(({ name, role, createdAt, revokedAt }) => ({ name, role, createdAt, revokedAt }));
  }

  async revoke(name: string): Promise<boolean> {
    const r = await inTransaction(this.ds, (m) =>
      m.getRepository(ApiKeyEntity).update({ name, revokedAt: IsNull() }, { revokedAt: this.clock() }),
    );
    return (r.affected ?? 0) > 0;
  }

  async verify(key: string): Promise<Viewer | null> {
    if (!/^courant_[A-Za-z0-9_-]{43}$/.test(key)) return null;
    const row = await this.ds
      .getRepository(ApiKeyEntity)
      .findOne({ where: { keyHash: hash(key), revokedAt: IsNull() } });
    return row ? { keyId: row.id, name: row.name, role: row.role } : null;
  }
}
