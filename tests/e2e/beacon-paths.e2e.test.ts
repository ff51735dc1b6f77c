import { gid, startGateway, type TestGateway } from "../helpers/gateway";

/** Anonymous beacons are served below express; keyed ones by the express route. Both must answer alike. */
describe("the beacon's two routes", () => {
  let gw: TestGateway;
  let key: string;
  let articleId: string;
  beforeAll(async () => {
    gw = await startGateway("sqlite", { env: { CORS_ORIGINS: "https://www.example.com" } });
    key = await gw.courant.deps.services.auth.create("app", "editor");
    const s = await gw.factory.section();
    articleId = gid("Article", (await gw.factory.article({ sectionId: s.id })).id);
  });
  afterAll(() => gw?.close());

  const send = (body: string, headers: Record<string, string>) =>
    fetch(`${gw.url}/beacon/view`, { method: "POST", headers: { "content-type": "text/plain", ...headers }, body });
  const accepted = async () => {
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    return Number(/^courant_views_accepted_total (\d+)$/m.exec(text)?.[1] ?? 0);
  };

  it("counts a view on either route and answers 204 with the allowed origin", async () => {
    const before = await accepted();
    const anonymous = await send(JSON.stringify({ articleId, viewId: "fast-1" }), {
      origin: "https://www.example.com",
    });
    expect(anonymous.status).toBe(204);
    expect(anonymous.headers.get("access-control-allow-origin")).toBe("https://www.example.com");
    const keyed = await send(JSON.stringify({ articleId, viewId: "express-1" }), {
      authorization: `Bearer ${key}`,
      origin: "https://www.example.com",
    });
    expect(keyed.status).toBe(204);
    expect(keyed.headers.get("access-control-allow-origin")).toBe("https://www.example.com");
    expect(await accepted()).toBe(before + 2);
    const foreign = await send(JSON.stringify({ articleId, viewId: "fast-2" }), { origin: "https://evil.example" });
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
  });

  it.each([
    ["malformed JSON", "{nope"],
    ["a JSON array", "[]"],
    ["a missing id", "{}"],
    ["an id of another type", JSON.stringify({ articleId: gid("Section", 1) })],
    ["a body over 100 kB", JSON.stringify({ articleId: "x".repeat(110_000) })],
  ])("answers %s with the same JSON 400 on both routes", async (_name, body) => {
    const fast = await send(body, {});
    const slow = await send(body, { authorization: `Bearer ${key}` });
    expect(fast.status).toBe(400);
    expect(slow.status).toBe(400);
    const [a, b] = [await fast.json(), await slow.json()];
    expect(a).toEqual(b);
    expect((a as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe(
      "BAD_USER_INPUT",
    );
  });
});
