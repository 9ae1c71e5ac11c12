import type { Diagnostic } from "../model/document.js";

/** The configuration file is missing, is not YAML, or does not match its schema. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly diagnostics: readonly Diagnostic[] = [],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}
