import type { SectionService, SectionTree } from "./section.service";

/** The section tree, read at most once per request (and kept by the process between requests). */
export function createSectionLoaders(service: SectionService) {
  let tree: Promise<SectionTree> | undefined;
  return {
    tree: (): Promise<SectionTree> => (tree ??= service.tree()),
    /** The tree, read again when it lacks what the caller looks for (SectionService.having). */
    async having(has: (tree: SectionTree) => boolean): Promise<SectionTree> {
      const kept = await (tree ??= service.tree());
      return has(kept) ? kept : (tree = service.having(has));
    },
  };
}

export type SectionLoaders = ReturnType<typeof createSectionLoaders>;
