/**
 * A CPU profile (`node --cpu-prof`) summarised: self time by function and by package, so a bench
 * run can say where the gateway spends its time. `node dist/bench/profile.js FILE.cpuprofile`.
 */
import fs from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  functions: Array<{ name: string; ms: number; share: number }>;
  packages: Array<{ name: string; ms: number; share: number }>;
}

/** Where a frame's code lives: an npm package, a folder of ours, Node itself, or the engine. */
export function areaOf(url: string): string {
  if (!url) return "(engine, GC, idle)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node (internals)";
  const ours = /\/dist\/(src\/[^/]+|bench|src)\//.exec(url);
  if (ours) return ours[1]!;
  return url.replace(/^file:\/\//, "");
}

/** `skipMs`: leave out the first milliseconds of the profile (start-up: module loading, the schema). */
export function summariseProfile(profile: CpuProfile, top = 20, skipMs = 0): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let elapsedUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    elapsedUs += profile.timeDeltas[i] ?? 0;
    if (elapsedUs < skipMs * 1000) continue;
    const id = profile.samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    if (f.functionName === "(idle)" || f.functionName === "(program)") continue;
    total += us;
    const file = f.url.replace(/^.*node_modules\//, "").replace(/^.*\/dist\//, "");
    const name = `${f.functionName || "(anonymous)"} ${file ? `${file}:${f.lineNumber + 1}` : ""}`.trim();
    fns.set(name, (fns.get(name) ?? 0) + us);
    const area = areaOf(f.url);
    pkgs.set(area, (pkgs.get(area) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: Math.round((us / total) * 1000) / 10 }));
  return { totalMs: Math.round(total / 1000), functions: rank(fns), packages: rank(pkgs) };
}

export function formatProfile(s: ProfileSummary): string {
  const lines = [`busy CPU ${s.totalMs} ms (idle excluded)`, "", "self time by package or folder:"];
  for (const p of s.packages) lines.push(`  ${String(p.share).padStart(5)}%  ${p.name}`);
  lines.push("", "self time by function:");
  for (const f of s.functions) lines.push(`  ${String(f.share).padStart(5)}%  ${f.name}`);
  return lines.join("\n");
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: node dist/bench/profile.js FILE.cpuprofile [top] [skip-ms]");
    process.exit(2);
  }
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  console.log(formatProfile(summariseProfile(profile, Number(process.argv[3] ?? 25), Number(process.argv[4] ?? 0))));
}
