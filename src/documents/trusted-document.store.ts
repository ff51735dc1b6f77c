import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { DataSource } from "typeorm";
import { TrustedDocumentEntity } from "./trusted-document.entity";

export interface TrustedDocument {
  clientName: string;
  documentId: string;
  hash: string;
  operationName: string | null;
  body: string;
}

const pick = (r: TrustedDocumentEntity): TrustedDocument => ({
  clientName: r.clientName,
  documentId: r.documentId,
  hash: r.hash,
  operationName: r.operationName,
  body: r.body,
});

/**
 * Every trusted document in memory, for lookups on the request path without SQL. The table is
 * re-read when it changed (checked every `refreshMs`); an id or bare hash not in memory is looked up
 * once in the database (a document added a moment ago is served at once) and, when missing,
 * remembered as missing for `refreshMs`, so probes with made-up ids cost no more than that.
 */
export class TrustedDocumentStore {
  private byId = new Map<string, TrustedDocument[]>();
  private byHash = new Map<string, TrustedDocument>();
  private version = "";
  private timer?: NodeJS.Timeout;
  private readonly missing: LRUCache<string, true>;

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly refreshMs: number,
  ) {
    this.missing = new LRUCache({ max: 10_000, ttl: refreshMs });
  }

  get size(): number {
    return this.byHash.size;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((err: Error) => this.log.warn({ err: err.message }, "could not re-read trusted documents"));
    }, this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Re-reads the table when its row count or newest id moved (an add or a remove). */
  async refresh(): Promise<void> {
    const [row] = (await this.ds.query("SELECT COUNT(*) AS n, MAX(id) AS m FROM trusted_documents")) as Array<{
      n: number | string;
      m: number | string | null;
    }>;
    const version = `${row?.n}:${row?.m}`;
    if (version === this.version) return;
    const rows = await this.ds.getRepository(TrustedDocumentEntity).find({ order: { id: "ASC" } });
    const byId = new Map<string, TrustedDocument[]>();
    const byHash = new Map<string, TrustedDocument>();
    for (const r of rows) {
      const doc = pick(r);
      byId.set(doc.documentId, [...(byId.get(doc.documentId) ?? []), doc]);
      if (!byHash.has(doc.hash)) byHash.set(doc.hash, doc);
    }
    this.byId = byId;
    this.byHash = byHash;
    this.version = version;
    this.missing.clear();
  }

  /** The document a client sends by id; its own registration first when two clients share an id. */
  async findById(id: string, client?: string): Promise<TrustedDocument | undefined> {
    if (id.startsWith("sha256:")) return this.findByHash(id.slice("sha256:".length));
    // What `documents add` accepts as an id: anything else is unknown without asking the database.
    if (!/^[A-Za-z0-9:._-]{1,128}$/.test(id)) return undefined;
    let docs = this.byId.get(id);
    // Not known, or known for other clients only while this one names itself: it may be new.
    const missingKey = `id:${id}:${docs ? (client ?? "") : ""}`;
    if ((!docs || (client && !docs.some((d) => d.clientName === client))) && !this.missing.has(missingKey)) {
      const rows = await this.ds.getRepository(TrustedDocumentEntity).find({ where: { documentId: id } });
      if (rows.length > (docs?.length ?? 0)) this.byId.set(id, (docs = rows.map(pick)));
      if (!docs?.some((d) => d.clientName === client)) this.missing.set(missingKey, true);
    }
    return docs?.find((d) => d.clientName === client) ?? docs?.[0];
  }

  /**
   * Whether a text with this SHA-256 is trusted (for any client): the safelist is one list. With
   * `memoryOnly` (a request that carries its text) a miss costs no SQL: such texts are judged by
   * what the last refresh read.
   */
  async findByHash(hash: string, memoryOnly = false): Promise<TrustedDocument | undefined> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return undefined;
    const known = this.byHash.get(hash);
    if (known || memoryOnly || this.missing.has(`hash:${hash}`)) return known;
    const row = await this.ds.getRepository(TrustedDocumentEntity).findOne({ where: { hash } });
    if (!row) {
      this.missing.set(`hash:${hash}`, true);
      return undefined;
    }
    const doc = pick(row);
    this.byHash.set(hash, doc);
    return doc;
  }
}
