import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { startGateway, type TestGateway } from "./helpers/gateway";
import { freePort } from "./helpers/private-mariadb";
import { PUBLIC_ERROR_CODES } from "../src/graphql/errors";

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

  it("shows a webhook receiver that verifies what the gateway sends", async () => {
    const code = /<!-- prettier-ignore -->\n```js\n(import http[\s\S]*?)```/.exec(readme)?.[1];
    expect(code).toBeDefined();
    expect(code!.trim().split("\n").length).toBeLessThanOrEqual(11);
    // Next to the project's node_modules, where `npm i standardwebhooks` would have put the package.
    const dir = path.join(__dirname, "..", "dist");
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `readme-receiver-${process.pid}.mjs`);
    fs.writeFileSync(file, code!);
    const admin = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("readme-admin", "admin")}` };
    const editor = { authorization: `Bearer ${await gw.courant.deps.services.auth.create("readme-desk", "editor")}` };
    const port = await freePort();
    const made = await gw.gql(
      `mutation($input: CreateWebhookInput!) { createWebhook(input: $input) { secret } }`,
      { input: { url: `http://127.0.0.1:${port}/`, events: ["ARTICLE_PUBLISHED"] } },
      admin,
    );
    const child = spawn(process.execPath, [file], {
      env: { PATH: process.env.PATH, PORT: String(port), COURANT_WEBHOOK_SECRET: made.body.data.createWebhook.secret },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    try {
      for (
        let i = 0;
        i < 100 &&
        !(await fetch(`http://127.0.0.1:${port}/`, { method: "POST" }).then(
          () => true,
          () => false,
        ));
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      const sections = (await gw.gql(`{ sections { id } }`)).body.data.sections;
      const created = await gw.gql(
        `mutation($input: CreateArticleInput!) { createArticle(input: $input) { id } }`,
        {
          input: {
            title: "Heard by the receiver",
            language: "en",
            sectionId: sections[0].id,
            authorIds: [],
            body: "<p>x</p>",
          },
        },
        editor,
      );
      await gw.gql(
        `mutation($id: ID!) { publishArticle(id: $id) { id } }`,
        { id: created.body.data.createArticle.id },
        editor,
      );
      for (let i = 0; i < 200 && !out.includes("article.published"); i++) await new Promise((r) => setTimeout(r, 25));
      expect(out).toMatch(/^article\.published https?:\/\/\S+\/en\/heard-by-the-receiver$/m);
    } finally {
      child.kill();
      fs.rmSync(file, { force: true });
    }
  });

  it("names only trusted-document settings, codes and metrics the gateway has", async () => {
    const section = /^## Trusted documents\n([\s\S]*?)\n## /m.exec(readme)![1]!;
    const example = fs.readFileSync(path.join(__dirname, "..", ".env.example"), "utf8");
    for (const m of section.matchAll(/`(TRUSTED_DOCUMENTS[A-Z_]*)[=`]/g))
      expect(example).toMatch(new RegExp(`^#? ?${m[1]}=`, "m"));
    for (const m of section.matchAll(/(\d{3})\s+`([A-Z_]+)`/g)) expect(PUBLIC_ERROR_CODES.has(m[2]!)).toBe(true);
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    for (const m of section.matchAll(/`(courant_[a-z_]+)`/g)) expect(metrics).toContain(`# TYPE ${m[1]} counter`);
    expect(section).toContain("403 `QUERY_NOT_IN_SAFELIST`");
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
