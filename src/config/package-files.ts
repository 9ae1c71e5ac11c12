/**
 * Where the package's own files are (`schemas/`, `templates/`, `package.json`, `dist/`), found from
 * this module's URL. Every module that reads one of them sits at the same depth (`src/<folder>/`,
 * built to `dist/<folder>/`), and so does the bundled CLI (`dist/bundle/`, ARCHITECTURE.md "Build"):
 * a path relative to `import.meta.url` written here resolves alike in the sources, tsc's output
 * and the bundle. A module deeper in the tree takes its URL from here instead of counting `../`.
 */
export const PACKAGE_ROOT = new URL("../../", import.meta.url);

/** `schemas/`: the committed JSON schemas of the configuration and of every kind. */
export const PACKAGE_SCHEMAS = new URL("schemas/", PACKAGE_ROOT);

/**
 * `dist/kind-validators/`: each kind schema's validator as standalone code, written by `npm run
 * build` (scripts/build-kind-validators.mjs); the sources under test find the build's too.
 */
export const PACKAGE_KIND_VALIDATORS = new URL("dist/kind-validators/", PACKAGE_ROOT);
