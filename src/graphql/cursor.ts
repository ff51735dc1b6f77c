import { badUserInput } from "./errors";

/**
 * Keyset cursors: the sort key of a row, tagged with the list kind so a cursor from one
 * kind of list is refused by another instead of silently paging nonsense.
 */
export function encodeCursor(kind: string, key: Array<string | number>): string {
  return Buffer.from(JSON.stringify([kind, ...key]), "utf8").toString("base64url");
}

export function decodeCursor(kind: string, cursor: string, field: string): Array<string | number> {
  try {
    if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw new Error("shape");
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (!Array.isArray(parsed) || parsed[0] !== kind) throw new Error("kind");
    const key = parsed.slice(1);
    if (!key.every((v) => typeof v === "string" || (typeof v === "number" && Number.isSafeInteger(v)))) {
      throw new Error("key");
    }
    return key as Array<string | number>;
  } catch {
    throw badUserInput("is not a valid cursor for this list", field);
  }
}
