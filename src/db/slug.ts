import { slugify } from "transliteration";
import type { EntityManager } from "typeorm";

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
