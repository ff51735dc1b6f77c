import { GraphQLError } from "graphql";
import type { ApiKeyRole } from "./api-key.entity";
import type { Viewer } from "./auth.service";

export function unauthenticated(message = "An API key is required: send Authorization: Bearer <key>"): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED", http: { status: 401 } } });
}

/** editor < admin: an admin may do everything an editor may. */
export function requireRole(viewer: Viewer | undefined, role: ApiKeyRole): Viewer {
  if (!viewer) throw unauthenticated();
  if (role === "admin" && viewer.role !== "admin") {
    throw new GraphQLError("This API key may not do that: it needs the admin role", {
      extensions: { code: "FORBIDDEN", http: { status: 403 } },
    });
  }
  return viewer;
}
