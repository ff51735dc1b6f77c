import { engineCanMatch, engineMatch, engineText, sphinxConfig } from "../../src/search/engine/sphinx";
import { parseSearchQuery } from "../../src/search/search.query";

describe("what the search engine is sent", () => {
  it("indexes the words the query parser sees, folded as it folds them, one space apart", () => {
    expect(engineText("Élections à Bakou: l'opposition «dénonce» Straße, COVID-19 & test_word")).toBe(
      "elections a bakou l opposition denonce strasse covid 19 test_word",
    );
    expect(engineText("Москва — ΑΘΗΝΑ")).toBe("москва αθηνα");
    expect(engineText(null)).toBe("");
  });

  it("asks for every unit, phrases quoted, in the same folded form", () => {
    expect(engineMatch(parseSearchQuery('Zürich "roept Bakoe" Nagorno-Karabach'))).toBe(
      'zurich "roept bakoe" "nagorno karabach"',
    );
    // Nothing a reader types reaches the engine as an operator: only folded words and quotes.
    const hostile = engineMatch(parseSearchQuery('walrus | -ice @title "x" NEAR/3 (arctic) MAYBE ^seal$ ~walrus* !'));
    expect(hostile).toMatch(/^[a-z0-9_" ]+$/);
    expect(hostile).not.toMatch(/[A-Z]/);
    // Folding can make operator characters ("⑴" is "(1)" once decomposed): they are cut out, as the index cuts them.
    expect(engineMatch(parseSearchQuery("⑴⑵⑶ walrus"))).toBe('"1 2 3" walrus');
    expect(engineText("⑴⑵⑶ walrus")).toBe("1 2 3 walrus");
  });

  it("sends words with characters past what the index keeps to the database instead", () => {
    expect(engineCanMatch(parseSearchQuery("walrus 𠀀𠀀𠀀"))).toBe(true);
    expect(engineCanMatch(parseSearchQuery("walrus \u{30000}\u{30001}\u{30002}"))).toBe(false);
  });

  it("declares the indexes on the port and in the directory asked for", () => {
    const conf = sphinxConfig({ dir: "/var/lib/s", port: 9412 });
    expect(conf).toContain("listen = 127.0.0.1:9412:mysql41");
    expect(conf).toContain("path = /var/lib/s/courant_articles");
    expect(conf).toContain("charset_table = 0..9, a..z, _, U+80..U+2FFFF");
  });
});
