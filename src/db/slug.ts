import { slugify } from "transliteration";
import type { EntityManager } from "typeorm";
import { InvalidInputError } from "./errors";

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "Moskou roept Baku en Yerevan op" -> "moskou-roept-baku-en-yerevan-op", any script transliterated. */
export function slugFrom(text: string, fallback: string, maxLength = 120): string {
  const slug = slugify(text, { lowercase: true, separator: "-", trim: true })
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, maxLength)
    .replace(/-$/, "");
  return slug || fallback;
}

/**
 * The first free slug of `base`, `base-2`, `base-3`, ... in `table` (optionally within one
 * language). One statement reads every taken candidate.
 */
export async function freeSlug(
  m: EntityManager,
  table: string,
  base: string,
  scope?: { column: string; value: string },
): Promise<string> {
  const where = scope ? ` AND ${scope.column} = ?` : "";
  const rows: Array<{ slug: string }> = await m.query(
    `SELECT slug FROM ${table} WHERE (slug = ? OR slug LIKE ?)${where}`,
    [base, `${base}-%`, ...(scope ? [scope.value] : [])],
  );
  const taken = new Set(rows.map((r) => r.slug));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * The slug a write ends with. A slug the editor asked for must be free (else BAD_USER_INPUT
 * naming the field); without one, a new row gets the first free slug made from `from`, and
 * an existing row keeps its own.
 */
export async function chooseSlug(
  m: EntityManager,
  o: {
    table: string;
    given?: string | null;
    /** The row's slug when it exists already. */
    current?: string;
    from: string;
    fallback: string;
    field: string;
    scope?: { column: string; value: string };
    maxLength?: number;
  },
): Promise<string> {
  if (o.given != null && o.given !== o.current) {
    const where = o.scope ? ` AND ${o.scope.column} = ?` : "";
    const taken: unknown[] = await m.query(`SELECT 1 AS taken FROM ${o.table} WHERE slug = ?${where} LIMIT 1`, [
      o.given,
      ...(o.scope ? [o.scope.value] : []),
    ]);
    if (taken.length > 0) {
      throw new InvalidInputError(`"${o.given}" is already used${o.scope ? ` in "${o.scope.value}"` : ""}`, o.field);
    }
    return o.given;
  }
  if (o.current !== undefined) return o.current;
  return freeSlug(m, o.table, slugFrom(o.from, o.fallback, o.maxLength), o.scope);
}
