import http from "node:http";
import { startGateway, type TestGateway } from "../helpers/gateway";

/** One request on `agent`: its status and the local port of the connection it went over. */
function get(url: string, agent: http.Agent): Promise<{ status: number; port: number }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${url}/graphql?query=${encodeURIComponent("{ sections { slug } }")}`, {
      agent,
      headers: { "apollo-require-preflight": "true" },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, port: req.socket!.localPort! }));
    });
    req.on("error", reject);
  });
}

describe("idle keep-alive connections", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite");
  });
  afterAll(() => gw?.close());

  it("stay open past Node's default 5 s, so the client (or a proxy) is the side that closes them", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const first = await get(gw.url, agent);
      expect(first.status).toBe(200);
      // Longer than Node's default keepAliveTimeout (5 s), after which the server would have
      // closed the connection and the next request would need a new one (or, sent at that
      // moment, fail with a reset).
      await new Promise((r) => setTimeout(r, 6000));
      const second = await get(gw.url, agent);
      expect(second).toEqual({ status: 200, port: first.port });
    } finally {
      agent.destroy();
    }
  }, 20_000);
});
