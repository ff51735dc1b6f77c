import type { SectionService, SectionTree } from "./section.service";

/** The section tree, read at most once per request. */
export function createSectionLoaders(service: SectionService) {
  let tree: Promise<SectionTree> | undefined;
  return {
    tree: (): Promise<SectionTree> => (tree ??= service.tree()),
  };
}

export type SectionLoaders = ReturnType<typeof createSectionLoaders>;
