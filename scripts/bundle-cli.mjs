// Runs after `tsc` (npm run build): bundles the installed command (dist/cli/bin.js, package.json
// "bin") with the modules and dependencies it loads into dist/bundle/ (one chunk for the scheduled
// commands, below; the others and the sandbox in chunks of their own), so a run reads a few files
// instead of resolving several hundred modules (README "Incremental sync": the start-up is most of
// a scheduled sync). The chunks sit directly in
// dist/bundle/, at the depth of dist/<folder>/, so the package's own files (schemas, templates,
// package.json) resolve from them as from tsc's output (src/config/package-files.ts).
// Dependencies a module loads through `createRequire` (ajv, only to compile a schema the build did
// not) stay in node_modules and are loaded from there.
import { chmodSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, rolldown } from "rolldown";

const require = createRequire(import.meta.url);
const lazyJsonwebtoken = join(dirname(fileURLToPath(import.meta.url)), "bundle", "lazy-jsonwebtoken.cjs");

const out = "dist/bundle";
rmSync(out, { recursive: true, force: true });
const options = {
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
};
const output = { format: "esm", entryFileNames: "[name].js", chunkFileNames: "[name]-[hash].js", minify: false };

// Every module a run of a scheduled command (sync, drift, plan, validate) loads goes into one chunk,
// "run": Node 20 pays for each ES module file it resolves, reads and links (about 0.5 ms each, and
// such a run loaded some 30 chunks), more than for compiling the few modules of the other commands
// it now holds. The first pass finds those modules: the chunks of the CLI (index.js) and of these
// commands, with every chunk they import statically. The other commands and the sandbox keep chunks
// of their own.
const first = await rolldown(options);
const { output: chunks } = await first.generate(output);
await first.close();
const runModules = modulesLoadedBy(chunks, ["index", "sync", "drift", "plan", "validate"]);
await build({
  ...options,
  output: { ...output, dir: out, codeSplitting: { groups: [{ name: "run", test: (id) => runModules.has(id) }] } },
});
// Executable, as npm makes a package's bin when it links it (and the action links it too).
chmodSync(`${out}/entra-gitops.js`, 0o755);

function graphClientEsm() {
  const root = dirname(require.resolve("@microsoft/microsoft-graph-client/package.json"));
  return join(root, require("@microsoft/microsoft-graph-client/package.json").module);
}

/** The modules of the chunks of `dist/cli/<command>.js` and of every chunk these import statically. */
function modulesLoadedBy(chunks, commands) {
  const byFile = new Map(chunks.filter((c) => c.type === "chunk").map((c) => [c.fileName, c]));
  const roots = [...byFile.values()].filter((c) => commands.some((name) => c.facadeModuleId?.replaceAll("\\", "/").endsWith(`/dist/cli/${name}.js`)));
  if (roots.length !== commands.length) throw new Error(`bundle-cli: expected a chunk for each of ${commands.join(", ")}`);
  const modules = new Set();
  const seen = new Set();
  const visit = (chunk) => {
    if (seen.has(chunk.fileName)) return;
    seen.add(chunk.fileName);
    for (const id of chunk.moduleIds) modules.add(id);
    for (const file of chunk.imports) if (byFile.has(file)) visit(byFile.get(file));
  };
  for (const root of roots) visit(root);
  return modules;
}
