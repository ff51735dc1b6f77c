import type { ApolloServerPlugin } from "@apollo/server";
import { Kind, print, visit, type DocumentNode } from "graphql";
import { childSpan, endSpan, requestSpan, tracingEnabled, useParent } from "../tracing";
import type { Context } from "./context";
import { queryCost } from "./cost";

/** Printed documents with every literal value replaced by `*`, once per parsed document. */
const stripped = new WeakMap<DocumentNode, string>();

/**
 * The document as `graphql.document`: structure, field names, variables and enum values stay;
 * string, number and boolean literals (which may carry search words, ids or e-mail addresses)
 * become `*`.
 */
export function documentWithoutLiterals(document: DocumentNode): string {
  let text = stripped.get(document);
  if (text === undefined) {
    const mask = (node: { value: unknown }) => ({ ...node, value: "*" });
    text = print(
      visit(document, {
        [Kind.STRING]: (node) => ({ ...node, value: "*", block: false }),
        [Kind.INT]: mask,
        [Kind.FLOAT]: mask,
        [Kind.BOOLEAN]: (node) => ({ kind: Kind.ENUM, value: "*", loc: node.loc }),
      }),
    );
    stripped.set(document, text);
  }
  return text;
}

/**
 * Spans of one GraphQL request after the OpenTelemetry semantic conventions for GraphQL: the
 * request's server span (started by the HTTP layer) is named `<type> <name>` and carries the
 * operation, the document without literals, its cost, the persisted-query hash and the error
 * codes; parse, validate and execute are child spans, and SQL, Redis and cache spans made while
 * executing hang under execute. No span per field resolver: it costs more than it tells.
 */
export function tracingPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const span = tracingEnabled() ? requestSpan() : undefined;
      if (!span) return undefined;
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (typeof hash === "string") span.setAttribute("courant.persisted_query.hash", hash.slice(0, 64));
      return {
        async parsingDidStart() {
          const parse = childSpan("graphql.parse");
          return async (err) => endSpan(parse, err);
        },
        async validationDidStart() {
          const validate = childSpan("graphql.validate");
          return async (errs) => endSpan(validate, errs?.[0]);
        },
        async didResolveOperation({ operation, operationName, document, request, schema }) {
          if (!operation) return;
          const type = operation.operation;
          span.updateName(operationName ? `${type} ${operationName}` : type);
          span.setAttribute("graphql.operation.type", type);
          if (operationName) span.setAttribute("graphql.operation.name", operationName);
          span.setAttribute("graphql.document", documentWithoutLiterals(document));
          try {
            // Priced already by the cost plugin; this reads its memo.
            span.setAttribute(
              "courant.cost",
              queryCost(schema, document, request.variables ?? {}, operationName ?? undefined),
            );
          } catch {
            // Bad variables: validation reports them.
          }
        },
        async executionDidStart() {
          const execute = childSpan("graphql.execute");
          if (!execute) return undefined;
          const restore = useParent(execute);
          return {
            async executionDidEnd(err) {
              restore();
              endSpan(execute, err);
            },
          };
        },
        async willSendResponse({ errors }) {
          if (!errors?.length) return;
          const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? "INTERNAL_SERVER_ERROR")))];
          span.setAttribute("courant.error.codes", codes);
          span.setAttribute("error.type", codes[0]!);
        },
      };
    },
  };
}
