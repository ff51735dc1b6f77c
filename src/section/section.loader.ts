import type { SectionService, SectionTree } from "./section.service";

/** The section tree, read at most once per request (and kept by the process between requests). */
export function createSectionLoaders(service: SectionService) {
  let tree: Promise<SectionTree> | undefined;
  /** The tree `tree` resolved to, once it has: list fields read it without a promise per item. */
  let read: SectionTree | undefined;
  const keep = (reading: Promise<SectionTree>): Promise<SectionTree> => {
    read = undefined;
    const kept: Promise<SectionTree> = reading.then((t) => {
      if (tree === kept) read = t;
      return t;
    });
    return (tree = kept);
  };
  return {
    tree: (): Promise<SectionTree> => tree ?? keep(service.tree()),
    /** The tree, read again when it lacks what the caller looks for (SectionService.having). */
    async having(has: (tree: SectionTree) => boolean): Promise<SectionTree> {
      const kept = await (tree ?? keep(service.tree()));
      return has(kept) ? kept : keep(service.having(has));
    },
    /** The tree already read in this request when it holds the section `id`, else undefined. */
    readWith(id: number): SectionTree | undefined {
      return read?.byId.has(id) ? read : undefined;
    },
  };
}

export type SectionLoaders = ReturnType<typeof createSectionLoaders>;
