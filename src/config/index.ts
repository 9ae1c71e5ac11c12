export { loadConfig, parseConfigText } from "./load.js";
export { resolveConfig, type ResolveOptions } from "./resolve.js";
export { defaultConfigText, DEFAULT_CONFIG_FILE, DEFAULT_CONFIG_DIR, DEFAULT_KINDS, defaultKinds } from "./defaults.js";
export { ConfigError } from "./errors.js";
export { isProtected } from "./protected.js";
export { CONFIG_SCHEMA_URL } from "./schema.js";
export { SCHEMAS_FOLDER, packageSchemas, refreshSchemas, schemaDirFor } from "./schema-copies.js";
export type * from "./types.js";
