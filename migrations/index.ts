import { InitialContent1764230400000 } from "./1764230400000-initial-content";

/** Every migration, oldest first. A new one is added here as well as in its own file. */
export const migrations = [InitialContent1764230400000];
