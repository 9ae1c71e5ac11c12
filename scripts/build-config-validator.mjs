// Runs after `tsc` (npm run build): writes the configuration schema's validator as standalone code
// to dist/config/config-validator.cjs, so that no run compiles the schema (src/config/schema.ts).
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { configValidatorModule } from "../dist/config/schema-standalone.js";

writeFileSync(fileURLToPath(import.meta.resolve("../dist/config/config-validator.cjs")), configValidatorModule());
