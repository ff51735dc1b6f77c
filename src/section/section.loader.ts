import type { SectionService, SectionTree } from "./section.service";

/** The section tree, read at most once per request (and kept by the process between requests). */
export function createSectionLoaders(service: SectionService) {
  let tree: Promise<SectionTree> | undefined;
  return {
    tree: (): Promise<SectionTree> => (tree ??= service.tree()),
    /**
     * The tree, read again once when it lacks what the caller looks for: a section another process
     * (an import, another instance) made a moment ago, before its event reached this one.
     */
    async having(has: (tree: SectionTree) => boolean): Promise<SectionTree> {
      const kept = await (tree ??= service.tree());
      if (has(kept)) return kept;
      service.forget();
      return (tree = service.tree());
    },
  };
}

export type SectionLoaders = ReturnType<typeof createSectionLoaders>;
