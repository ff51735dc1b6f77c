/** What the process is doing; readiness and the request gate read it. */
export interface Lifecycle {
  ready: boolean;
  shuttingDown: boolean;
  /** Why the gateway is not ready, for /readyz. */
  reason: string;
}
