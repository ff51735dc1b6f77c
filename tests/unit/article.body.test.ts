import { parseDocument } from "htmlparser2";
import { textContent } from "domutils";
import { adLabel, blocksWithAds, parseBody, readingTimeMinutes, type BodyBlock } from "../../src/article/article.body";

const p = (n: number) => `<p>Paragraph ${n}.</p>`;
const paragraphs = (count: number) => Array.from({ length: count }, (_, i) => p(i + 1)).join("");

describe("parseBody: blocks", () => {
  it.each<[string, string, BodyBlock[]]>([
    ["an empty body", "", []],
    ["only whitespace", "  \n\t ", []],
    ["an empty paragraph", "<p> </p><p></p>", []],
    [
      "a paragraph, inline markup kept in html only",
      "<p>Hello <strong>big</strong>   world</p>",
      [{ kind: "paragraph", html: "Hello <strong>big</strong>   world", text: "Hello big world" }],
    ],
    [
      "b and i as strong and em",
      "<p><b>bold</b> <i>it</i></p>",
      [{ kind: "paragraph", html: "<strong>bold</strong> <em>it</em>", text: "bold it" }],
    ],
    [
      "text outside any element",
      "Loose <em>text</em> here",
      [{ kind: "paragraph", html: "Loose <em>text</em> here", text: "Loose text here" }],
    ],
    [
      "loose text, then a paragraph",
      "Before<p>Inside</p>",
      [
        { kind: "paragraph", html: "Before", text: "Before" },
        { kind: "paragraph", html: "Inside", text: "Inside" },
      ],
    ],
    [
      "headings, h1 folded into h2 and h5/h6 into h4",
      "<h1>One</h1><h3>Three</h3><h5>Five</h5><h6>Six</h6>",
      [
        { kind: "heading", level: 2, text: "One" },
        { kind: "heading", level: 3, text: "Three" },
        { kind: "heading", level: 4, text: "Five" },
        { kind: "heading", level: 4, text: "Six" },
      ],
    ],
    ["an empty heading", "<h2>  </h2>", []],
    [
      "a quote with its source",
      "<blockquote><p>To be, or not to be —</p><cite>Hamlet</cite></blockquote>",
      [{ kind: "quote", text: "To be, or not to be", attribution: "Hamlet" }],
    ],
    [
      "a quote without a source",
      "<blockquote>Words <em>matter</em></blockquote>",
      [{ kind: "quote", text: "Words matter", attribution: null }],
    ],
    ["a quote that is only a source", "<blockquote><cite>Nobody</cite></blockquote>", []],
    [
      "lists, blank items dropped",
      "<ul><li>One</li><li> </li><li>Two <b>2</b></li></ul><ol><li>First</li></ol>",
      [
        { kind: "list", ordered: false, items: ["One", "Two 2"] },
        { kind: "list", ordered: true, items: ["First"] },
      ],
    ],
    ["a list of blank items", "<ul><li></li></ul>", []],
    [
      "a figure with a caption and numeric size",
      '<figure><img src="https://img.example/a.jpg" alt="A" width="640" height="480"><figcaption> The  caption </figcaption></figure>',
      [
        {
          kind: "image",
          url: "https://img.example/a.jpg",
          alt: "A",
          caption: "The caption",
          width: 640,
          height: 480,
        },
      ],
    ],
    [
      "an image alone in a paragraph, size not a number",
      '<p><img src="https://img.example/b.jpg" width="wide" height="123456"></p>',
      [{ kind: "image", url: "https://img.example/b.jpg", alt: null, caption: null, width: null, height: null }],
    ],
    ["an image without a source", '<figure><img alt="nothing"><figcaption>Lost</figcaption></figure>', []],
    ["an image from a javascript: URL", '<img src="javascript:alert(1)">', []],
    [
      "an embed from a known provider",
      '<figure><iframe src="https://www.youtube.com/embed/xyz"></iframe></figure><p><iframe src="https://player.vimeo.com/video/1"></iframe></p>',
      [
        { kind: "embed", provider: "youtube", url: "https://www.youtube.com/embed/xyz" },
        { kind: "embed", provider: "vimeo", url: "https://player.vimeo.com/video/1" },
      ],
    ],
    ["an embed from anywhere else", '<iframe src="https://evil.example/x"></iframe>', []],
    [
      "scripts and styles, content and all",
      "<script>alert(1)</script><style>p{}</style><p>Safe</p>",
      [{ kind: "paragraph", html: "Safe", text: "Safe" }],
    ],
    [
      "wrappers other than the ad marker are looked through",
      "<div><section><p>Deep</p></section></div>",
      [{ kind: "paragraph", html: "Deep", text: "Deep" }],
    ],
  ])("%s", (_name, stored, blocks) => {
    expect(parseBody(stored).blocks).toEqual(blocks);
  });

  it("keeps unicode: text squashed but as written, html the same characters", () => {
    const [block, ...rest] = parseBody("<p>Ελλάδα\u00a0 and  日本語 — «ok» 🇪🇺</p>").blocks;
    expect(rest).toEqual([]);
    expect(block).toMatchObject({ kind: "paragraph", text: "Ελλάδα and 日本語 — «ok» 🇪🇺" });
    // Compared once decoded: the html may spell characters as character references.
    const html = (block as { html: string }).html;
    expect(textContent(parseDocument(html))).toBe("Ελλάδα\u00a0 and  日本語 — «ok» 🇪🇺");
    expect(html).not.toMatch(/<|>/);
  });
});

describe("parseBody: text and word count", () => {
  it.each<[string, string, string, number]>([
    ["nothing", "", "", 0],
    ["blocks joined by blank lines", "<h2>Title</h2><p>One two.</p>", "Title\n\nOne two.", 3],
    ["a quote with its source", "<blockquote>Yes<cite>Ann</cite></blockquote>", "Yes — Ann", 2],
    ["list items one per line", "<ul><li>a</li><li>b</li></ul>", "a\nb", 2],
    [
      "an image's caption, not its alt",
      '<figure><img src="https://i.example/x.jpg" alt="Alt words"><figcaption>Cap</figcaption></figure>',
      "Cap",
      1,
    ],
    ["an embed adds no text", '<iframe src="https://open.spotify.com/x"></iframe><p>Hi</p>', "Hi", 1],
    [
      "apostrophes, hyphens and decimals inside a word",
      "<p>don't re-elect 3.5 l’homme</p>",
      "don't re-elect 3.5 l’homme",
      4,
    ],
    ["punctuation alone is no word", "<p>— … !</p>", "— … !", 0],
    ["other scripts", "<p>Žalgiris Ελλάδα Москва 日本語 2024</p>", "Žalgiris Ελλάδα Москва 日本語 2024", 5],
  ])("%s", (_name, stored, text, words) => {
    const body = parseBody(stored);
    expect([body.text, body.wordCount]).toEqual([text, words]);
  });

  it("re-sanitises what it is given: the html it returns carries nothing the allow-list drops", () => {
    const body = parseBody('<p onclick="x()">Hi<script>bad()</script></p><a href="javascript:x">link</a>');
    expect(body.html).toBe("<p>Hi</p><a>link</a>");
    expect(body.text).toBe("Hi\n\nlink");
  });
});

describe("parseBody: where the ads go", () => {
  it.each<[string, string, number[]]>([
    ["no paragraphs", "", []],
    ["three paragraphs: the slot would be last", paragraphs(3), []],
    ["four paragraphs: after the third", paragraphs(4), [2]],
    ["ten paragraphs: after the 3rd and the 9th", paragraphs(10), [2, 8]],
    ["nine paragraphs: the 9th is last", paragraphs(9), [2]],
    ["sixteen paragraphs: after the 3rd, 9th and 15th", paragraphs(16), [2, 8, 14]],
    ["other blocks do not count as paragraphs", `${p(1)}<h2>H</h2>${p(2)}<ul><li>x</li></ul>${p(3)}${p(4)}`, [4]],
    ["an explicit marker wins over the rule", `${p(1)}<div data-ad-slot></div>${p(2)}${p(3)}${p(4)}${p(5)}`, [0]],
    ["a marker first or last is dropped", `<div data-ad-slot></div>${p(1)}${p(2)}<div data-ad-slot></div>`, []],
    ["two markers in a row give one slot", `${p(1)}<div data-ad-slot></div><div data-ad-slot></div>${p(2)}`, [0]],
    ["markers without paragraphs around them", "<div data-ad-slot></div>", []],
  ])("%s", (_name, stored, adsAfter) => {
    expect(parseBody(stored).adsAfter).toEqual(adsAfter);
  });
});

describe("blocksWithAds", () => {
  it("puts a numbered, labelled slot after each chosen block, at its own position", () => {
    const body = parseBody(paragraphs(10));
    const out = blocksWithAds(body, "story-1", "de", true);
    expect(out).toHaveLength(12);
    expect(out.map((b, i) => [i, b.kind]).filter(([, kind]) => kind === "ad")).toEqual([
      [3, "ad"],
      [10, "ad"],
    ]);
    expect(out[3]).toEqual({ kind: "ad", slotId: "story-1-ad-1", position: 3, label: "Anzeige" });
    expect(out[10]).toEqual({ kind: "ad", slotId: "story-1-ad-2", position: 10, label: "Anzeige" });
  });

  it("leaves the blocks as they are without ads, or without slots", () => {
    const body = parseBody(paragraphs(10));
    expect(blocksWithAds(body, "k", "en", false)).toEqual(body.blocks);
    const short = parseBody(paragraphs(2));
    expect(blocksWithAds(short, "k", "en", true)).toEqual(short.blocks);
  });
});

describe("adLabel and readingTimeMinutes", () => {
  it.each([
    ["nl", "advertentie"],
    ["el", "Διαφήμιση"],
    ["pt-BR", "Publicidade"],
    ["en", "Advertisement"],
    ["ja", "Advertisement"],
    ["", "Advertisement"],
  ])("labels an ad in %j as %j", (language, label) => {
    expect(adLabel(language)).toBe(label);
  });

  it.each([
    [0, 1],
    [1, 1],
    [230, 1],
    [231, 2],
    [460, 2],
    [461, 3],
    [23_000, 100],
  ])("reads %i words in %i minutes", (words, minutes) => {
    expect(readingTimeMinutes(words)).toBe(minutes);
  });
});
