/** The results of a bench run: goals, the printed table, latest.json and a bar chart as plain SVG. */
import type { LoadResult } from "./load";
import type { ScenarioName } from "./scenarios";

export interface Measurement extends LoadResult {
  /** SQL statements one request sent (X-SQL-Statements); null when not reported. */
  statements: number | null;
  /** The gateway's peak RSS so far, in MB, read right after this measurement. */
  peakRssMb?: number;
  /** CPU time (user and system) the server process used per successful request, in ms. */
  cpuMsPerRequest?: number;
  /** CPU time the local database server used per successful request, in ms. */
  dbCpuMsPerRequest?: number;
}

export type Target = "gateway" | "cached" | "handWritten" | "floor";
export const TARGETS: Target[] = ["gateway", "cached", "handWritten", "floor"];
export const TARGET_LABELS: Record<Target, string> = {
  gateway: "gateway",
  cached: "gateway, cached",
  handWritten: "hand-written",
  floor: "HTTP floor",
};

export interface ScenarioResult {
  name: ScenarioName;
  title: string;
  results: Partial<Record<Target, Measurement>>;
  /** Why a target has no figures (e.g. no hand-written version of this scenario). */
  notes: string[];
}

export interface Ratios {
  /** gateway / hand-written and gateway / floor, for req/s, p50 and p99. */
  vsHandWritten: { rps: number | null; p50: number | null; p99: number | null };
  vsFloor: { rps: number | null; p50: number | null; p99: number | null };
}

export interface Goal {
  goal: string;
  status: "PASS" | "MISS" | "NOT MEASURED";
  reason: string;
}

export interface BenchReport {
  generatedAt: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    database: string;
    /** 1-minute load average before the run: other work on the machine skews every figure. */
    loadAverage: number;
  };
  settings: {
    articles: number;
    seed: number;
    connections: number;
    warmupSeconds: number;
    /** Load on each server before its first measurement (absent in runs before 2026-12-03). */
    processWarmupSeconds?: number;
    durationSeconds: number;
    quick: boolean;
    only: string[] | null;
  };
  fixtures: { section: string; article: { slug: string; language: string }; searches: string[] };
  scenarios: Array<ScenarioResult & { ratios: { gateway: Ratios; cached: Ratios } }>;
  peakRssMb: { gateway: number | null; cached: number | null; handWritten: number | null };
  /** The search scenario on the uncached gateway with one connection: a reader's latency. */
  searchLatency: Measurement | null;
  goals: Goal[];
  runSeconds: number;
}

const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a !== undefined && b !== undefined && b > 0 && Number.isFinite(a) && Number.isFinite(b)
    ? Math.round((a / b) * 1000) / 1000
    : null;

export function ratiosOf(s: ScenarioResult, target: "gateway" | "cached"): Ratios {
  const g = s.results[target];
  const h = s.results.handWritten;
  const f = s.results.floor;
  return {
    vsHandWritten: { rps: ratio(g?.rps, h?.rps), p50: ratio(g?.p50, h?.p50), p99: ratio(g?.p99, h?.p99) },
    vsFloor: { rps: ratio(g?.rps, f?.rps), p50: ratio(g?.p50, f?.p50), p99: ratio(g?.p99, f?.p99) },
  };
}

const failures = (m: Measurement | undefined) => (m && m.failed > 0 ? `; ${m.failed} requests failed` : "");
const x = (r: number | null) => (r === null ? "n/a" : `${r.toFixed(2)}×`);

/** The goals for a 2-core machine, each PASS or MISS with the figures behind it. */
export function checkGoals(
  scenarios: ScenarioResult[],
  peakRssMb: BenchReport["peakRssMb"],
  cachedReason: string | null,
  searchLatency: Measurement | null = null,
): Goal[] {
  const by = (n: ScenarioName) => scenarios.find((s) => s.name === n);
  const feed = by("feed");
  const deep = by("deep");
  const goals: Goal[] = [];
  const judge = (goal: string, ok: boolean | null, reason: string, m?: Measurement[]): Goal => {
    const failed = (m ?? []).some((r) => r.failed > 0);
    if (ok === null) return { goal, status: "NOT MEASURED", reason };
    return { goal, status: ok && !failed ? "PASS" : "MISS", reason: reason + (m ?? []).map(failures).join("") };
  };

  const g = feed?.results.gateway;
  const h = feed?.results.handWritten;
  const r = g && h ? ratio(g.rps, h.rps) : null;
  goals.push(
    judge(
      "uncached feed throughput ≥ 0.6 × hand-written",
      r === null ? null : r >= 0.6,
      g && h ? `gateway ${g.rps} req/s vs hand-written ${h.rps} req/s: ${x(r)}` : "feed or baseline not measured",
      [g, h].filter((m): m is Measurement => !!m),
    ),
  );
  goals.push(
    judge(
      "uncached feed p99 < 50 ms",
      g ? g.p99 < 50 : null,
      g ? `p99 ${g.p99} ms (p50 ${g.p50} ms) at ${g.rps} req/s` : "feed not measured",
      g ? [g] : [],
    ),
  );
  const d = deep?.results.gateway;
  const pr = g && d ? ratio(d.p50, g.p50) : null;
  goals.push(
    judge(
      "page 51 as fast as page 1 (p50 within ±20 %)",
      pr === null ? null : pr >= 0.8 && pr <= 1.2,
      g && d ? `p50 page 51 ${d.p50} ms vs page 1 ${g.p50} ms: ${x(pr)}` : "feed or deep page not measured",
      [g, d].filter((m): m is Measurement => !!m),
    ),
  );
  const dh = deep?.results.handWritten;
  const dr = d && dh ? ratio(d.rps, dh.rps) : null;
  goals.push(
    judge(
      "uncached page 51 throughput ≥ 0.6 × hand-written",
      dr === null ? null : dr >= 0.6,
      d && dh ? `gateway ${d.rps} req/s vs hand-written ${dh.rps} req/s: ${x(dr)}` : "deep page not measured",
      [d, dh].filter((m): m is Measurement => !!m),
    ),
  );
  const article = by("article");
  const a = article?.results.gateway;
  const ah = article?.results.handWritten;
  const ar = a && ah ? ratio(a.rps, ah.rps) : null;
  goals.push(
    judge(
      "uncached article page throughput ≥ 0.6 × hand-written",
      ar === null ? null : ar >= 0.6,
      a && ah ? `gateway ${a.rps} req/s vs hand-written ${ah.rps} req/s: ${x(ar)}` : "article page not measured",
      [a, ah].filter((m): m is Measurement => !!m),
    ),
  );
  goals.push(
    judge(
      "uncached article page p99 < 50 ms",
      a ? a.p99 < 50 : null,
      a ? `p99 ${a.p99} ms (p50 ${a.p50} ms) at ${a.rps} req/s` : "article page not measured",
      a ? [a] : [],
    ),
  );
  const c = feed?.results.cached;
  const f = feed?.results.floor;
  const cr = c && f ? ratio(c.rps, f.rps) : null;
  goals.push(
    judge(
      "cached feed throughput ≥ 0.5 × HTTP floor",
      cr === null ? null : cr >= 0.5,
      c && f
        ? `cached ${c.rps} req/s vs floor ${f.rps} req/s: ${x(cr)}`
        : (cachedReason ?? "cached feed or floor not measured"),
      [c, f].filter((m): m is Measurement => !!m),
    ),
  );
  const peaks = [peakRssMb.gateway, peakRssMb.cached].filter((v): v is number => v !== null);
  const peak = peaks.length ? Math.max(...peaks) : null;
  goals.push(
    judge(
      "gateway peak RSS < 300 MB",
      peak === null ? null : peak < 300,
      peak === null
        ? "not measured"
        : `peak ${peak} MB (uncached ${peakRssMb.gateway ?? "n/a"} MB, cached ${peakRssMb.cached ?? "n/a"} MB)`,
    ),
  );
  const sl = searchLatency;
  goals.push(
    judge(
      "search p99 < 100 ms (two-word queries, one connection, uncached)",
      sl ? sl.p99 < 100 : null,
      sl ? `p99 ${sl.p99} ms (p50 ${sl.p50} ms) at ${sl.rps} req/s` : "search not measured",
      sl ? [sl] : [],
    ),
  );
  return goals;
}

// ---------------------------------------------------------------------------
// Table
// ---------------------------------------------------------------------------

const num = (v: number | null | undefined, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? "–" : v.toFixed(digits);

export function formatTable(report: BenchReport): string {
  const header = [
    "scenario",
    "target",
    "req/s",
    "p50 ms",
    "p99 ms",
    "SQL/req",
    "failed",
    "RSS MB",
    "req/s ÷hand",
    "req/s ÷floor",
    "p99 ÷hand",
    "p99 ÷floor",
  ];
  const rows: string[][] = [];
  for (const s of report.scenarios) {
    let first = true;
    for (const t of TARGETS) {
      const m = s.results[t];
      if (!m) continue;
      const r = t === "gateway" || t === "cached" ? s.ratios[t] : null;
      rows.push([
        first ? s.name : "",
        TARGET_LABELS[t] + (m.ok > 0 ? "" : m.failed > 0 ? ": all failed" : ": none completed"),
        num(m.rps),
        num(m.p50, 2),
        num(m.p99, 2),
        m.statements === null ? "–" : String(m.statements),
        String(m.failed),
        m.peakRssMb === undefined ? "" : String(m.peakRssMb),
        r ? x(r.vsHandWritten.rps) : "",
        r ? x(r.vsFloor.rps) : "",
        r ? x(r.vsHandWritten.p99) : "",
        r ? x(r.vsFloor.p99) : "",
      ]);
      first = false;
    }
    for (const note of s.notes)
      rows.push([first ? s.name : "", `(${note})`, ...Array<string>(header.length - 2).fill("")]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  out.push("");
  out.push(
    `peak RSS: gateway ${report.peakRssMb.gateway ?? "–"} MB, cached gateway ${report.peakRssMb.cached ?? "–"} MB,` +
      ` hand-written ${report.peakRssMb.handWritten ?? "–"} MB`,
  );
  const load = report.machine.loadAverage;
  out.push(`load average (1 min) before the run: ${load}, on ${report.machine.cpus} CPUs`);
  if (load > report.machine.cpus / 2) {
    out.push("WARNING: the machine was busy before the run started; figures are less reliable");
  }
  out.push("");
  for (const g of report.goals) out.push(`${g.status.padEnd(12)} ${g.goal}\n             ${g.reason}`);
  return out.join("\n");
}

// ---------------------------------------------------------------------------
// SVG chart
// ---------------------------------------------------------------------------

const COLORS: Record<Target, string> = {
  gateway: "#2563eb",
  cached: "#93c5fd",
  handWritten: "#16a34a",
  floor: "#9ca3af",
};

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const fmt = (v: number) => (v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** One panel of grouped bars on a log scale: scenario groups, one bar per target. */
function panel(
  report: BenchReport,
  title: string,
  value: (m: Measurement) => number,
  top: number,
  width: number,
  height: number,
): string {
  const left = 60;
  const right = 20;
  const plotTop = top + 28;
  const plotHeight = height - 28 - 48;
  const bottom = plotTop + plotHeight;
  const values = report.scenarios.flatMap((s) =>
    TARGETS.map((t) => s.results[t])
      .filter((m): m is Measurement => !!m && m.ok > 0)
      .map(value),
  );
  const positive = values.filter((v) => v > 0);
  const lo = Math.floor(Math.log10(Math.min(...positive, 1)));
  const hi = Math.ceil(Math.log10(Math.max(...positive, 10)));
  const y = (v: number) => bottom - ((Math.log10(Math.max(v, 10 ** lo)) - lo) / (hi - lo)) * plotHeight;
  const parts: string[] = [];
  parts.push(`<text x="${left}" y="${top + 16}" class="title">${esc(title)}</text>`);
  for (let e = lo; e <= hi; e++) {
    const yy = y(10 ** e).toFixed(1);
    const tick = e >= 0 ? (10 ** e).toLocaleString("en") : (10 ** e).toFixed(-e);
    parts.push(`<line x1="${left}" x2="${width - right}" y1="${yy}" y2="${yy}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${yy}" class="axis" text-anchor="end" dy="4">${tick}</text>`);
  }
  const groupWidth = (width - left - right) / report.scenarios.length;
  const bar = Math.min(34, (groupWidth - 24) / TARGETS.length);
  report.scenarios.forEach((s, i) => {
    const gx = left + i * groupWidth;
    const present = TARGETS.filter((t) => s.results[t]);
    const start = gx + (groupWidth - present.length * bar) / 2;
    present.forEach((t, j) => {
      const m = s.results[t]!;
      const bx = start + j * bar;
      if (m.ok === 0) {
        // Nothing succeeded: no bar, and say so where it would stand.
        parts.push(
          `<text x="${(bx + (bar - 3) / 2).toFixed(1)}" y="${bottom - 6}" class="failed" text-anchor="start"` +
            ` transform="rotate(-90 ${(bx + (bar - 3) / 2).toFixed(1)} ${bottom - 6})" dy="4">` +
            `${esc(m.failed > 0 ? `all ${m.failed} failed` : "none completed")}</text>`,
        );
        return;
      }
      const v = value(m);
      const by = y(v);
      parts.push(
        `<rect x="${bx.toFixed(1)}" y="${by.toFixed(1)}" width="${(bar - 3).toFixed(1)}" height="${(bottom - by).toFixed(1)}" fill="${COLORS[t]}"><title>${esc(`${s.name}, ${TARGET_LABELS[t]}: ${fmt(v)}${m.failed ? ` (${m.failed} failed)` : ""}`)}</title></rect>`,
      );
      parts.push(
        `<text x="${(bx + (bar - 3) / 2).toFixed(1)}" y="${(by - 4).toFixed(1)}" class="value" text-anchor="middle">${fmt(v)}</text>`,
      );
    });
    parts.push(
      `<text x="${(gx + groupWidth / 2).toFixed(1)}" y="${bottom + 18}" class="label" text-anchor="middle">${esc(s.name)}</text>`,
    );
    const g = s.results.gateway;
    const h = s.results.handWritten;
    const f = s.results.floor;
    const usable = (m: Measurement | undefined): m is Measurement => !!m && m.ok > 0;
    const sub = [
      usable(g) && usable(h) ? `${fmt(value(g) / value(h))}× hand` : "",
      usable(g) && usable(f) ? `${fmt(value(g) / value(f))}× floor` : "",
    ]
      .filter(Boolean)
      .join(", ");
    if (sub) {
      parts.push(
        `<text x="${(gx + groupWidth / 2).toFixed(1)}" y="${bottom + 34}" class="axis" text-anchor="middle">${esc(sub)}</text>`,
      );
    }
  });
  parts.push(`<line x1="${left}" x2="${width - right}" y1="${bottom}" y2="${bottom}" class="base"/>`);
  return parts.join("\n");
}

export function renderSvg(report: BenchReport): string {
  const width = 960;
  const panelHeight = 300;
  const legendTop = 46;
  const goalsTop = 70 + panelHeight * 2 + 10;
  const height = goalsTop + 22 + report.goals.length * 18 + 10;
  const legend = TARGETS.map((t, i) => {
    const lx = 60 + i * 170;
    return (
      `<rect x="${lx}" y="${legendTop}" width="14" height="14" fill="${COLORS[t]}"/>` +
      `<text x="${lx + 20}" y="${legendTop + 12}" class="label">${esc(TARGET_LABELS[t])}</text>`
    );
  }).join("\n");
  const m = report.machine;
  const subtitle =
    `${report.settings.articles.toLocaleString("en")} articles on ${m.database}, ${m.cpus} CPUs, Node ${m.node};` +
    ` ${report.settings.connections} connections, ${report.settings.durationSeconds} s per measurement;` +
    ` ${report.generatedAt.slice(0, 10)}`;
  const goals = report.goals
    .map(
      (g, i) =>
        `<text x="60" y="${goalsTop + 22 + i * 18}" class="goal ${g.status === "PASS" ? "pass" : "miss"}">` +
        `${esc(`${g.status}  ${g.goal}: ${g.reason}`)}</text>`,
    )
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">
<style>
  .h1 { font-size: 18px; font-weight: 600; fill: #111827; }
  .sub { font-size: 12px; fill: #4b5563; }
  .title { font-size: 14px; font-weight: 600; fill: #111827; }
  .label { font-size: 12px; fill: #111827; }
  .axis { font-size: 11px; fill: #6b7280; }
  .value { font-size: 10px; fill: #374151; }
  .failed { font-size: 11px; fill: #b91c1c; }
  .grid { stroke: #e5e7eb; stroke-width: 1; }
  .base { stroke: #9ca3af; stroke-width: 1; }
  .goal { font-size: 12px; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; }
  .pass { fill: #15803d; }
  .miss { fill: #b91c1c; }
</style>
<rect width="100%" height="100%" fill="#ffffff"/>
<text x="60" y="22" class="h1">Courant benchmark: gateway vs hand-written vs HTTP floor</text>
<text x="60" y="38" class="sub">${esc(subtitle)}</text>
${legend}
${panel(report, "Requests per second (higher is better, log scale)", (r) => r.rps, 70, width, panelHeight)}
${panel(report, "p99 latency, ms (lower is better, log scale)", (r) => r.p99, 70 + panelHeight, width, panelHeight)}
<text x="60" y="${goalsTop + 4}" class="title">Goals</text>
${goals}
</svg>
`;
}
