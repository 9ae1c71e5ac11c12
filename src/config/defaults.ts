import { defaultKindNames, type Kind } from "../model/kind.js";
import type { DriftPolicy } from "./types.js";

export const DEFAULT_CONFIG_FILE = "entra-gitops.yaml";
export const DEFAULT_CONFIG_DIR = "tenant-config";
export const DEFAULT_MAX_DELETES = 5;
export const DEFAULT_DRIFT_POLICY: DriftPolicy = "commit";
/** Minutes sync holds back a change whose audit entry has not arrived (README "Sync state"). */
export const DEFAULT_AUDIT_GRACE_MINUTES = 15;
export const DEFAULT_GIT_IDENTITY = { name: "entra-gitops", email: "entra-gitops@users.noreply.github.com" } as const;

/** Kinds in scope when the file names none: all but the opt-in ones (`user`, custom security attributes; README "Coverage"). */
export const DEFAULT_KINDS: readonly Kind[] = defaultKindNames();

/** The kinds in scope when the configuration names none: every kind but the opt-in ones. */
export function defaultKinds(): Kind[] {
  return defaultKindNames();
}

/**
 * The text `init` writes: every setting with its default, explained, and valid as it stands.
 * Commented-out lines show the optional settings.
 */
export function defaultConfigText(): string {
  const kinds = DEFAULT_KINDS.map((k) => `  - ${k}`).join("\n");
  return `# yaml-language-server: $schema=.entra-gitops/schemas/entra-gitops.schema.json
# entra-gitops configuration. Every setting is described in .entra-gitops/schemas/entra-gitops.schema.json
# (init copies the package's schemas there and export refreshes them; the line above points editors at it).

# Folder of the YAML documents (one object per file), relative to this file.
configDir: ${DEFAULT_CONFIG_DIR}

# Tenants this configuration applies to. Pick one with --env NAME (or defaultEnvironment).
# Environment variables supply or override these values: AZURE_TENANT_ID (must agree with a
# tenantId set here), AZURE_CLIENT_ID, ENTRA_GITOPS_GRAPH_URL, AZURE_AUTHORITY_HOST. Credentials never go in this file: use
# AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE or GitHub OIDC.
environments:
  # The GitHub workflows that init writes run with --env production: the ids come from the
  # AZURE_TENANT_ID and AZURE_CLIENT_ID variables of the GitHub environments "production" (apply)
  # and "production-ci" (plan, drift). A tenantId written here must match AZURE_TENANT_ID, or
  # every command refuses to run (a repository-wide variable never silently picks the tenant).
  production: {}
#  staging:                                         # another tenant: one more matrix entry
#    tenantId: 00000000-0000-0000-0000-000000000000
#    clientId: 00000000-0000-0000-0000-000000000000
#    graphUrl: https://graph.microsoft.com          # national clouds: https://graph.microsoft.us, ...
#    authorityHost: https://login.microsoftonline.com
#    breakGlass:                                    # replaces the top-level breakGlass here
#      accounts: [user:breakglass@contoso.onmicrosoft.com]
# defaultEnvironment: production

# Kinds managed in the tenant. Opt-in kinds (users, custom security attributes, access package
# catalogs, PIM eligibility) are left out: add "- user", "- attributeSet",
# "- customSecurityAttributeDefinition", "- accessPackageCatalog" or "- roleEligibility" to manage
# them (their read needs more permissions; PIM also an Entra ID P2 licence).
kinds:
${kinds}

# Emergency-access accounts and groups that every blocking Conditional Access policy must
# exclude; apply refuses a plan that would lock them out.
breakGlass:
  accounts: []    # e.g. [user:breakglass1@contoso.onmicrosoft.com]
  groups: []      # e.g. [group:emergency-access]

# Delete tenant objects that have no document. Also needs apply --allow-delete.
prune: false
# Refuse a plan with more deletions than this.
maxDeletes: ${DEFAULT_MAX_DELETES}
# Objects a plan may not update, replace or delete (without apply --allow-protected):
# KIND/NAME, globs allowed (* and ?), KIND may be *.
protected:
#  - conditionalAccessPolicy/break-glass-*

# Spec paths ignored when comparing, per kind or "*": JSON pointers (/a/b) or dotted (a.b).
ignoreDifferences:
#  conditionalAccessPolicy:
#    - /conditions/clientAppTypes

# Create new Conditional Access policies in report-only mode (enabledForReportingButNotEnforced).
reportOnlyNewPolicies: false

# Graph API version per kind (v1.0 unless named). v1.0 cannot see beta-only properties (agent
# identity conditions, continuous access evaluation, ...): export and plan warn about each one.
# beta reads, compares and writes them.
# graphVersion:
#   conditionalAccessPolicy: beta

# What sync does with drift made outside git, per kind: commit | pr | revert.
drift:
  default: ${DEFAULT_DRIFT_POLICY}
#  conditionalAccessPolicy: revert

# Minutes sync holds back a change whose audit entry has not arrived yet (entries arrive minutes
# late), before committing it as having no audit record. 0 commits it at once.
# engineIdentities lists the app (client) ids apply signs in with when it is not the app running
# sync (a read-only app for plan and drift): their writes of the documents are not drift.
sync:
  auditGrace: ${DEFAULT_AUDIT_GRACE_MINUTES}
#  engineIdentities: [00000000-0000-0000-0000-000000000000]
  # Read only what changed since the last sync (delta queries and the audit log), not the whole
  # tenant (the default); where each read stopped is kept in .entra-gitops/state/<env>/sync.yaml,
  # in the run's last commit. false reads the whole tenant on every run (like sync --full).
  # incremental: false

# Commit identity for drift commits whose actor the audit log does not name.
git:
  name: ${DEFAULT_GIT_IDENTITY.name}
  email: ${DEFAULT_GIT_IDENTITY.email}
`;
}
