import { badUserInput } from "./errors";

export type NodeTypeName = "Article" | "Section" | "Author" | "Tag" | "LivePost";
const NODE_TYPES: ReadonlySet<string> = new Set<NodeTypeName>(["Article", "Section", "Author", "Tag", "LivePost"]);
/** Ids of the same form for what is no Node (admin and editor things node(id) never resolves). */
export type IdTypeName = NodeTypeName | "Webhook" | "WebhookDelivery" | "ArticleRevision";
const ID_TYPES: ReadonlySet<string> = new Set<IdTypeName>([
  ...NODE_TYPES,
  "Webhook",
  "WebhookDelivery",
  "ArticleRevision",
] as IdTypeName[]);

/** Opaque Relay id: base64url of "Type:123". */
export function toGlobalId(type: IdTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

function decode(globalId: string, types: ReadonlySet<string>, field: string): { type: string; id: number } {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(globalId) ? Buffer.from(globalId, "base64url").toString("utf8") : "";
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(decoded);
  if (!match || !types.has(match[1]!) || !Number.isSafeInteger(Number(match[2]))) {
    throw badUserInput("is not a valid id", field);
  }
  return { type: match[1]!, id: Number(match[2]) };
}

/** A Node's id (what node(id) resolves): any other id is bad input. */
export function fromGlobalId(globalId: string, field = "id"): { type: NodeTypeName; id: number } {
  return decode(globalId, NODE_TYPES, field) as { type: NodeTypeName; id: number };
}

/** Decodes an id that must name a given type; a wrong type is bad input, like a malformed id. */
export function fromGlobalIdOf(type: IdTypeName, globalId: string, field = "id"): number {
  const decoded = decode(globalId, ID_TYPES, field);
  if (decoded.type !== type) throw badUserInput(`is not ${/^[AEIOU]/.test(type) ? "an" : "a"} ${type} id`, field);
  return decoded.id;
}
