import { badUserInput } from "./errors";

export type NodeTypeName = "Article" | "Section" | "Author" | "Tag";
const NODE_TYPES: ReadonlySet<string> = new Set<NodeTypeName>(["Article", "Section", "Author", "Tag"]);

/** Opaque Relay id: base64url of "Type:123". */
export function toGlobalId(type: NodeTypeName, id: number): string {
  return Buffer.from(`${type}:${id}`, "utf8").toString("base64url");
}

export function fromGlobalId(globalId: string, field = "id"): { type: NodeTypeName; id: number } {
  const decoded = /^[A-Za-z0-9_-]{1,64}$/.test(globalId) ? Buffer.from(globalId, "base64url").toString("utf8") : "";
  const match = /^([A-Za-z]+):([1-9][0-9]{0,15})$/.exec(decoded);
  if (!match || !NODE_TYPES.has(match[1]!) || !Number.isSafeInteger(Number(match[2]))) {
    throw badUserInput("is not a valid id", field);
  }
  return { type: match[1] as NodeTypeName, id: Number(match[2]) };
}

/** Decodes an id that must name a given type; a wrong type is bad input, like a malformed id. */
export function fromGlobalIdOf(type: NodeTypeName, globalId: string, field = "id"): number {
  const decoded = fromGlobalId(globalId, field);
  if (decoded.type !== type) throw badUserInput(`is not ${type === "Article" ? "an" : "a"} ${type} id`, field);
  return decoded.id;
}
