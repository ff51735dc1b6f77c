import type { GraphQLSchema, ValidationRule } from "graphql";
import { In, type DataSource } from "typeorm";
import { inTransaction } from "../db/transaction";
import { TrustedDocumentEntity } from "./trusted-document.entity";
import { checkOperation, type CheckedOperation, type Manifest } from "./trusted-document.manifest";

export interface AddResult {
  added: number;
  updated: number;
  unchanged: number;
  /** Operations of the manifest that do not validate: reported and not stored. */
  rejected: CheckedOperation[];
}

export interface StoredProblem {
  clientName: string;
  documentId: string;
  operationName: string | null;
  problems: string[];
}

const CLIENT = /^[A-Za-z0-9._@/-]{1,100}$/;

/** Registering, listing, removing and re-checking trusted documents (the CLI's `documents` commands and start-up). */
export class TrustedDocumentService {
  constructor(
    private readonly ds: DataSource,
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Stores every operation of the manifest that validates, for `client`; a document already stored is kept (its version updated). */
  async add(manifest: Manifest, client: string, version?: string): Promise<AddResult> {
    if (!CLIENT.test(client)) throw new Error("a client name is 1-100 letters, digits, '.', '_', '@', '/' or '-'");
    if (version !== undefined && !/^[^\s]{1,100}$/.test(version)) throw new Error("a version is 1-100 characters");
    const checked = manifest.operations.map((op) => checkOperation(this.schema, this.rules, op, manifest.format));
    const rejected = checked.filter((c) => c.problems.length > 0);
    const valid = checked.filter((c) => c.problems.length === 0);
    const ids = new Set<string>();
    for (const c of valid) {
      if (ids.has(c.id)) throw new Error(`the manifest lists the id ${c.id} twice`);
      ids.add(c.id);
    }
    return inTransaction(this.ds, async (m) => {
      const repo = m.getRepository(TrustedDocumentEntity);
      const result: AddResult = { added: 0, updated: 0, unchanged: 0, rejected };
      const existing = new Map<string, TrustedDocumentEntity>();
      const list = [...ids];
      for (let i = 0; i < list.length; i += 500) {
        const rows = await repo.find({ where: { clientName: client, documentId: In(list.slice(i, i + 500)) } });
        for (const row of rows) existing.set(row.documentId, row);
      }
      for (const c of valid) {
        const row = existing.get(c.id);
        if (!row) {
          await repo.insert({
            clientName: client,
            documentId: c.id,
            hash: c.hash,
            operationName: c.operationName,
            body: c.body,
            clientVersion: version ?? null,
            addedAt: this.clock(),
          });
          result.added++;
        } else if (row.hash !== c.hash) {
          // An id is a promise about its text: a different body under a known id is a build mistake.
          throw new Error(`the id ${c.id} is registered for ${client} with a different body`);
        } else if (version !== undefined && row.clientVersion !== version) {
          await repo.update({ id: row.id }, { clientVersion: version });
          result.updated++;
        } else {
          result.unchanged++;
        }
      }
      return result;
    });
  }

  async list(client?: string): Promise<TrustedDocumentEntity[]> {
    return this.ds.getRepository(TrustedDocumentEntity).find({
      where: client ? { clientName: client } : {},
      order: { clientName: "ASC", operationName: "ASC", documentId: "ASC" },
    });
  }

  /** Removes a client's documents: all, those a version registered last, or the given ids. */
  async remove(client: string, options: { version?: string; ids?: string[] } = {}): Promise<number> {
    return inTransaction(this.ds, async (m) => {
      const where = {
        clientName: client,
        ...(options.version !== undefined ? { clientVersion: options.version } : {}),
        ...(options.ids?.length ? { documentId: In(options.ids) } : {}),
      };
      const r = await m.getRepository(TrustedDocumentEntity).delete(where);
      return r.affected ?? 0;
    });
  }

  /** Every stored document that no longer validates against the schema (after a schema change). */
  async invalidStored(): Promise<StoredProblem[]> {
    const rows = await this.ds.getRepository(TrustedDocumentEntity).find({ order: { clientName: "ASC", id: "ASC" } });
    return rows.flatMap((row) => {
      const { problems } = checkOperation(this.schema, this.rules, { id: row.documentId, body: row.body });
      return problems.length
        ? [{ clientName: row.clientName, documentId: row.documentId, operationName: row.operationName, problems }]
        : [];
    });
  }
}
