import { affected, emptyReads, type CacheReads } from "../../src/cache/cache-dependencies";
import { emptyChange, type ContentChange } from "../../src/events";

/** An article change: article 7 of story "s7", in section 3, by author 11 ("ana"), tagged 21 ("eu"), in Dutch. */
const article = (over: Partial<ContentChange> = {}): ContentChange => ({
  ...emptyChange("article"),
  articleIds: [7],
  storyKeys: ["s7"],
  sectionIds: [3],
  authorIds: [11],
  authorSlugs: ["ana"],
  tagIds: [21],
  tagSlugs: ["eu"],
  languages: ["nl"],
  articleSlugs: ["nl:haven"],
  ...over,
});
const section: ContentChange = { ...emptyChange("section"), sectionIds: [3] };
const author: ContentChange = { ...emptyChange("author"), authorIds: [11] };

const reads = (over: Partial<CacheReads>): CacheReads => ({ ...emptyReads(), ...over });
const list = (where: Record<string, unknown>) => reads({ lists: [where] });

/** Each kind of recorded read against each kind of change: [read, change, evicted?]. */
const table: Array<[string, CacheReads, string, ContentChange, boolean]> = [
  ["nothing", reads({}), "article", article(), false],
  ["nothing", reads({}), "section", section, false],
  ["nothing", reads({}), "author", author, false],
  ["the article itself", reads({ articleIds: new Set([7]) }), "article", article(), true],
  ["another article", reads({ articleIds: new Set([8]) }), "article", article(), false],
  ["the article itself", reads({ articleIds: new Set([7]) }), "section", section, false],
  ["a version of its story", reads({ storyKeys: new Set(["s7"]) }), "article", article(), true],
  ["another story", reads({ storyKeys: new Set(["s8"]) }), "article", article(), false],
  [
    "its slug in its language (found or not)",
    reads({ articleSlugs: new Set(["nl:haven"]) }),
    "article",
    article(),
    true,
  ],
  ["its slug in any language", reads({ articleSlugs: new Set(["*:haven"]) }), "article", article(), true],
  ["its slug in another language", reads({ articleSlugs: new Set(["de:haven"]) }), "article", article(), false],
  ["another slug", reads({ articleSlugs: new Set(["nl:dijk"]) }), "article", article(), false],
  ["an unfiltered list", list({}), "article", article(), true],
  ["its section's list", list({ sectionIds: [1, 3] }), "article", article(), true],
  ["another section's list", list({ sectionIds: [4] }), "article", article(), false],
  ["its author's list by id", list({ authorId: 11 }), "article", article(), true],
  ["another author's list", list({ authorId: 12 }), "article", article(), false],
  ["its author's list by slug", list({ authorSlug: "ana" }), "article", article(), true],
  ["another author's list by slug", list({ authorSlug: "bo" }), "article", article(), false],
  ["its tag's list by id", list({ tagId: 21 }), "article", article(), true],
  ["another tag's list", list({ tagId: 22 }), "article", article(), false],
  ["its tag's list by slug", list({ tagSlug: "eu" }), "article", article(), true],
  ["another tag's list by slug", list({ tagSlug: "nato" }), "article", article(), false],
  ["its language's list", list({ language: "nl" }), "article", article(), true],
  ["another language's list", list({ language: "de" }), "article", article(), false],
  ["a fallback list that includes its language", list({ languages: ["lt", "nl"] }), "article", article(), true],
  ["a fallback list without its language", list({ languages: ["lt", "de"] }), "article", article(), false],
  ["a list matching on every filter", list({ sectionIds: [3], tagId: 21, language: "nl" }), "article", article(), true],
  [
    "a list failing one filter of several",
    list({ sectionIds: [3], tagId: 21, language: "de" }),
    "article",
    article(),
    false,
  ],
  ["a list", list({}), "section", section, false],
  ["related lists in its language", reads({ languages: new Set(["nl"]) }), "article", article(), true],
  ["related lists in another language", reads({ languages: new Set(["de"]) }), "article", article(), false],
  ["search in every language", reads({ languages: new Set(["*"]) }), "article", article(), true],
  ["the section tree", reads({ sections: true }), "section", section, true],
  ["the section tree", reads({ sections: true }), "article", article(), false],
  ["the author list", reads({ authorList: true }), "author", author, true],
  ["that author", reads({ authorIds: new Set([11]) }), "author", author, true],
  ["another author", reads({ authorIds: new Set([12]) }), "author", author, false],
  ["that author", reads({ authorIds: new Set([11]) }), "section", section, false],
  // An article leaving a list: the change carries the section it was in before, too.
  ["the section it left", list({ sectionIds: [2] }), "article moved", article({ sectionIds: [2, 3] }), true],
];

describe("affected(): which recorded reads a change evicts", () => {
  it.each(table.map(([r, read, c, change, e]) => [r, c, e, read, change] as const))(
    "a response that read %s, after a %s change: evicted %s",
    (_r, _c, expected, read, change) => {
      expect(affected(read, change)).toBe(expected);
    },
  );

  it("covers every kind of read and change at least once each way", () => {
    const kinds = new Set(table.map(([, , c]) => c.split(" ")[0]));
    expect([...kinds].sort()).toEqual(["article", "author", "section"]);
    expect(table.some(([, , , , e]) => e)).toBe(true);
    expect(table.some(([, , , , e]) => !e)).toBe(true);
  });
});
