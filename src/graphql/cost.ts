import { GraphQLError, visit, type ASTNode, type GraphQLSchema, type DocumentNode } from "graphql";
import { getComplexity, simpleEstimator, type ComplexityEstimator } from "graphql-query-complexity";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "./context";
import { DEFAULT_PAGE_SIZE } from "./pagination";

/** Lists without page arguments and how many items they hold at most in practice. */
const UNPAGED_LISTS: Record<string, number> = { "Query.sections": 50, "Section.children": 20, "Query.nodes": 100 };

/**
 * A field costs 1 plus what it selects, times the items it can return. Page sizes are read
 * from the arguments after variables are applied, so `first: $n` costs what `first: 100` does.
 */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity, field, type }) => {
  const pageSize = typeof args.first === "number" ? args.first : typeof args.last === "number" ? args.last : undefined;
  if (pageSize !== undefined) return 1 + childComplexity * Math.max(0, Math.min(pageSize, 1000));
  if ("first" in field.args.reduce((o, a) => ({ ...o, [a.name]: true }), {} as Record<string, boolean>)) {
    return 1 + childComplexity * DEFAULT_PAGE_SIZE;
  }
  const fixed = UNPAGED_LISTS[`${type.name}.${field.name}`];
  if (fixed !== undefined) return 1 + childComplexity * (Array.isArray(args.ids) ? args.ids.length : fixed);
  return undefined;
};

/** Apollo hands out the same DocumentNode for a repeated query: price each (document, page sizes) once. */
const priced = new WeakMap<DocumentNode, Map<string, number>>();
const costVariablesOf = new WeakMap<DocumentNode, string[]>();

/**
 * The variables a price can depend on: those inside `first`, `last` and `ids` arguments (what the
 * estimator reads) and in directives (`@include(if: $x)` decides what is counted). A cursor, a
 * slug or a search term never changes a price, so the next page of a feed is not priced again.
 */
function costVariables(document: DocumentNode): string[] {
  let names = costVariablesOf.get(document);
  if (names) return names;
  const found = new Set<string>();
  const collect = (node: ASTNode) =>
    visit(node, {
      Variable(v) {
        found.add(v.name.value);
      },
    });
  visit(document, {
    VariableDefinition: () => false,
    Argument(arg) {
      if (["first", "last", "ids"].includes(arg.name.value)) collect(arg.value);
    },
    Directive(directive) {
      collect(directive);
    },
  });
  names = [...found].sort();
  costVariablesOf.set(document, names);
  return names;
}

export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): number {
  const sizes = Object.fromEntries(costVariables(document).flatMap((n) => (n in variables ? [[n, variables[n]]] : [])));
  const key = JSON.stringify([operationName ?? null, sizes]);
  let byVariables = priced.get(document);
  const known = byVariables?.get(key);
  if (known !== undefined) return known;
  const cost = computeCost(schema, document, variables, operationName);
  if (!byVariables) priced.set(document, (byVariables = new Map()));
  if (byVariables.size > 200) byVariables.clear();
  byVariables.set(key, cost);
  return cost;
}

function computeCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown>,
  operationName?: string,
): number {
  return getComplexity({
    schema,
    query: document,
    variables,
    operationName,
    estimators: [pagedEstimator, simpleEstimator({ defaultComplexity: 1 })],
  });
}

/**
 * Demand control: the cost is computed before execution; past the limit the operation fails
 * with QUERY_TOO_COMPLEX (cost and limit in extensions). Every response reports its cost.
 */
export function costPlugin(limit: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let cost: number | undefined;
      return {
        async didResolveOperation({ document, request, operationName, schema }) {
          try {
            cost = queryCost(schema, document, request.variables ?? {}, operationName ?? undefined);
          } catch {
            // An operation the estimator cannot walk (bad variables) fails validation elsewhere.
            return;
          }
          if (cost > limit) {
            throw new GraphQLError(
              `This operation costs ${cost}, more than the limit of ${limit}; ask for smaller pages or fewer fields`,
              {
                extensions: { code: "QUERY_TOO_COMPLEX", cost, limit, http: { status: 400 } },
              },
            );
          }
        },
        async willSendResponse({ response }) {
          if (cost !== undefined && response.body.kind === "single") {
            response.body.singleResult.extensions = {
              ...response.body.singleResult.extensions,
              cost: { requested: cost, limit },
            };
          }
        },
      };
    },
  };
}
