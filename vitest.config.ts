import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Creates one sandbox TLS certificate and sets NODE_EXTRA_CA_CERTS before workers start:
    // Node reads that variable only at process start, and the default `forks` pool spawns the
    // workers after global setup, so they inherit it.
    globalSetup: ["test/global-setup.ts"],
    // Each test file gets its own TMPDIR, removed after it (test/temp-per-file.ts).
    setupFiles: ["test/temp-per-file.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
