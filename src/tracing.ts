import {
  context,
  diag,
  DiagLogLevel,
  propagation,
  ROOT_CONTEXT,
  trace,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context as TraceContext,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import type { SpanProcessor } from "@opentelemetry/sdk-trace-node";
import type { Logger } from "pino";
import type { Config } from "./config";
import { currentRequest, requestSlot, withRequestContext } from "./request-context";

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured (or a test hands in its own
 * span processor). While off, every helper here returns at its first line: no span objects, no
 * context switches.
 */
let enabled = false;

const TRACER = "courant";

/** The span new child spans of this request hang under (the execute span while executing). */
const parentSlot = requestSlot<TraceContext>("trace parent");
/** The request's server span, for attributes learnt deep down (cache hit). */
const requestSpanSlot = requestSlot<Span>("request span");

export function tracingEnabled(): boolean {
  return enabled;
}

export interface Tracing {
  /** Sends what is buffered and stops; spans started afterwards go nowhere. */
  shutdown(): Promise<void>;
}

/**
 * Starts tracing for this process when `config.tracing` names an endpoint or `processors` are
 * given (tests), else returns undefined. The standard OTEL_* variables the SDK reads itself
 * (OTEL_TRACES_SAMPLER, OTEL_EXPORTER_OTLP_HEADERS, OTEL_RESOURCE_ATTRIBUTES, ...) apply.
 */
export async function startTracing(
  config: Pick<Config, "tracing">,
  processors: SpanProcessor[] = [],
  log?: Logger,
  version = "0.1.0",
): Promise<Tracing | undefined> {
  const t = config.tracing;
  if (!t.endpoint && processors.length === 0) return undefined;
  // Loaded only when tracing: the SDK and exporters add a tenth of a second to every start (CLI too).
  const { NodeTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-node");
  const { detectResources, envDetector, resourceFromAttributes } = await import("@opentelemetry/resources");
  const all = [...processors];
  if (t.endpoint) {
    const { OTLPTraceExporter } =
      t.protocol === "http/json"
        ? await import("@opentelemetry/exporter-trace-otlp-http")
        : await import("@opentelemetry/exporter-trace-otlp-proto");
    all.push(new BatchSpanProcessor(new OTLPTraceExporter({ url: t.endpoint })));
  }
  const resource = resourceFromAttributes({ "service.name": t.serviceName, "service.version": version }).merge(
    detectResources({ detectors: [envDetector] }),
  );
  const provider = new NodeTracerProvider({ resource, spanProcessors: all });
  // The W3C trace-context propagator (traceparent), and no context manager: a request's or job's
  // trace context travels in Courant's own request context (parentSlot), whose AsyncLocalStorage
  // every request has anyway. A second AsyncLocalStorage (OpenTelemetry's) would add its own
  // bookkeeping to every promise of every request: measured, the larger part of what tracing cost.
  provider.register({ contextManager: null });
  // The SDK reports failed exports (collector away, refused) through its diagnostics logger.
  if (log) {
    const warn = (message: string) => log.warn({ otel: message.slice(0, 300) }, "opentelemetry");
    diag.setLogger(
      { error: warn, warn, info: () => undefined, debug: () => undefined, verbose: () => undefined },
      DiagLogLevel.WARN,
    );
  }
  tracer = provider.getTracer(TRACER);
  enabled = true;
  return {
    async shutdown() {
      enabled = false;
      try {
        await provider.shutdown();
      } finally {
        diag.disable();
        trace.disable();
        context.disable();
        propagation.disable();
      }
    },
  };
}

/** The SDK's tracer while tracing (spans are made only then), not the API's proxy that looks it up per span. */
let tracer: Tracer = trace.getTracer(TRACER);

/**
 * A server span for one incoming request, child of the caller's `traceparent` when it sent
 * one. Runs `next` inside it; `end` closes it with the response status.
 */
export function traceIncoming(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  attributes: Attributes,
  next: () => void,
): { span: Span; end(status: number): void } | undefined {
  if (!enabled) {
    next();
    return undefined;
  }
  const parent = propagation.extract(ROOT_CONTEXT, headers);
  const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes }, parent);
  requestSpanSlot.set(span);
  parentSlot.set(trace.setSpan(parent, span));
  next();
  return {
    span,
    end(status) {
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

/** The current request's server span, when tracing. */
export function requestSpan(): Span | undefined {
  if (!enabled) return undefined;
  return requestSpanSlot.get() ?? currentSpan();
}

/**
 * A child span of whatever this request or job is doing (none outside a traced request or
 * job: background polls make no root spans of their own). End it with `endSpan`.
 */
export function childSpan(name: string, attributes?: Attributes, kind: SpanKind = SpanKind.INTERNAL): Span | undefined {
  if (!enabled) return undefined;
  const parent = parentSlot.get();
  if (!parent || !trace.getSpan(parent)) return undefined;
  return tracer.startSpan(name, { kind, attributes }, parent);
}

/** A child span that started `ms` ago and ends now (for work that reports its own duration). */
export function pastSpan(name: string, ms: number, attributes: Attributes, failed?: unknown): void {
  if (!enabled) return;
  const parent = parentSlot.get();
  if (!parent || !trace.getSpan(parent)) return;
  const now = Date.now();
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes, startTime: now - ms }, parent);
  if (failed) markFailed(span, failed);
  span.end(now);
}

export function endSpan(span: Span | undefined, failed?: unknown): void {
  if (!span) return;
  if (failed) markFailed(span, failed);
  span.end();
}

function markFailed(span: Span, failed: unknown): void {
  const err = failed instanceof Error ? failed : undefined;
  span.setStatus({ code: SpanStatusCode.ERROR, message: err?.name ?? String(failed).slice(0, 100) });
  if (err) span.setAttribute("error.type", (err as { code?: string }).code ?? err.name);
}

/** New child spans of this request go under `parent` until `restore` is called. */
export function useParent(span: Span): () => void {
  const previous = parentSlot.get();
  parentSlot.set(trace.setSpan(previous ?? ROOT_CONTEXT, span));
  return () => parentSlot.set(previous ?? ROOT_CONTEXT);
}

/**
 * Runs a background job (a webhook delivery, a scheduled moment) in a span of its own, the
 * root of a trace, with its SQL statements as children.
 */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span | undefined) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!enabled) return fn(undefined);
  const span = tracer.startSpan(name, { kind, attributes }, ROOT_CONTEXT);
  // The job's own context carries its trace (see startTracing), apart from any request whose
  // context it was started from (a timer set during a request runs in that request's context).
  return withRequestContext({ requestId: currentRequest()?.requestId ?? "", statements: 0 }, async () => {
    parentSlot.set(trace.setSpan(ROOT_CONTEXT, span));
    try {
      return await fn(span);
    } catch (err) {
      markFailed(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Writes the current trace context into outgoing headers (traceparent), when tracing. */
export function injectTraceHeaders(headers: Record<string, string>): void {
  if (enabled) propagation.inject(parentSlot.get() ?? ROOT_CONTEXT, headers);
}

/** For log lines: the trace and span ids of the active span, joined with the request id. */
export function traceFields(): { traceId?: string; spanId?: string } {
  if (!enabled) return {};
  const span = requestSpanSlot.get() ?? currentSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/**
 * SQL text for a span: parameters are never part of it (they are sent apart), and literals
 * written into the text (quoted strings, numbers) are replaced by `?`.
 */
export function sanitizeSql(sql: string): string {
  return sql
    .replace(/'(?:[^'\\]|\\.|'')*'/g, "?")
    .replace(/(?<![\w.`$])-?\d+(?:\.\d+)?(?![\w`])/g, "?")
    .slice(0, 2000);
}

/** The span new children hang under: the request's, the job's, or the one useParent chose. */
function currentSpan(): Span | undefined {
  const parent = parentSlot.get();
  return parent ? trace.getSpan(parent) : undefined;
}

export { SpanKind };
