import type { GatewayExecutor, GatewayInterface } from "@apollo/server-gateway-interface";
import { compileQuery, isCompiledQuery, type CompiledQuery } from "graphql-jit";
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLSchema } from "graphql";
import { getVariableValues } from "graphql/execution/values";
import { installGatewayRequestContext } from "./gateway-request-context";

export type ExecutorKind = "jit" | "graphql-js";

/**
 * Compiled execution (graphql-jit): each operation is compiled once into a function and then run
 * for every request that sends it. Apollo Server has no executor option; its gateway interface
 * is how a server supplies one, so this "gateway" serves our own schema and nothing else.
 *
 * Compiled operations are kept per parsed document. Apollo hands out the same DocumentNode for a
 * repeated query (its document store), so a WeakMap frees the compiled code together with the
 * document when the store evicts it: the memory stays bounded by the store's.
 */
export function compiledExecution(schema: GraphQLSchema): GatewayInterface {
  // Apollo's per-request gateway context otherwise keeps every request alive through young
  // collections (see gateway-request-context.ts).
  installGatewayRequestContext();
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const compile = (document: DocumentNode, operationName: string | null): CompiledQuery | ExecutionResult => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? "";
    let entry = byName.get(key);
    if (!entry) {
      // The compiled query returns the resolvers' values and errors as graphql-js would; Apollo
      // serialises the result itself, so no custom JSON serialiser.
      entry = compileQuery(schema, document, operationName ?? undefined);
      byName.set(key, entry);
    }
    return entry;
  };
  const executor: GatewayExecutor = async (requestContext) => {
    // Variables are checked by graphql-js first, so a bad one is reported exactly as the
    // interpreter reports it (Apollo recognises those errors as BAD_USER_INPUT by their shape).
    const coerced = getVariableValues(
      schema,
      requestContext.operation.variableDefinitions ?? [],
      requestContext.request.variables ?? {},
      { maxErrors: 50 },
    );
    if (coerced.errors) return { errors: coerced.errors };
    const query = compile(requestContext.document, requestContext.operationName);
    if (!isCompiledQuery(query)) return query;
    const result = await query.query(undefined, requestContext.context, requestContext.request.variables ?? {});
    if (result.errors) result.errors = result.errors.map(asGraphqlJsError);
    return result as ExecutionResult<Record<string, unknown>>;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      // Apollo asks for the schema through this callback while it loads; the schema never changes after.
      callback({ apiSchema: schema, coreSupergraphSdl: "" });
      return () => undefined;
    },
    async stop() {},
  };
}

/**
 * graphql-jit's errors leave `extensions` undefined when the thrown error has none, where
 * graphql-js always has an object (Apollo's error formatting reads it, and fails on undefined).
 * Such an error is remade as graphql-js would have made it: same message, path, locations and
 * original error.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  if (error.extensions) return error;
  const remade = new GraphQLError(error.message, {
    path: error.path,
    originalError: error.originalError ?? undefined,
  });
  if (error.locations) Object.defineProperty(remade, "locations", { value: error.locations, enumerable: true });
  return remade;
}
