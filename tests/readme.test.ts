import fs from "node:fs";
import path from "node:path";
import { startGateway, type TestGateway } from "./helpers/gateway";

const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("README", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite", { seedDemo: true });
  });
  afterAll(() => gw?.close());

  it("shows the two commands", () => {
    expect(readme).toContain("npm ci && npm start");
    expect(readme).toContain("npm test");
  });

  it("shows a first query whose answer is what the demo gateway really answers", async () => {
    const query = /```graphql\n([\s\S]*?)```/.exec(readme)?.[1];
    const answer = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(query).toBeDefined();
    const res = await gw.gql(query!);
    // The whole answer, extensions included: the README shows exactly what a client receives.
    expect(res.body).toEqual(JSON.parse(answer!));
    // The curl line sends the same query.
    const curl = /-d '(\{"query".*\})'/.exec(readme)?.[1];
    const curlQuery = JSON.parse(curl!).query as string;
    expect(curlQuery.replace(/\s+/g, " ").trim()).toBe(query!.replace(/\s+/g, " ").trim());
  });

  it("names only editorial mutations and metrics the gateway has", async () => {
    const editorial = /^- Editorial:([\s\S]*?)\n- /m.exec(readme)![1]!;
    const named = [...editorial.matchAll(/`([a-z][A-Za-z]+)`/g)].map((m) => m[1]!);
    const mutations = /type Mutation \{([\s\S]*?)\n\}/.exec(
      fs.readFileSync(path.join(__dirname, "..", "schema", "schema.graphql"), "utf8"),
    )![1]!;
    const fields = new Set([...mutations.matchAll(/^ {2}([a-zA-Z]+)\(/gm)].map((m) => m[1]));
    const inputs = ["version", "null", "clientMutationId"];
    expect(named.filter((n) => !fields.has(n) && !inputs.includes(n))).toEqual([]);
    expect(named).toEqual(expect.arrayContaining(["archiveArticle", "clientMutationId"]));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    for (const m of editorial.matchAll(/`(courant_[a-z_]+)`/g)) expect(metrics).toContain(`# TYPE ${m[1]} counter`);
  });

  it("lists every setting in .env.example", () => {
    const example = fs.readFileSync(path.join(__dirname, "..", ".env.example"), "utf8");
    const config = fs.readFileSync(path.join(__dirname, "..", "src", "config.ts"), "utf8");
    const schemaBlock = /const EnvSchema = z\s*\.object\(\{([\s\S]*?)\n {2}\}\)/.exec(config)![1]!;
    const settings = [...schemaBlock.matchAll(/^\s{4}([A-Z_]+):/gm)].map((m) => m[1]);
    expect(settings.length).toBeGreaterThan(10);
    for (const s of settings) expect(example).toMatch(new RegExp(`^#? ?${s}=`, "m"));
  });
});

describe("README article page query", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway("sqlite", { seedDemo: true });
  });
  afterAll(() => gw?.close());

  it("runs against the demo and shows the 'advertentie' ad slot", async () => {
    const query = /```graphql\n(query ArticlePage[\s\S]*?)```/.exec(readme)?.[1];
    const res = await gw.gql(query!, { slug: "moskou-roept-baku-en-yerevan-op-om-te-onderhandelen", language: "nl" });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.article.body.blocks).toContainEqual({
      __typename: "AdSlotBlock",
      slotId: expect.any(String),
      label: "advertentie",
    });
    expect(res.body.data.article.translations.map((t: { language: string }) => t.language)).toEqual(["de", "en"]);
  });
});
