import { ArgsType, Field, Int } from "type-graphql";
import { Max, Min } from "class-validator";
import { badUserInput } from "./errors";

/** Every page-size limit of the API, here and nowhere else: lists, lookups by ids, related, trending. */
export const PAGE_SIZES = {
  /** Relay connections (first/last) and `nodes(ids)`. */
  list: { default: 20, max: 100 },
  related: { default: 5, max: 20 },
  trending: { default: 10, max: 50 },
} as const;

export const DEFAULT_PAGE_SIZE = PAGE_SIZES.list.default;
export const MAX_PAGE_SIZE = PAGE_SIZES.list.max;

/** Relay connection arguments; the page size cap lives here and nowhere else. */
@ArgsType()
export class ForwardPageArgs {
  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true })
  after?: string;
}

@ArgsType()
export class PageArgs extends ForwardPageArgs {
  @Field(() => Int, { nullable: true })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  last?: number;

  @Field(() => String, { nullable: true })
  before?: string;
}

/** A validated page request: how many, which direction, and the keyset bounds. */
export interface PageRequest<K> {
  size: number;
  /** "forward": the first `size` after `after`; "backward": the last `size` before `before`. */
  direction: "forward" | "backward";
  after?: K;
  before?: K;
}

export function pageRequest<K>(
  args: { first?: number | null; last?: number | null; after?: string | null; before?: string | null },
  decode: (cursor: string, field: string) => K,
): PageRequest<K> {
  const { first, last } = args;
  if (first != null && last != null) throw badUserInput("pass either first or last, not both", "first");
  // Range checks run here too, so nested lists validated by hand follow the same rule.
  for (const [name, value] of [
    ["first", first],
    ["last", last],
  ] as const) {
    if (value != null && (value < 1 || value > MAX_PAGE_SIZE)) {
      throw badUserInput(`must be between 1 and ${MAX_PAGE_SIZE}`, name);
    }
  }
  return {
    size: first ?? last ?? DEFAULT_PAGE_SIZE,
    direction: last != null ? "backward" : "forward",
    after: args.after != null ? decode(args.after, "after") : undefined,
    before: args.before != null ? decode(args.before, "before") : undefined,
  };
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

/**
 * Turns rows fetched with one extra (LIMIT size + 1, in walking order) into a page in
 * list order.
 */
export function toPage<T>(rows: T[], req: PageRequest<unknown>): Page<T> {
  const more = rows.length > req.size;
  const items = more ? rows.slice(0, req.size) : rows;
  if (req.direction === "forward") {
    return { items, hasNextPage: more, hasPreviousPage: req.after !== undefined };
  }
  return { items: items.reverse(), hasNextPage: req.before !== undefined, hasPreviousPage: more };
}
