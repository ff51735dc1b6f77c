import { byline } from "../../src/article/article.presenter";

const alex = { name: "Alex Ivanov", role: "Moscow correspondent" };
const maria = { name: "Maria Rossi", role: null };
const jan = { name: "Jan de Vries", role: "Brussels bureau" };

describe("byline", () => {
  it("joins the names the way the article's language does, with the first author's role", () => {
    expect(byline("en", [alex])).toBe("Alex Ivanov, Moscow correspondent");
    expect(byline("fr", [alex, maria, jan])).toBe("Alex Ivanov, Maria Rossi et Jan de Vries, Moscow correspondent");
    expect(byline("de", [maria, jan])).toBe("Maria Rossi und Jan de Vries");
    expect(byline("en", [])).toBeNull();
  });

  it("answers the same for a language asked again, and in English for a language tag Intl refuses", () => {
    const first = byline("nl", [maria, jan]);
    expect(byline("nl", [maria, jan])).toBe(first);
    expect(first).toBe("Maria Rossi en Jan de Vries");
    expect(byline("not a language!", [maria, jan])).toBe("Maria Rossi and Jan de Vries");
    expect(byline("not a language!", [jan, maria])).toBe("Jan de Vries and Maria Rossi, Brussels bureau");
  });
});
