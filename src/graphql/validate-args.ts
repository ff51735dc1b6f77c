import { validateOrReject, type ValidatorOptions } from "class-validator";
import { LRUCache } from "lru-cache";
import { ArgumentValidationError } from "type-graphql";

/** type-graphql's own defaults for class-validator, kept. */
const OPTIONS: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false };

/** Longer arguments (article bodies) are validated every time: their text is not worth keeping. */
const MAX_KEY = 512;

/**
 * Argument validation as type-graphql does it (class-validator on the argument class), with the
 * answer remembered for small argument values that passed. A list page resolves the same
 * arguments once per item (`rendition(width: 160)` on every author of every article), and
 * class-validator looks up its metadata afresh on each call; validation is a pure function of
 * the class and the values, so a value that passed once passes again.
 */
export function createArgumentValidator() {
  const passed = new WeakMap<object, LRUCache<string, true>>();
  const one = async (value: unknown): Promise<void> => {
    if (value === null || typeof value !== "object") return;
    const type = (value as object).constructor;
    const key = JSON.stringify(value);
    const memo = key.length <= MAX_KEY && type ? passed.get(type) : undefined;
    if (memo?.has(key)) return;
    await validateOrReject(value as object, OPTIONS);
    if (key.length <= MAX_KEY && type) {
      let m = passed.get(type);
      if (!m) passed.set(type, (m = new LRUCache({ max: 500 })));
      m.set(key, true);
    }
  };
  return async (value: unknown): Promise<void> => {
    try {
      if (Array.isArray(value)) await Promise.all(value.map(one));
      else await one(value);
    } catch (err) {
      throw new ArgumentValidationError(err as never);
    }
  };
}
