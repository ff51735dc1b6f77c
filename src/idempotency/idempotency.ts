import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import { badUserInput } from "../graphql/errors";
import { IdempotencyKeyEntity } from "./idempotency.entity";

/** How long a client mutation id is remembered: far longer than any client retries a lost answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000;

export interface IdempotencyClaim {
  /** Who sent it (the API key's id). */
  principal: string;
  operation: "createArticle" | "createSection" | "createAuthor";
  /** The client mutation id; absent: no idempotency. */
  clientKey?: string | null;
  /** The input, without the client mutation id. */
  request: unknown;
}

const hashOf = (request: unknown) => createHash("sha256").update(JSON.stringify(request)).digest("hex");

/**
 * Runs `create` once per (principal, operation, client mutation id), inside the caller's
 * transaction: a create sent again with the same id returns the id the first one made. An id
 * reused for a different input is refused. Two copies of one create racing each other: the
 * second one's key insert waits for the first one's transaction, finds the key taken, and the
 * whole transaction runs again (inTransaction retries a duplicate key), this time returning the
 * first one's result.
 */
export async function idempotent(
  m: EntityManager,
  claim: IdempotencyClaim,
  now: Date,
  create: () => Promise<number>,
): Promise<{ id: number; replayed: boolean }> {
  if (claim.clientKey == null) return { id: await create(), replayed: false };
  const repo = m.getRepository(IdempotencyKeyEntity);
  const where = { principal: claim.principal, operation: claim.operation, clientKey: claim.clientKey };
  const requestHash = hashOf(claim.request);
  const existing = await repo.findOne({ where });
  if (existing && existing.createdAt.getTime() > now.getTime() - IDEMPOTENCY_TTL_MS) {
    if (existing.requestHash !== requestHash)
      throw badUserInput("was already used for a different create; use a new id", "input.clientMutationId");
    return { id: existing.resultId, replayed: true };
  }
  if (existing) await repo.delete({ id: existing.id });
  const id = await create();
  await repo.insert({ ...where, requestHash, resultId: id, createdAt: now });
  return { id, replayed: false };
}
