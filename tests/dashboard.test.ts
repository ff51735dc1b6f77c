import fs from "node:fs";
import path from "node:path";
import { startGateway, type TestGateway } from "./helpers/gateway";

const ROOT = path.join(__dirname, "..");
const DASHBOARD = path.join(ROOT, "deploy", "grafana", "dashboards", "courant.json");

interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; expr: string; datasource?: { uid: string } }>;
}

/** Metric names a PromQL expression reads (`courant_...`), without label names or functions. */
const metricsIn = (expr: string) => [...expr.matchAll(/\b(courant_[a-z0-9_]+)\b(?=\s*[{[),])/g)].map((m) => m[1]!);

describe("the Grafana dashboard under deploy/", () => {
  let gw: TestGateway;
  /** Each metric family /metrics exposes, with its type. */
  const exposed = new Map<string, string>();

  beforeAll(async () => {
    gw = await startGateway("sqlite", { env: { RESPONSE_CACHE: "true", RATE_LIMIT_QUERIES_PER_MINUTE: "2" } });
    const res = await fetch(`${gw.url}/metrics`);
    expect(res.status).toBe(200);
    for (const m of (await res.text()).matchAll(/^# TYPE (\S+) (\S+)$/gm)) exposed.set(m[1]!, m[2]!);
  });
  afterAll(async () => {
    await gw?.close();
  });

  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, "utf8")) as {
    uid: string;
    title: string;
    schemaVersion: number;
    panels: Panel[];
    templating: { list: Array<{ name: string; query: { query: string } }> };
  };
  const graphs = dashboard.panels.filter((p) => p.type !== "row");

  it("has what Grafana needs to load it: a uid, a title, a schema version, panels with unique ids, positions and a known type", () => {
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).toBe("Courant gateway");
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of dashboard.panels) {
      expect(["row", "timeseries", "stat"]).toContain(p.type);
      expect(p.gridPos.w).toBeGreaterThan(0);
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
    // Panels never overlap on the 24-column grid.
    const cells = new Set<string>();
    for (const p of dashboard.panels)
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++)
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
    // Every query panel reads the provisioned Prometheus data source.
    const provisioned = fs.readFileSync(
      path.join(ROOT, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"),
      "utf8",
    );
    const uid = /uid: (\S+)/.exec(provisioned)![1];
    for (const p of graphs) {
      expect(p.datasource?.uid).toBe(uid);
      expect(p.targets?.length).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size).toBe(p.targets!.length);
    }
  });

  it("reads only metrics the gateway's /metrics exports, and covers requests, latency, errors, cache, pool, view buffer and rate limits", () => {
    const used = new Set<string>();
    const queries = [
      ...graphs.flatMap((p) => p.targets!.map((t) => t.expr)),
      ...dashboard.templating.list.map((v) => v.query.query),
    ];
    for (const expr of queries) {
      const names = metricsIn(expr);
      expect({ expr, names: names.length > 0 }).toEqual({ expr, names: true });
      for (const name of names) {
        const histogram = /^(.*)_(bucket|sum|count)$/.exec(name);
        const known = exposed.has(name) || (histogram !== null && exposed.get(histogram[1]!) === "histogram");
        expect({ name, exported: known }).toEqual({ name, exported: true });
        used.add(histogram && !exposed.has(name) ? histogram[1]! : name);
      }
    }
    for (const name of [
      "courant_graphql_requests_total",
      "courant_graphql_request_duration_seconds",
      "courant_graphql_errors_total",
      "courant_response_cache_requests",
      "courant_db_pool_connections",
      "courant_view_buffer_rows",
      "courant_view_buffer_lag_seconds",
      "courant_rate_limited_total",
    ])
      expect(used).toContain(name);
  });

  it("counts rate-limited requests by budget", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await gw.gql("{ sections { slug } }")).status);
    expect(statuses).toEqual([200, 200, 429]);
    const text = await (await fetch(`${gw.url}/metrics`)).text();
    expect(text).toMatch(/^courant_rate_limited_total\{budget="queries"\} 1$/m);
  });

  it("is scraped and provisioned by the compose scale profile", () => {
    const compose = fs.readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");
    expect(compose).toMatch(
      /\n {2}prometheus:\n[\s\S]*?profiles: \["scale"\][\s\S]*?deploy\/prometheus\/prometheus\.yml/,
    );
    expect(compose).toMatch(/\n {2}grafana:\n[\s\S]*?profiles: \["scale"\][\s\S]*?deploy\/grafana\/dashboards/);
    const scrape = fs.readFileSync(path.join(ROOT, "deploy", "prometheus", "prometheus.yml"), "utf8");
    expect(scrape).toMatch(/metrics_path: \/metrics/);
    for (const service of ["gateway", "gateway-a", "gateway-b"]) {
      expect(scrape).toContain(`"${service}:4000"`);
      expect(compose).toMatch(new RegExp(`\\n {2}${service}:\\n`));
    }
  });
});
