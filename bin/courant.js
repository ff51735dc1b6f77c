#!/usr/bin/env node
"use strict";
const path = require("node:path");
const fs = require("node:fs");
const entry = path.join(__dirname, "..", "dist", "src", "cli", "main.js");
if (!fs.existsSync(entry)) {
  console.error("courant: not built yet: run `npm run build` (npm ci does it too)");
  process.exit(1);
}
require(entry);
