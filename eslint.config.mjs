import js from "@eslint/js";
import tseslint from "typescript-eslint";

// Layers (CONVENTIONS.md): imports point down only. ESLint's own no-restricted-imports states
// them, one block a layer, with no plugin to keep in step with ESLint and typescript-eslint.
const DOMAINS =
  "article|section|author|tag|trending|search|newsletter|site|auth|idempotency|live|documents|distribution";
const ENTRY = "cli|import|seed|bench";
const below = (message, ...folders) => ({
  regex: `^(\\.\\./)+(${folders.join("|")})(/|$)`,
  message,
});
const layers = [
  {
    // Bottom: data source, SQL helpers, metrics, config, logging, request context, rate limits.
    files: [
      "src/db/**/*.ts",
      "src/metrics/**/*.ts",
      "src/config.ts",
      "src/log.ts",
      "src/request-context.ts",
      "src/tracing.ts",
      "src/lifecycle.ts",
      "src/rate-limit.ts",
    ],
    patterns: [
      below(
        "db/, metrics/ and the settings modules are the bottom layer: no domain, GraphQL, cache, events or transport imports.",
        DOMAINS,
        "graphql",
        "cache",
        "events",
        "http",
        ENTRY,
      ),
    ],
  },
  {
    // Shared GraphQL plumbing and the cache: below the domains. The composition roots
    // (build-schema, context, node resolver) are the one place that names every domain.
    files: ["src/graphql/**/*.ts", "src/cache/**/*.ts", "src/events/**/*.ts"],
    ignores: ["src/graphql/build-schema.ts", "src/graphql/context.ts", "src/graphql/node.resolver.ts"],
    patterns: [
      below(
        "Shared GraphQL types and the cache take no row types or helpers from a domain folder: move the shared piece down.",
        DOMAINS,
        "http",
        ENTRY,
      ),
    ],
  },
  {
    files: [`src/{${DOMAINS.replaceAll("|", ",")}}/**/*.ts`],
    patterns: [below("Domain folders never import the transport or an entry point.", "http", ENTRY)],
  },
  {
    files: ["src/**/*.args.ts", "src/**/*.inputs.ts"],
    patterns: [
      {
        regex: "\\.resolver$",
        message: "Args and inputs never import resolvers: move the shared helper into the args file.",
      },
    ],
  },
].map(({ files, ignores, patterns }) => ({
  files,
  ...(ignores ? { ignores } : {}),
  rules: { "no-restricted-imports": ["error", { patterns }] },
}));

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "data/", "coverage/", "examples/**/dist/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-non-null-assertion": "off",
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: "Read settings from Config (src/config.ts); nothing else reads process.env.",
        },
      ],
    },
  },
  ...layers,
  {
    files: ["src/config.ts", "scripts/**", "tests/**", "bench/**", "bin/**", "*.js", "*.mjs"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Tests read GraphQL answers as loosely typed JSON on purpose.
    files: ["tests/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    files: ["bin/**/*.js", "scripts/**/*.js", "*.js"],
    languageOptions: {
      globals: {
        require: "readonly",
        __dirname: "readonly",
        process: "readonly",
        console: "readonly",
        module: "writable",
        URL: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Client examples: plain ES modules run by Node, as a reader would copy them.
    files: ["examples/**/*.mjs"],
    languageOptions: { globals: { console: "readonly", fetch: "readonly", URL: "readonly", process: "readonly" } },
  },
);
