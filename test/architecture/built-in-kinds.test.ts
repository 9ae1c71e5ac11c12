/**
 * A built-in kind is its descriptor module (ARCHITECTURE.md, "Kinds"; issue 14 item 2): the kind
 * vocabulary, its order, the opt-in kinds, the reference prefixes and the registry's descriptors are
 * generated from src/kinds/*.ts by `npm run kinds`, and no other file of src/ or scripts/ keeps a
 * list of kinds that a new kind would have to be added to.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { describe, expect, it } from "vitest";
import {
  kindIndex,
  MODEL_INDEX_PATH,
  previousKindOrder,
  REGENERATE_COMMAND,
  REGISTRY_INDEX_PATH,
  renderModelIndex,
  renderRegistryIndex,
  type KindModule,
} from "../../scripts/kind-index.js";
import { KIND_NAMES } from "../../src/model/kind.js";

const root = resolve(import.meta.dirname, "..", "..");
const kindsDir = join(root, "src", "kinds");
const modules: KindModule[] = readdirSync(kindsDir)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => ({ file, text: readFileSync(join(kindsDir, file), "utf8") }));
const committedModel = readFileSync(join(root, MODEL_INDEX_PATH), "utf8");
const committedRegistry = readFileSync(join(root, REGISTRY_INDEX_PATH), "utf8");

/** A new built-in descriptor module, written as any kind author would. */
const THROWAWAY: KindModule = {
  file: "throwawayGadgetPolicy.ts",
  text: `import type { KindDescriptor } from "./types.js";

export const throwawayGadgetPolicy = {
  kind: "throwawayGadgetPolicy",
  optIn: true,
  reference: { prefix: "throwawayGadget" },
  title: "throwaway gadget policy",
} satisfies Partial<KindDescriptor>;
`,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("built-in kinds come from their descriptor modules alone", () => {
  it(`the committed index is what \`${REGENERATE_COMMAND}\` writes from src/kinds/`, () => {
    const index = kindIndex(modules, previousKindOrder(committedModel));
    const stale = `${MODEL_INDEX_PATH} / ${REGISTRY_INDEX_PATH} are out of date with src/kinds/: run \`${REGENERATE_COMMAND}\``;
    expect(committedModel, stale).toBe(renderModelIndex(index));
    expect(committedRegistry, stale).toBe(renderRegistryIndex(index));
    expect(index.kinds).toEqual([...KIND_NAMES]);
    expect(index.kinds.length).toBeGreaterThanOrEqual(48);
  });

  it("adding a descriptor module adds the kind to the vocabulary (at the end), the registry, the opt-in kinds and the prefixes", () => {
    const before = kindIndex(modules, previousKindOrder(committedModel));
    const after = kindIndex([...modules, THROWAWAY], previousKindOrder(committedModel));
    expect(after.kinds).toEqual([...before.kinds, "throwawayGadgetPolicy"]);
    expect(after.optIn).toContain("throwawayGadgetPolicy");
    expect(after.prefixes).toContain("throwawayGadget");
    const registry = renderRegistryIndex(after);
    expect(registry).toContain(`import { throwawayGadgetPolicy } from "./throwawayGadgetPolicy.js";`);
    expect(registry).toMatch(/^ {2}throwawayGadgetPolicy,$/m);
    expect(renderModelIndex(after)).toMatch(/^ {2}"throwawayGadgetPolicy",$/m);
    // Removing it again gives the committed files back, order included.
    const model = renderModelIndex(after);
    expect(renderModelIndex(kindIndex(modules, previousKindOrder(model)))).toBe(committedModel);
    // A module that is not a descriptor (no `export const <file name>` naming itself) is no kind.
    expect(kindIndex([...modules, { file: "helpers.ts", text: `export const helpers = 1;` }]).kinds).not.toContain("helpers");
  });

  it("a merge conflict in the index resolves by regenerating it: both sides' kinds keep their places", () => {
    const [first, second, ...rest] = KIND_NAMES;
    const conflicted = [
      "export const KIND_NAMES = [",
      `  "${first}",`,
      "<<<<<<< HEAD",
      `  "${second}",`,
      "=======",
      `  "throwawayGadgetPolicy",`,
      ">>>>>>> theirs",
      ...rest.map((k) => `  "${k}",`),
      "] as const;",
      "export const BUILT_IN_OPT_IN = [",
      '  "user",',
      "];",
    ].join("\n");
    const index = kindIndex([...modules, THROWAWAY], previousKindOrder(conflicted));
    expect(index.kinds).toEqual([first, second, "throwawayGadgetPolicy", ...rest]);
  });

  it("no file of src/ or scripts/ but the generated index names a third or more of the built-in kinds (a hand-kept list)", () => {
    const generated = new Set([MODEL_INDEX_PATH, REGISTRY_INDEX_PATH]);
    const limit = Math.ceil(KIND_NAMES.length / 3);
    const lists: string[] = [];
    for (const file of [...sourceFiles(join(root, "src")), ...sourceFiles(join(root, "scripts"))]) {
      const path = relative(root, file).split(sep).join("/");
      if (generated.has(path)) continue;
      const text = readFileSync(file, "utf8");
      const named = KIND_NAMES.filter((k) => text.includes(`"${k}"`) || text.includes(`/${k}.js"`));
      if (named.length >= limit) lists.push(`${path} names ${named.length} kinds`);
    }
    expect(lists).toEqual([]);
    // The check sees a list when there is one: the generated index itself.
    expect(KIND_NAMES.filter((k) => committedRegistry.includes(`/${k}.js"`))).toHaveLength(KIND_NAMES.length);
  });
});
