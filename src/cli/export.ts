import { Command } from "commander";
import { refreshSchemas, schemaDirFor, SCHEMAS_FOLDER } from "../config/index.js";
import { exportTenant } from "../engine/export.js";
import { environmentView } from "../documents/environment-view.js";
import { betaCheckWarnings } from "../engine/snapshot/beta-only.js";
import { ExitRequest, EXIT } from "./errors.js";
import { credentialsFile, environmentOf, idMapDisplayPath, readEnvironmentIds, writeEnvironmentIds } from "../state/environment-state.js";
import { formatTenantState } from "../state/tenant-state.js";
import { writeFileAtomic } from "../files/atomic-write.js";
import { readFile } from "node:fs/promises";
import { stateEnvironment } from "../state/paths.js";
import { out, progress, seconds } from "./output.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";
import { proposeBreakGlassInConfig } from "./break-glass-proposal.js";

export function command(): Command {
  return new Command("export")
    .description("write the tenant's configuration as YAML documents under the config folder")
    .option("--kinds <kinds>", "comma-separated kinds to export (default: the kinds in the configuration)")
    .action(async (options: { kinds?: string }, cmd: Command) => {
      const config = readConfig(globalOptions(cmd));
      const descriptors = kindsInScope(config, options.kinds);
      const gateway = connect(config, progress);
      const started = Date.now();
      const schemas = await refreshSchemas(config.rootDir);
      const result = await exportTenant(gateway, descriptors, config.configDirPath, {
        ids: await readEnvironmentIds(config),
        environment: environmentView(config),
        schemaDir: schemaDirFor(config.rootDir, config.configDirPath),
        scope: config.kinds,
        streams: true,
        onKind: (kind, count) => progress(count instanceof Error ? `${kind}: FAILED: ${count.message}` : `${kind}: ${count} object(s)`),
      });
      const idsChanged = await writeEnvironmentIds(config, result.ids);
      // Several environments: credential metadata is this environment's state, not the shared documents'.
      if (result.tenantState && result.failed.size === 0) {
        const text = formatTenantState(result.tenantState, environmentOf(config));
        const file = credentialsFile(config);
        if ((await readFile(file, "utf8").catch(() => undefined)) !== text) await writeFileAtomic(file, text, { durable: false, createFolder: true });
      }
      const stats = gateway.stats;
      out(`exported ${result.snapshot.documents.length} object(s) to ${config.configDir}/: ${result.created.length} new, ${result.updated.length} changed, ${result.unchanged} unchanged, ${result.removed.length} removed`);
      for (const [kind, count] of result.counts) out(`  ${kind}: ${count}`);
      if (result.streamFiles && result.streamFiles.length > 0) out(`images and style sheets written or removed beside their documents: ${result.streamFiles.length}`);
      if (schemas.length > 0) out(`refreshed ${schemas.length} schema(s) in ${SCHEMAS_FOLDER}/ (the documents' $schema modelines point there)`);
      for (const warning of betaCheckWarnings(result.snapshot.betaChecks, result.snapshot.documents)) progress(`warning: ${warning.address ? `${warning.address}: ` : ""}${warning.message}`);
      // Without Application.Read.All the appIds export would name (first-party apps in policies, API permissions) stay GUIDs.
      if (result.snapshot.index.servicePrincipalsRefused) progress("warning: appIds stay GUIDs without their # name comments: Graph refused to list service principals (Application.Read.All is missing)");
      if (result.snapshot.index.directoryObjectsRefused) progress("warning: Graph refused POST /directoryObjects/getByIds (Directory.Read.All is missing): ids outside the managed kinds were looked up as users, groups and service principals with this identity's permissions; any other stays a GUID without its # name comment");
      if (idsChanged) out(`object ids of environment ${stateEnvironment(environmentOf(config))}: ${idMapDisplayPath(config)}`);
      if (result.migratedIds > 0) out(`moved the ids of ${result.migratedIds} document(s) out of the documents into ${idMapDisplayPath(config)}`);
      out(`requests: ${stats.requests}, retries: ${stats.retries}, throttled: ${stats.throttled}, waited: ${seconds(stats.waitedMs)}, duration: ${seconds(Date.now() - started)}`);
      const proposed = await proposeBreakGlassInConfig(config, result.snapshot);
      if (proposed) out(proposed);
      if (result.failed.size > 0) {
        for (const [kind, reason] of result.failed) progress(`error: ${kind} could not be read; its files were left unchanged: ${reason}`);
        throw new ExitRequest(EXIT.error);
      }
    });
}
