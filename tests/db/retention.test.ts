import { createLogger } from "../../src/log";
import { sqlDate } from "../../src/db/sql";
import { EventRetention } from "../../src/events/retention";
import { DATABASES } from "../helpers/databases";
import { startGateway, type TestGateway } from "../helpers/gateway";

describe.each(DATABASES)("event retention on %s", (kind) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway(kind);
  });
  afterAll(() => gw?.close());

  it("deletes events, finished deliveries and done moments past the retention time, and nothing pending or recent", async () => {
    const now = new Date("2026-12-01T00:00:00Z");
    const old = sqlDate(new Date(now.getTime() - 40 * 86_400_000));
    const recent = sqlDate(new Date(now.getTime() - 5 * 86_400_000));
    const q = (sql: string, params: unknown[] = []) => gw.ds.query(sql, params);
    await q("DELETE FROM content_events");
    for (const at of [old, old, recent])
      await q(
        "INSERT INTO content_events (type, touches, effective_at, created_at) VALUES ('article.updated', '{}', ?, ?)",
        [at, at],
      );
    await q(
      "INSERT INTO webhooks (url, events, sections, languages, secret, enabled, consecutive_failures, created_at, updated_at) VALUES ('http://127.0.0.1:9/', '[]', '[]', '[]', 'whsec_x', 1, 0, ?, ?)",
      [old, old],
    );
    const [{ id: hook }] = await q("SELECT MAX(id) AS id FROM webhooks");
    for (const [status, at] of [
      ["delivered", old],
      ["failed", old],
      ["pending", old],
      ["delivered", recent],
    ])
      await q(
        "INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, payload, status, attempts, next_attempt_at, created_at) VALUES (?, ?, 'article.updated', '{}', ?, 1, ?, ?)",
        [Number(hook), Math.floor(Math.random() * 1e9), status, at, at],
      );
    const pruned = await new EventRetention(gw.ds, createLogger({ logLevel: "silent" }), 30).prune(now, now);
    expect(pruned).toEqual({ events: 2, deliveries: 2, moments: 0 });
    const [{ n: events }] = await q("SELECT COUNT(*) AS n FROM content_events");
    expect(Number(events)).toBe(1);
    const left = await q("SELECT status FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id", [Number(hook)]);
    expect(left.map((r: { status: string }) => r.status)).toEqual(["pending", "delivered"]);
  });
});
