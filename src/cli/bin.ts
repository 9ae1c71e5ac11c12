#!/usr/bin/env -S node --
/**
 * The installed `entra-gitops` command (package.json "bin"): `npm run build` bundles it with the
 * modules it loads into dist/bundle/ (scripts/bundle-cli.mjs, ARCHITECTURE.md "Build"), so a run
 * reads a few files instead of resolving several hundred modules (README "Incremental sync": the
 * start-up is most of a scheduled sync). It turns on Node's on-disk compile cache where Node has it
 * (22.1 and later; Node 20 runs without), then loads and runs the CLI (index.ts) from a separate
 * chunk, so that the cache covers it.
 *
 * The shebang passes `--` for the reason given in index.ts.
 */
import module from "node:module";

/** `module.enableCompileCache` exists from Node 22.1; @types/node for Node 20 does not declare it. */
type CompileCache = { enableCompileCache?: () => unknown };
(module as unknown as CompileCache).enableCompileCache?.();

const { main } = await import("./index.js");
process.exitCode = await main(process.argv.slice(2));
