// Runs after `tsc` (npm run build): writes each built-in kind schema's validator as standalone code
// to dist/kind-validators/<kind>.cjs (<kind>.beta.cjs for a beta schema), so that no run compiles a
// kind schema (src/documents/schema/validators.ts loads the one of each kind it validates).
import { mkdirSync, writeFileSync } from "node:fs";
import { URL } from "node:url";
import { PACKAGE_KIND_VALIDATORS } from "../dist/config/package-files.js";
import { kindValidatorModules } from "../dist/documents/schema/validators-standalone.js";

mkdirSync(PACKAGE_KIND_VALIDATORS, { recursive: true });
for (const [file, code] of kindValidatorModules()) writeFileSync(new URL(file, PACKAGE_KIND_VALIDATORS), code);
