import js from "@eslint/js";
import tseslint from "typescript-eslint";

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
