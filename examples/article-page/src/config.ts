/** Where the gateway answers: VITE_COURANT_URL at build time, else a gateway on this machine. */
export const COURANT_URL = (import.meta.env.VITE_COURANT_URL || "http://127.0.0.1:4000").replace(/\/+$/, "");
export const GRAPHQL_URL = `${COURANT_URL}/graphql`;
export const BEACON_URL = `${COURANT_URL}/beacon/view`;
/** Stories per page on a section front. */
export const PAGE_SIZE = Number(import.meta.env.VITE_PAGE_SIZE || 4);

/** An absolute URL from the API (built on the gateway's PUBLIC_SITE_URL) as a path in this app. */
export function toPath(url: string): string {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
}
