import dns from "node:dns/promises";
import net from "node:net";
import ipaddr from "ipaddr.js";
import { Webhook } from "standardwebhooks";
import { injectTraceHeaders } from "../tracing";

/** Bytes of a receiver's answer that are read (and kept, in part, as the attempt's error). */
const MAX_ANSWER_BYTES = 1024;

/** Why a target may not be called: a non-web URL, or an address inside the network (SSRF). */
export async function unsafeTarget(url: string, allowPrivate: boolean): Promise<string | undefined> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "not a URL";
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return "only http(s) URLs";
  if (allowPrivate) return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, "");
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return "its host does not resolve";
  }
  const inside = addresses.find((a) => ipaddr.process(a).range() !== "unicast");
  return inside ? `its address ${inside} is not public (private, loopback or link-local)` : undefined;
}

export interface AttemptResult {
  status: number | null;
  durationMs: number;
  error: string | null;
  ok: boolean;
}

/**
 * One signed POST in the Standard Webhooks form: headers webhook-id, webhook-timestamp and
 * webhook-signature (v1, base64 HMAC-SHA256 over id.timestamp.body, by the standardwebhooks
 * package). Redirects are not followed; at most MAX_ANSWER_BYTES of the answer are read.
 */
export async function sendSigned(
  target: { url: string; secret: string },
  messageId: string,
  body: string,
  opts: { timeoutMs: number; allowPrivate: boolean; now: Date },
): Promise<AttemptResult> {
  const started = performance.now();
  const done = (r: Omit<AttemptResult, "durationMs">): AttemptResult => ({
    ...r,
    durationMs: Math.round(performance.now() - started),
  });
  const refused = await unsafeTarget(target.url, opts.allowPrivate);
  if (refused) return done({ status: null, error: `refused: ${refused}`, ok: false });
  const signature = new Webhook(target.secret).sign(messageId, opts.now, body);
  try {
    const res = await fetch(target.url, {
      method: "POST",
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
      headers: traced({
        "content-type": "application/json",
        "user-agent": "Courant-Webhooks/1",
        "webhook-id": messageId,
        "webhook-timestamp": String(Math.floor(opts.now.getTime() / 1000)),
        "webhook-signature": signature,
      }),
      body,
    });
    const answer = await readSome(res);
    const ok = res.status >= 200 && res.status < 300;
    return done({ status: res.status, error: ok ? null : `answered ${res.status}: ${answer}`.slice(0, 500), ok });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const reason = e.name === "TimeoutError" ? `no answer within ${opts.timeoutMs} ms` : (e.cause?.code ?? e.message);
    return done({ status: null, error: String(reason).slice(0, 500), ok: false });
  }
}

async function readSome(res: Response): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES).toString("utf8");
}

/** While tracing, the receiver can join the delivery's trace (W3C traceparent). */
function traced(headers: Record<string, string>): Record<string, string> {
  injectTraceHeaders(headers);
  return headers;
}
