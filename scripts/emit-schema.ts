import fs from "node:fs";
import path from "node:path";
import { printCourantSchema } from "../src/graphql/build-schema";

// Run as `npm run schema:emit`; writes schema/schema.graphql from the code.
const target = path.resolve(__dirname, "../../schema/schema.graphql");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, printCourantSchema());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
