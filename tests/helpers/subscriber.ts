import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export interface Received {
  data?: any;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** A real graphql-ws client over a real WebSocket, as an app would open one. */
export function wsClient(
  httpUrl: string,
  opts: { onClose?: (code: number, reason: string) => void; connectionParams?: Record<string, unknown> } = {},
): Client {
  return createClient({
    connectionParams: opts.connectionParams,
    url: `${httpUrl.replace(/^http/, "ws")}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        opts.onClose?.(e.code, String(e.reason));
      },
    },
    onNonLazyError: () => undefined,
  });
}

/** One subscription: what arrived, and a way to wait for the nth message. */
export function subscribe(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const messages: Received[] = [];
  const waiters: Array<() => void> = [];
  let error: unknown;
  let completed = false;
  const wake = () => waiters.splice(0).forEach((w) => w());
  const dispose = client.subscribe(
    { query, variables },
    {
      next: (m) => {
        messages.push(m as Received);
        wake();
      },
      error: (e) => {
        error = e;
        wake();
      },
      complete: () => {
        completed = true;
        wake();
      },
    },
  );
  return {
    messages,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    dispose,
    /** Resolves once `n` messages (or an error, or completion) arrived; rejects after `ms`. */
    async waitFor(n: number, ms = 10_000): Promise<Received[]> {
      const deadline = Date.now() + ms;
      while (messages.length < n && !error && !completed) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`waited ${ms} ms for ${n} messages, got ${messages.length}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return messages;
    },
  };
}
