import path from "node:path";
import { HeaderMap } from "@apollo/server";
import { installGatewayRequestContext } from "../../src/graphql/gateway-request-context";

type Builder = (rc: unknown, server: unknown, internals: unknown) => Record<string, unknown>;

const file = path.join(path.dirname(require.resolve("@apollo/server")), "utils", "makeGatewayGraphQLRequestContext.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const apollo = require(file) as { makeGatewayGraphQLRequestContext: Builder };

function requestContext() {
  const requestHeaders = new HeaderMap([["accept", "application/json"]]);
  return {
    request: {
      query: "{ a }",
      operationName: "A",
      variables: { x: 1 },
      http: { method: "POST", search: "q=1", headers: requestHeaders },
    },
    response: { http: { status: undefined as number | undefined, headers: new HeaderMap() } },
    schema: { s: 1 },
    contextValue: { c: 1 },
    queryHash: "hash",
    document: { kind: "Document" },
    source: "{ a }",
    operationName: "A",
    operation: { operation: "query" },
    errors: undefined,
    metrics: { m: 1 },
    overallCachePolicy: { p: 1 },
    requestIsBatched: false,
  };
}

describe("the gateway request context Apollo hands the compiled executor", () => {
  const original = apollo.makeGatewayGraphQLRequestContext;
  const server = { logger: { l: 1 }, cache: { k: 1 } };
  const internals = { includeStacktraceInErrorResponses: false };

  it("is built by Courant's builder once installed, with the same fields and values as Apollo's", () => {
    expect(installGatewayRequestContext()).toBe(true);
    expect(installGatewayRequestContext()).toBe(true);
    const replaced = apollo.makeGatewayGraphQLRequestContext;
    expect(replaced).not.toBe(original);
    const ours = replaced(requestContext(), server, internals);
    const theirs = original(requestContext(), server, internals);
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    for (const key of Object.keys(theirs).filter((k) => k !== "request" && k !== "response")) {
      expect({ key, value: ours[key] }).toEqual({ key, value: theirs[key] });
    }
    const [oursRequest, theirsRequest] = [ours.request, theirs.request] as Array<{
      http: { url: string; method: string; headers: { get(n: string): string | null } };
    }>;
    expect(oursRequest.http.url).toBe(theirsRequest.http.url);
    expect(oursRequest.http.method).toBe("POST");
    expect(oursRequest.http.headers.get("accept")).toBe("application/json");
    expect({ ...(ours.request as object), http: undefined }).toEqual({
      ...(theirs.request as object),
      http: undefined,
    });
  });

  it("reads and writes the status and headers of Apollo's response", () => {
    const rc = requestContext();
    const built = apollo.makeGatewayGraphQLRequestContext(rc, server, internals) as {
      response: {
        http: { status?: number; headers: { set(n: string, v: string): void; get(n: string): string | null } };
      };
    };
    expect(built.response.http.status).toBeUndefined();
    built.response.http.status = 503;
    expect(rc.response.http.status).toBe(503);
    rc.response.http.status = 200;
    expect(built.response.http.status).toBe(200);
    built.response.http.headers.set("retry-after", "1");
    expect(rc.response.http.headers.get("retry-after")).toBe("1");
  });
});
