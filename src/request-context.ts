import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What follows one request through every await: its id, how many SQL statements it sent, and
 * slots where higher layers keep their own per-request state (the response cache keeps what the
 * request read) without this module knowing their types.
 */
export interface RequestContext {
  requestId: string;
  statements: number;
  slots?: Map<symbol, unknown>;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` (and everything it awaits) as part of the request `context` describes. */
export function withRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequest(): RequestContext | undefined {
  return storage.getStore();
}

/** A typed per-request slot: `get` is undefined outside requests and until `set`. */
export function requestSlot<T>(name: string): { get(): T | undefined; set(value: T): void } {
  const key = Symbol(name);
  return {
    get: () => storage.getStore()?.slots?.get(key) as T | undefined,
    set: (value) => {
      const context = storage.getStore();
      if (!context) return;
      (context.slots ??= new Map()).set(key, value);
    },
  };
}
