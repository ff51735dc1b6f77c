import type { GraphQLError, ValidationContext, ValidationRule } from "graphql";
import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import type { Config } from "../config";

/**
 * Shape limits checked before execution (GRAPHQL_VALIDATION_FAILED, HTTP 400). Tokens are
 * capped by the parser itself (Apollo's parseOptions.maxTokens: GRAPHQL_PARSE_FAILED), not by
 * graphql-armor's max-tokens plugin, which turns syntax errors into 500s.
 */
export function limitRules(limits: Config["limits"]): ValidationRule[] {
  // As validation rules they must report, not throw: a thrown error becomes a 500.
  const report = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
  };
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    maxDirectivesRule({ n: limits.maxDirectives, ...report }),
  ] as unknown as ValidationRule[];
}
