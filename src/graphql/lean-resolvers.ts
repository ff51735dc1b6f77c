import { getMetadataStorage } from "type-graphql";
import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from "graphql";

type Resolver = GraphQLFieldResolver<unknown, unknown, unknown>;
type Class = abstract new (...args: never[]) => unknown;

interface ParamMeta {
  kind: string;
  index: number;
  propertyName?: string;
  getType?: () => unknown;
}
interface FieldResolverMeta {
  kind: "internal" | "external";
  methodName: string;
  schemaName: string;
  target: Class;
  params?: ParamMeta[];
  middlewares?: unknown[];
  roles?: unknown[];
  getObjectType?: () => Class;
}

/**
 * type-graphql calls every field resolver through a general wrapper: per call it builds a
 * resolver-data object, sorts and maps the parameter list, runs an (empty) middleware chain and
 * converts the parent to its class. A list page pays that on every field of every item (title,
 * section and authors of each of 20 articles), and it was the largest share of the allocations
 * that feed the garbage collector under load.
 *
 * This pass replaces, after the schema is built, the resolvers of fields whose resolver needs
 * none of that: no middlewares, no roles, no arguments (arguments keep type-graphql's conversion
 * and validation), only the parent, the context and the info. The lean resolver calls the same
 * method on the same (singleton) resolver instance with the same parameters. A parent that is
 * not an instance of its class (type-graphql would copy it into one) goes to the original
 * resolver, so every answer is the one type-graphql gives.
 *
 * A getter of the object type (Article.title, Section.name, Author.name) goes further: its field
 * keeps no resolver at all, so it is read as a property, as graphql-js's default resolver reads
 * one (the getter runs). The compiled query then reads it inline: no resolve-info object and
 * response path per field, no call and promise check (graphql-jit builds those for every field
 * that has a resolver). That needs the parent to be an instance of the class, which every
 * resolver of this schema returns; a type with such fields gets an `isTypeOf` (instanceof), so a
 * parent that is not one is an "Expected value of type" error at that field, never a page of
 * silent nulls.
 */
export interface LeanReplacement {
  type: string;
  field: string;
  kind: "internal" | "external";
  /** type-graphql's resolver, kept for the fallback (and for tests that compare the two). */
  original: Resolver;
  /** A getter read as a property: the field has no resolver left. */
  direct: boolean;
}

export function leanFieldResolvers(schema: GraphQLSchema): LeanReplacement[] {
  const storage = getMetadataStorage() as unknown as {
    objectTypes: Array<{ name: string; target: Class }>;
    fieldResolvers: FieldResolverMeta[];
    middlewares: unknown[];
  };
  const classes = new Map<string, Class | null>();
  for (const o of storage.objectTypes) classes.set(o.name, classes.has(o.name) ? null : o.target);
  const replaced: LeanReplacement[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith("__")) continue;
    const cls = classes.get(type.name);
    if (!cls) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || field.args.length > 0) continue;
      const meta = resolverOf(storage.fieldResolvers, cls, field.name);
      if (!meta) continue;
      const original = field.resolve as Resolver;
      const lean = leanResolver(meta, cls, original);
      if (!lean) continue;
      const direct = meta.kind === "internal" && isGetter(cls, meta.methodName);
      field.resolve = direct ? undefined : lean;
      if (direct) type.isTypeOf ??= (value: unknown) => value instanceof cls;
      replaced.push({ type: type.name, field: field.name, kind: meta.kind, original, direct });
    }
  }
  return replaced;
}

/** Whether `name` is an accessor with a getter on the class's prototype chain (not a method). */
function isGetter(cls: Class, name: string): boolean {
  for (let p: object | null = cls.prototype as object; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const d = Object.getOwnPropertyDescriptor(p, name);
    if (d) return typeof d.get === "function";
  }
  return false;
}

/** The field resolver type-graphql chose for this class's field: its own, else the nearest ancestor's. */
function resolverOf(all: FieldResolverMeta[], cls: Class, name: string): FieldResolverMeta | undefined {
  for (let c: unknown = cls; typeof c === "function" && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const found = all.filter((r) => r.getObjectType?.() === c && r.methodName === name && r.schemaName === name);
    if (found.length === 1) return found[0];
    if (found.length > 1) return undefined;
  }
  return undefined;
}

function leanResolver(meta: FieldResolverMeta, cls: Class, original: Resolver): Resolver | undefined {
  if ((meta.middlewares?.length ?? 0) > 0 || (meta.roles?.length ?? 0) > 0) return undefined;
  const method = meta.methodName;
  if (meta.kind === "internal") {
    // A getter or method of the object type itself, called on the parent.
    if ((meta.params?.length ?? 0) > 0) return undefined;
    return (root, args, context, info) => {
      if (!(root instanceof cls)) return original(root, args, context, info);
      const value = (root as Record<string, unknown>)[method];
      return typeof value === "function" ? (value as () => unknown).call(root) : value;
    };
  }
  const params = [...(meta.params ?? [])].sort((a, b) => a.index - b.index);
  if (params.some((p) => !["root", "context", "info"].includes(p.kind) || p.propertyName)) return undefined;
  const rootTypes = params.filter((p) => p.kind === "root" && p.getType).map((p) => p.getType!());
  if (rootTypes.some((t) => t !== cls)) return undefined;
  const checkRoot = rootTypes.length > 0;
  const ResolverClass = meta.target as unknown as new () => Record<string, (...a: unknown[]) => unknown>;
  // type-graphql's default container keeps one instance per resolver class and builds it with no
  // arguments; Courant sets no container of its own.
  let instance: Record<string, (...a: unknown[]) => unknown> | undefined;
  const kinds = params.map((p) => p.kind);
  return (root, args, context, info) => {
    if (checkRoot && root != null && !(root instanceof cls)) return original(root, args, context, info);
    instance ??= new ResolverClass();
    const values: unknown[] = new Array(kinds.length);
    for (let i = 0; i < kinds.length; i++)
      values[i] = kinds[i] === "root" ? root : kinds[i] === "context" ? context : info;
    return instance[method]!.apply(instance, values);
  };
}
