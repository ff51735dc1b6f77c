import { SLUG_PATTERN, slugFrom } from "../../src/db/slug";

describe("slugFrom", () => {
  it.each([
    ["Moskou roept Baku en Yerevan op", "moskou-roept-baku-en-yerevan-op"],
    ["  Hello,   World!  ", "hello-world"],
    ["2024: EU budget", "2024-eu-budget"],
    ["snake_case_name", "snake-case-name"],
    ["--a--b--", "a-b"],
    ["C++ & C#", "c-c"],
    ["l’homme d'État", "l-homme-d-etat"],
    // Any script, transliterated.
    ["Ünïcödé", "unicode"],
    ["Straße", "strasse"],
    ["Łódź — Kraków", "lodz-krakow"],
    ["Ærø Øresund", "aero-oresund"],
    ["Ağrı İstanbul", "agri-istanbul"],
    ["Žalgiris", "zalgiris"],
    ["Ελλάδα", "ellada"],
    ["Москва", "moskva"],
    ["日本語", "ri-ben-yu"],
    ["🇪🇺 EU", "eu"],
  ])("%j -> %j", (text, slug) => {
    expect(slugFrom(text, "fallback")).toBe(slug);
  });

  it.each([
    ["empty text", ""],
    ["whitespace", " \t\n "],
    ["punctuation only", "!?—…"],
    ["emoji only", "🙂🙂"],
    ["control and zero-width characters", "\u0000\u200b"],
  ])("falls back for %s", (_name, text) => {
    expect(slugFrom(text, "article-7")).toBe("article-7");
  });

  it.each<[string, number, string]>([
    ["a".repeat(200), 120, "a".repeat(120)],
    ["abcdef", 3, "abc"],
    // Cut right after a separator: the dangling hyphen goes.
    ["abc def", 4, "abc"],
    ["abc def", 5, "abc-d"],
    ["ab", 10, "ab"],
  ])("keeps %j within %i characters: %j", (text, max, slug) => {
    expect(slugFrom(text, "fallback", max)).toBe(slug);
  });

  it("falls back when nothing is left within the length", () => {
    expect(slugFrom("hello", "fallback", 0)).toBe("fallback");
    expect(slugFrom("-x", "fallback", 0)).toBe("fallback");
  });

  it("defaults to 120 characters, cutting between words without a dangling hyphen", () => {
    const slug = slugFrom("word ".repeat(40), "fallback");
    // "word-" repeats: 120 characters end in "-", which is dropped.
    expect(slug).toBe(`${"word-".repeat(23)}word`);
    expect(slug).toHaveLength(119);
  });

  it.each(["Moskou roept Baku", "العربية", "Ω≈ç√∫", "a—b–c-d", "x".repeat(500), "日本語のニュース", "ÀÉÎÕÜ"])(
    "makes a slug SLUG_PATTERN accepts from %j",
    (text) => {
      const slug = slugFrom(text, "fallback");
      expect(slug).toMatch(SLUG_PATTERN);
      expect(slug.length).toBeLessThanOrEqual(120);
    },
  );
});

describe("SLUG_PATTERN", () => {
  it.each([
    ["a", true],
    ["2024", true],
    ["eu-2024-budget", true],
    ["a-b-c", true],
    ["", false],
    ["-a", false],
    ["a-", false],
    ["a--b", false],
    ["A", false],
    ["a b", false],
    ["a_b", false],
    ["ä", false],
    ["a/b", false],
    ["a\n", false],
    ["\na", false],
  ])("%j -> %s", (slug, ok) => {
    expect(SLUG_PATTERN.test(slug)).toBe(ok);
  });
});
