import { Command } from "commander";
import { missingPermissions, permissionsFor, requiredResourceAccess } from "../engine/permissions.js";
import { EXIT, ExitRequest } from "./errors.js";
import { out, progress } from "./output.js";
import { connect, globalOptions, kindsInScope, readConfig } from "./workspace.js";

export function command(): Command {
  return new Command("permissions")
    .description("least-privilege Microsoft Graph application permissions for the configured kinds; --check compares them with the current token")
    .option("--check", "decode the current token and list the permissions it lacks (exit 1 when plan or apply would be refused)")
    .option("--format <format>", "text or json", "text")
    .action(async (flags: { check?: boolean; format: string }, cmd: Command) => {
      const config = readConfig(globalOptions(cmd));
      const kinds = kindsInScope(config).map((d) => d.kind);
      const sets = permissionsFor(kinds);
      const manifest = requiredResourceAccess(sets.write);
      if (!flags.check) {
        if (flags.format === "json") {
          out(JSON.stringify({ read: sets.read, write: sets.write, requiredResourceAccess: manifest.manifest }, null, 2));
          return;
        }
        out("Microsoft Graph application permissions (grant admin consent):\n");
        out("read (plan, drift, sync, export, whatif):");
        for (const name of sets.read) out(`  ${name}`);
        out("\nwrite (apply, restore):");
        for (const name of sets.write) out(`  ${name}`);
        out("\nrequiredResourceAccess for the app manifest (write set):");
        out(JSON.stringify(manifest.manifest, null, 2));
        for (const name of manifest.unknown) out(`note: add ${name} by name in the portal (its id is not in this table)`);
        return;
      }
      const identity = await connect(config, progress).whoAmI();
      const granted = identity.type === "user" ? identity.scopes : identity.roles;
      const missingRead = missingPermissions(sets.read, granted);
      const missingWrite = missingPermissions(sets.write, granted);
      out(`token: ${identity.type === "user" ? `user ${identity.userPrincipalName ?? "?"}` : `app ${identity.appId ?? "?"}`} in tenant ${identity.tenantId}`);
      out(missingRead.length === 0 ? "read: all granted" : `read: missing ${missingRead.join(", ")}`);
      out(missingWrite.length === 0 ? "write: all granted" : `write: missing ${missingWrite.join(", ")}`);
      if (missingRead.length > 0) throw new ExitRequest(EXIT.error);
    });
}
