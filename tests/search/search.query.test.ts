import { highlight } from "../../src/search/search.highlight";
import { fts5AllUnits, mysqlAllUnits, mysqlAnyUnit, parseSearchQuery } from "../../src/search/search.query";

describe("parseSearchQuery", () => {
  it.each([
    ["Baku Yerevan", [["baku"], ["yerevan"]]],
    ['"Nagorno Karabach" talks', [["nagorno", "karabach"], ["talks"]]],
    ["Nagorno-Karabach", [["nagorno", "karabach"]]],
    [
      "l'Europe COVID-19",
      [
        ["l", "europe"],
        ["covid", "19"],
      ],
    ],
    ['"unbalanced quote', [["unbalanced"], ["quote"]]],
    ['"de la" EU AI', []],
    ["Élections à Bakou", [["élections"], ["bakou"]]],
    ["walrus walrus WALRUS", [["walrus"]]],
    [
      "+walrus -ice ~arctic walrus* title:x NEAR(a b)",
      [["walrus"], ["ice"], ["arctic"], ["title", "x"], ["near", "a"]],
    ],
    ["' OR 1=1 --", []],
    ['"; DROP TABLE articles; --', [["drop"], ["table"], ["articles"]]],
    ["🦭 \u0000 \u202E", []],
    ["x".repeat(85), []],
  ])("%j gives %j", (input, units) => {
    expect(parseSearchQuery(input).units).toEqual(units);
  });

  it.each(["", "   ", "\n\t", "a".repeat(201)])("refuses %j", (input) => {
    expect(() => parseSearchQuery(input)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: "BAD_USER_INPUT" }) }),
    );
  });

  it("builds MATCH expressions from quoted tokens only", () => {
    const q = parseSearchQuery('"Nagorno-Karabach" Baku) OR (*');
    expect(mysqlAllUnits(q)).toBe('+"nagorno karabach" +"baku"');
    expect(mysqlAnyUnit(q)).toBe('"nagorno karabach" "baku"');
    expect(fts5AllUnits(q)).toBe('"nagorno karabach" "baku"');
  });
});

describe("highlight", () => {
  const q = (s: string) => parseSearchQuery(s);

  it("marks words whatever their case and accents, and escapes the rest", () => {
    expect(
      highlight(q("bakou elections"), { title: "Élections à <Bakou> & co", standfirst: null, bodyText: null }),
    ).toBe("<mark>Élections</mark> à &lt;<mark>Bakou</mark>&gt; &amp; co");
  });

  it("prefers the passage covering most of the query, and cuts it at word boundaries", () => {
    const body = `${"Filler words go here. ".repeat(20)}The walrus met the seal on the ice. ${"More filler text. ".repeat(20)}`;
    const h = highlight(q("walrus seal"), { title: "Walrus", standfirst: "Only the walrus.", bodyText: body })!;
    expect(h).toMatch(/^….*<mark>walrus<\/mark> met the <mark>seal<\/mark>.*…$/);
    expect(h.length).toBeLessThan(220);
    expect(h).not.toMatch(/…\S*[a-z]…/);
  });

  it("falls back to the title, and gives null when nothing occurs literally", () => {
    expect(highlight(q("walrus"), { title: "Walrus news", standfirst: "Nothing", bodyText: "Nothing here" })).toBe(
      "<mark>Walrus</mark> news",
    );
    expect(highlight(q("walrus"), { title: "Seal", standfirst: null, bodyText: null })).toBeNull();
  });

  it("marks phrases as one passage and not their words apart", () => {
    expect(highlight(q('"roept Bakoe"'), { title: "Bakoe roept, roept Bakoe", standfirst: null, bodyText: null })).toBe(
      "Bakoe roept, <mark>roept Bakoe</mark>",
    );
  });
});
