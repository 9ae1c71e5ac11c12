// Runs after `tsc` (npm run build): bundles the installed command (dist/cli/bin.js, package.json
// "bin") with the modules and dependencies it loads into dist/bundle/, one chunk per command and
// shared pieces, so a run reads a few files instead of resolving several hundred modules (README
// "Incremental sync": the start-up is most of a scheduled sync). The chunks sit directly in
// dist/bundle/, at the depth of dist/<folder>/, so the package's own files (schemas, templates,
// package.json) resolve from them as from tsc's output (src/config/package-files.ts).
// Dependencies a module loads through `createRequire` (ajv, only to compile a schema the build did
// not) stay in node_modules and are loaded from there.
import { chmodSync, rmSync } from "node:fs";
import { build } from "rolldown";

const out = "dist/bundle";
rmSync(out, { recursive: true, force: true });
await build({
  input: { "entra-gitops": "dist/cli/bin.js" },
  platform: "node",
  logLevel: "warn",
  output: { dir: out, format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js", minify: false },
});
// Executable, as npm makes a package's bin when it links it (and the action links it too).
chmodSync(`${out}/entra-gitops.js`, 0o755);
