import { createHash } from "node:crypto";
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from "graphql";

/** One operation read from a manifest, before it is checked. */
export interface ManifestOperation {
  id: string;
  body: string;
  /** What the manifest says the operation is called (Apollo's `name`); else read from the body. */
  name?: string;
}

export interface Manifest {
  format: "apollo" | "relay";
  operations: ManifestOperation[];
}

export const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** Ids are opaque to us, but they travel in URLs and a column of 128 characters. */
const ID = /^[A-Za-z0-9:._-]{1,128}$/;
/** A body fits the `text` column on MySQL (64 KB) with room for multi-byte characters. */
export const MAX_BODY_LENGTH = 16_000;

/**
 * Reads Apollo's persisted query manifest (what `@apollo/generate-persisted-query-manifest`
 * writes: `{ format: "apollo-persisted-query-manifest", version: 1, operations: [{ id, name,
 * type, body }] }`) or Relay's (`persisted-queries.json`: `{ "<id>": "<text>" }`).
 */
export function readManifest(json: unknown): Manifest {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error("a manifest is a JSON object: Apollo's persisted query manifest or Relay's { id: text }");
  }
  const o = json as Record<string, unknown>;
  if ("format" in o || "operations" in o) {
    if (o.format !== "apollo-persisted-query-manifest" || o.version !== 1 || !Array.isArray(o.operations)) {
      throw new Error('an Apollo manifest has format "apollo-persisted-query-manifest", version 1 and operations');
    }
    const operations = o.operations.map((op: unknown, i: number) => {
      const { id, body, name } = (op ?? {}) as Record<string, unknown>;
      if (typeof id !== "string" || typeof body !== "string") {
        throw new Error(`operations[${i}] needs a string id and body`);
      }
      return { id, body, name: typeof name === "string" ? name : undefined };
    });
    return { format: "apollo", operations };
  }
  const operations = Object.entries(o).map(([id, body]) => {
    if (typeof body !== "string") throw new Error(`"${id}": a Relay manifest maps each id to the operation's text`);
    return { id, body };
  });
  return { format: "relay", operations };
}

export interface CheckedOperation {
  id: string;
  body: string;
  hash: string;
  operationName: string | null;
  /** Why it cannot be served; empty when it validates against the schema. */
  problems: string[];
}

/**
 * Parses and validates one operation as the server would (the same schema and limit rules), so
 * what is registered is what will be served; an operation that does not validate says why.
 */
export function checkOperation(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  op: ManifestOperation,
  format: Manifest["format"] = "relay",
): CheckedOperation {
  const hash = sha256(op.body);
  const problems: string[] = [];
  let operationName: string | null = op.name ?? null;
  if (!ID.test(op.id)) problems.push("the id must be 1-128 letters, digits, ':', '.', '_' or '-'");
  if (format === "apollo" && op.id !== hash) problems.push("the id is not the SHA-256 of the body");
  if (op.body.length > MAX_BODY_LENGTH) problems.push(`the body is longer than ${MAX_BODY_LENGTH} characters`);
  if (problems.length === 0) {
    try {
      const document = parse(op.body);
      const operations = document.definitions.filter(
        (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
      );
      if (operations.length !== 1) problems.push(`a document holds one operation (this one has ${operations.length})`);
      operationName ??= operations[0]?.name?.value ?? null;
      problems.push(...validate(schema, document, [...specifiedRules, ...rules]).map((e) => e.message));
    } catch (err) {
      problems.push(err instanceof GraphQLError ? `syntax: ${err.message}` : String(err));
    }
  }
  return { id: op.id, body: op.body, hash, operationName, problems };
}
