/** Asks again until `done` holds or `ms` pass, and returns the last answer (the caller asserts on it). */
export async function until<T>(ask: () => Promise<T> | T, done: (r: T) => boolean, ms = 10_000): Promise<T> {
  const started = Date.now();
  let last = await ask();
  while (!done(last) && Date.now() - started < ms) {
    await new Promise((r) => setTimeout(r, 25));
    last = await ask();
  }
  return last;
}

/** A counter's value in a gateway's /metrics (`labels` as written there, e.g. `by="engine"`); NaN when absent. */
export async function counterValue(baseUrl: string, name: string, labels?: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const series = labels ? `${name}{${labels}}` : name;
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : NaN;
}
