/**
 * Regenerates the built-in kind index from the descriptor modules of src/kinds/ (see kind-index.ts):
 *
 *   npm run kinds        (also the first step of `npm run schemas`)
 *
 * Imports nothing of src/, so it runs even when the committed index is out of date.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { kindIndex, MODEL_INDEX_PATH, previousKindOrder, REGISTRY_INDEX_PATH, renderModelIndex, renderRegistryIndex } from "./kind-index.js";

const dir = join("src", "kinds");
// The committed order is kept (also through a merge conflict in the file: run this to resolve it).
const previous = existsSync(MODEL_INDEX_PATH) ? previousKindOrder(readFileSync(MODEL_INDEX_PATH, "utf8")) : [];
const index = kindIndex(
  readdirSync(dir).map((file) => ({ file, text: readFileSync(join(dir, file), "utf8") })),
  previous,
);
writeFileSync(MODEL_INDEX_PATH, renderModelIndex(index));
writeFileSync(REGISTRY_INDEX_PATH, renderRegistryIndex(index));
process.stdout.write(`${MODEL_INDEX_PATH}\n${REGISTRY_INDEX_PATH}\n(${index.kinds.length} kinds, ${index.optIn.length} opt-in)\n`);
