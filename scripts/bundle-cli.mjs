// Runs after `tsc` (npm run build): bundles the installed command (dist/cli/bin.js, package.json
// "bin") with the modules and dependencies it loads into dist/bundle/, one chunk per command and
// shared pieces, so a run reads a few files instead of resolving several hundred modules (README
// "Incremental sync": the start-up is most of a scheduled sync). The chunks sit directly in
// dist/bundle/, at the depth of dist/<folder>/, so the package's own files (schemas, templates,
// package.json) resolve from them as from tsc's output (src/config/package-files.ts).
// Dependencies a module loads through `createRequire` (ajv, only to compile a schema the build did
// not) stay in node_modules and are loaded from there.
import { chmodSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";

const require = createRequire(import.meta.url);
const lazyJsonwebtoken = join(dirname(fileURLToPath(import.meta.url)), "bundle", "lazy-jsonwebtoken.cjs");

const out = "dist/bundle";
rmSync(out, { recursive: true, force: true });
await build({
  input: { "entra-gitops": "dist/cli/bin.js" },
  platform: "node",
  logLevel: "warn",
  resolve: {
    // The Graph client's ES module build (its package.json "module"; rolldown's node platform takes
    // "main", the CommonJS build, whose index evaluates every export: the OneDrive upload tasks,
    // batch content, page iterator…), so only what the gateway imports is bundled and evaluated.
    alias: { "@microsoft/microsoft-graph-client": graphClientEsm() },
  },
  // Its modules only define classes and functions (a static property, tslib's helpers): one whose
  // exports nothing uses is left out, not evaluated for its side effects.
  treeshake: { moduleSideEffects: [{ test: /[\\/]microsoft-graph-client[\\/]lib[\\/]es[\\/]/, sideEffects: false }] },
  plugins: [
    {
      // jsonwebtoken is evaluated only when a certificate credential signs (lazy-jsonwebtoken.cjs).
      name: "lazy-jsonwebtoken",
      resolveId(source, importer) {
        if (source === "jsonwebtoken" && importer !== lazyJsonwebtoken) return lazyJsonwebtoken;
        return null;
      },
    },
  ],
  output: { dir: out, format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js", minify: false },
});
// Executable, as npm makes a package's bin when it links it (and the action links it too).
chmodSync(`${out}/entra-gitops.js`, 0o755);

function graphClientEsm() {
  const root = dirname(require.resolve("@microsoft/microsoft-graph-client/package.json"));
  return join(root, require("@microsoft/microsoft-graph-client/package.json").module);
}
