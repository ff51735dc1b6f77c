import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { ArgumentValidationError } from "type-graphql";
import type { Logger } from "pino";
import type { ValidationError } from "class-validator";
import { PUBLIC_ERROR_CODES } from "./errors";
import { currentRequest } from "../request-context";
import { InvalidInputError, isServiceUnavailable } from "../db/errors";

function describeValidation(errors: ValidationError[], prefix = ""): string[] {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map(
      (m) => `${field}: ${m.replace(new RegExp(`^${e.property} `), "")}`,
    );
    return [...own, ...describeValidation(e.children ?? [], field)];
  });
}

/**
 * The one place errors become responses. Known errors keep their code and message;
 * anything else is logged in full and reaches the client only as a generic
 * INTERNAL_SERVER_ERROR with the request id, never with a stack, SQL or driver text.
 */
export function createErrorFormatter(log: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const requestId = currentRequest()?.requestId;
    const reply = (message: string, extensions: Record<string, unknown>): GraphQLFormattedError => ({
      message,
      locations: formatted.locations,
      path: formatted.path,
      extensions,
    });
    if (original instanceof ArgumentValidationError) {
      const lines = describeValidation(original.extensions.validationErrors as ValidationError[]);
      return reply(lines.join("; ") || "Invalid arguments", { code: "BAD_USER_INPUT" });
    }
    if (original instanceof InvalidInputError) {
      return reply(original.message, { code: "BAD_USER_INPUT", ...(original.field ? { field: original.field } : {}) });
    }
    if (isServiceUnavailable(original)) {
      log.warn({ err: original, requestId, path: formatted.path }, "database unavailable or too slow");
      return reply("The database is unavailable or too slow right now; retry shortly", {
        code: "SERVICE_UNAVAILABLE",
        requestId,
      });
    }
    const code = typeof formatted.extensions?.code === "string" ? formatted.extensions.code : undefined;
    if (code && PUBLIC_ERROR_CODES.has(code)) {
      const { field, cost, limit, retryAfter } = formatted.extensions ?? {};
      return reply(
        formatted.message,
        Object.fromEntries(Object.entries({ code, field, cost, limit, retryAfter }).filter(([, v]) => v !== undefined)),
      );
    }
    log.error({ err: original, requestId, path: formatted.path }, "unexpected error");
    return reply("Internal server error", { code: "INTERNAL_SERVER_ERROR", requestId });
  };
}
