import { InitialContent1764230400000 } from "./1764230400000-initial-content";
import { EditorialAndNewsletter1764316800000 } from "./1764316800000-editorial-and-newsletter";

/** Every migration, oldest first. A new one is added here as well as in its own file. */
export const migrations = [InitialContent1764230400000, EditorialAndNewsletter1764316800000];
