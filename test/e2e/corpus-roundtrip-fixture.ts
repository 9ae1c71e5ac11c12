/**
 * The corpus round trip (corpus-roundtrip.slow.test.ts): each real-world Conditional Access
 * repository in ../shared/corpus goes `import` → `validate` → `apply` (into an empty sandbox tenant) → `export` (into a second folder),
 * and every imported document must come back with the same name and the same spec (only the id is
 * new); `plan --detailed-exitcode` on the imported folder is then 0. Every policy file is accounted
 * for: round-tripped, refused at import, or refused by the tenant, each with the reason listed here.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { expect } from "vitest";
import { readConfigTree } from "../../src/documents/read-tree.js";
import { readJsonFile } from "../../src/engine/import/read-json.js";
import type { SourcedDocument } from "../../src/model/document.js";
import { seedRequest } from "../../src/sandbox/seeds/seed-steps.js";
import { createTenant } from "../../src/sandbox/tenant/index.js";
import type { SandboxTenant } from "../../src/sandbox/tenant/index.js";
import { git, runCli, sandboxEnv, tempRepo } from "../helpers/cli.js";
import { parseIdMap } from "../../src/state/id-map.js";
import { startSandbox } from "../helpers/sandbox.js";

export const corpusDir = resolve("../shared/corpus");
export const DOMAIN = "contoso.onmicrosoft.com";
const KINDS = ["namedLocation", "group", "user", "conditionalAccessPolicy"];

export interface Case {
  folder: string;
  /** `--map` entries (placeholder or display name → reference, GUID or text). */
  map?: Record<string, string>;
  /** Documents the map points at, written as YAML before the import: path under tenant-config → text. */
  documents?: Record<string, string>;
  /** The corpus's own emergency-access exclusions, for the lockout guard. */
  breakGlassGroups: string[];
  /** A break-glass group the corpus does not exclude, and how many of its policies the guard then refuses. */
  lockoutProbe: { breakGlassGroup: string; blockedPolicies: number };
  /** Which corpus files are Conditional Access policies. */
  isPolicy: (source: string) => boolean;
  /**
   * appIds the policies target: a tenant using those apps has their service principals, and Graph
   * refuses a policy naming an app without one (docs/graph-behaviour.md §11), so the empty tenant
   * gets them first (Microsoft's published apps by appId, any other as an application of this tenant).
   */
  servicePrincipals?: readonly string[];
}

export interface Outcome {
  /** Corpus file → `kind/name` of the document import wrote. */
  imported: Map<string, string>;
  /** Corpus file → the reasons import gave. */
  refusedAtImport: Map<string, string[]>;
  /** `kind/name` → why plan refused it before anything was written (a reference the tenant lacks). */
  refusedAtPlan: Map<string, string>;
  /** `kind/name` → the tenant's refusal (apply's FAILED line). */
  refusedByTenant: Map<string, string>;
  /** Documents compared with their exported counterparts (`kind/name`). */
  roundTripped: string[];
  files: string[];
  /** The imported folder's documents after the round trip. */
  documents: SourcedDocument[];
}

function jsonFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(path, root);
    return /\.json$/i.test(entry.name) ? [relative(root, path)] : [];
  });
}

const address = (d: { kind: string; name: string }): string => `${d.kind}/${d.name}`;
const yamlMap = (entries: Record<string, string>): string => Object.entries(entries).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join("\n") + "\n";

export function groupDocument(name: string, displayName: string): string {
  return `kind: group\nname: ${name}\nspec:\n  displayName: ${JSON.stringify(displayName)}\n  mailEnabled: false\n  mailNickname: ${name}\n  securityEnabled: true\n`;
}

function config(breakGlassGroups: readonly string[]): string {
  return [
    "configDir: tenant-config",
    `kinds: [${KINDS.join(", ")}]`,
    "reportOnlyNewPolicies: false",
    "breakGlass:",
    "  accounts: []",
    `  groups: [${breakGlassGroups.join(", ")}]`,
    "",
  ].join("\n");
}

/**
 * What a document may leave out of its source: server-managed fields, Graph's defaults (written or not,
 * Graph reads them back the same), and the embedded copy of a built-in authentication strength (the
 * document keeps its id, as a reference).
 */
const SERVER_MANAGED = /^(id|createdDateTime|modifiedDateTime|deletedDateTime|templateId|renewedDateTime|securityIdentifier|organizationId|createdByAppId|grantControls\.authenticationStrength\.(?!id$).+)$/;
const DEFAULTS: Readonly<Record<string, unknown>> = {
  "conditions.clientAppTypes": ["all"],
  "sessionControls.signInFrequency.authenticationType": "primaryAndSecondaryAuthentication",
  "sessionControls.signInFrequency.frequencyInterval": "timeBased",
  countryLookupMethod: "clientIpAddress",
  includeUnknownCountriesAndRegions: false,
  isTrusted: false,
};

/** Non-empty values of a Graph object by dotted path (annotations and OData actions skipped). */
function valuesByPath(value: unknown, path = "", out = new Map<string, unknown>()): Map<string, unknown> {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return out;
  if (typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!key.includes("@odata") && !key.startsWith("#")) valuesByPath(child, path ? `${path}.${key}` : key, out);
    }
  } else out.set(path, value);
  return out;
}

/** Values of the source the document does not hold, other than those it may leave out. */
async function lostFromSource(sourceFile: string, spec: Record<string, unknown>): Promise<string[]> {
  const read = await readJsonFile(sourceFile);
  if (!read.ok) return [read.reason];
  const kept = valuesByPath(spec);
  const lower = (v: unknown): string => JSON.stringify(v).toLowerCase();
  return [...valuesByPath(read.value)]
    .filter(([path, value]) => !kept.has(path) && !SERVER_MANAGED.test(path) && !(path in DEFAULTS && lower(DEFAULTS[path]) === lower(value)))
    .map(([path, value]) => `${path}=${JSON.stringify(value)}`);
}

/** `refused SOURCE:` followed by indented reasons (stderr of `import`). */
function parseRefusals(stderr: string): Map<string, string[]> {
  const refused = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stderr.split("\n")) {
    const head = /^refused (.+):$/.exec(line);
    if (head) refused.set(head[1] as string, (current = []));
    // A validation refusal is printed at its position in the YAML it would have been: keep the message.
    else if (line.startsWith("  ") && current) current.push(line.trim().replace(/^\S+\.yaml:\d+:\d+: error: /, ""));
    else current = undefined;
  }
  return refused;
}

async function addServicePrincipals(tenant: SandboxTenant, appIds: readonly string[]): Promise<void> {
  const post = async (path: string, body: Record<string, unknown>): Promise<number> => (await tenant.core.handle(seedRequest({ method: "POST", path, body, label: path }, tenant.tenantId, 0), true)).status;
  for (const appId of appIds) {
    if ((await post("/servicePrincipals", { appId })) === 201) continue;
    expect(await post("/applications", { appId, displayName: `App ${appId.slice(0, 8)}`, signInAudience: "AzureADMultipleOrgs" })).toBe(201);
    expect(await post("/servicePrincipals", { appId })).toBe(201);
  }
}

export async function roundTrip(c: Case): Promise<Outcome> {
  const tenant = createTenant({ domain: DOMAIN });
  await addServicePrincipals(tenant, c.servicePrincipals ?? []);
  const started = await startSandbox({ tenant });
  try {
    const env = sandboxEnv(started.sandbox);
    const { dir, configFile } = tempRepo(config(c.breakGlassGroups));
    const configDir = join(dir, "tenant-config");
    for (const [path, text] of Object.entries(c.documents ?? {})) {
      mkdirSync(dirname(join(configDir, path)), { recursive: true });
      writeFileSync(join(configDir, path), text);
    }
    const from = join(corpusDir, c.folder);
    const args = ["--config", configFile, "import", "--from", from];
    if (c.map) {
      writeFileSync(join(dir, "map.yaml"), yamlMap(c.map));
      args.push("--map", join(dir, "map.yaml"));
    }

    // import: every refusal makes the exit code 1; the valid documents are written all the same.
    const imported = await runCli(args, env);
    const importedFiles = new Map<string, string>();
    for (const line of imported.stdout.split("\n")) {
      const m = /^created (.+) ← (.+)$/.exec(line);
      if (m) importedFiles.set(m[2] as string, `${basename(dirname(m[1] as string))}/${basename(m[1] as string, ".yaml")}`);
    }
    const refusedAtImport = parseRefusals(imported.stderr);
    expect(imported.stdout).toContain(`${importedFiles.size} document(s) imported, ${refusedAtImport.size} refused`);
    expect(imported.code).toBe(refusedAtImport.size > 0 ? 1 : 0);
    expect(imported.stderr).not.toContain("never used");

    const validated = await runCli(["--config", configFile, "validate"], env);
    expect(validated.stdout + validated.stderr).toContain("0 error(s), 0 warning(s)");
    expect(validated.code).toBe(0);

    // The lockout guard, with a break-glass group the corpus does not exclude: what it would refuse.
    writeFileSync(join(dir, "probe.yaml"), config([c.lockoutProbe.breakGlassGroup]));
    const probe = await runCli(["--config", join(dir, "probe.yaml"), "plan", "--detailed-exitcode"], env);
    const lockedOut = probe.stdout.split("\n").filter((l) => l.startsWith("blocked [lockout]: ")).map((l) => /^blocked \[lockout\]: (\S+)/.exec(l)?.[1] ?? l);
    expect(new Set(lockedOut).size, probe.stdout).toBe(c.lockoutProbe.blockedPolicies);
    // apply: the lockout guard passes on the corpus's own break-glass exclusions (no --allow-lockout).
    // References to objects this (empty) tenant lacks stop the plan before anything is written, all
    // listed at once (file:line:col: error: path: … does not exist in the tenant (referenced by KIND/NAME)):
    // those documents leave the folder, and apply runs again.
    let applied = await runCli(["--config", configFile, "apply", "--auto-approve"], env);
    const refusedAtPlan = new Map<string, string>();
    for (const line of applied.stderr.split("\n")) {
      const m = /^\S+\.yaml:\d+:\d+: error: (\S+): (.+ does not exist in the tenant \(referenced by (\S+)\))$/.exec(line);
      if (m) refusedAtPlan.set(m[3] as string, `${m[1] as string}: ${m[2] as string}`);
    }
    if (refusedAtPlan.size > 0) {
      expect(applied.code).toBe(1);
      expect(applied.stdout).not.toMatch(/^(created|updated|FAILED) /m);
      for (const refused of refusedAtPlan.keys()) rmSync(join(configDir, `${refused}.yaml`));
      applied = await runCli(["--config", configFile, "apply", "--auto-approve"], env);
    }
    expect(applied.stderr, applied.stdout).not.toMatch(/lockout|refused/i);
    const refusedByTenant = new Map<string, string>();
    for (const line of applied.stdout.split("\n")) {
      const m = /^FAILED create (\S+): (.+)$/.exec(line);
      if (m) refusedByTenant.set(m[1] as string, m[2] as string);
    }
    expect(applied.stdout).not.toMatch(/^skipped /m);
    expect(applied.code).toBe(refusedByTenant.size > 0 ? 1 : 0);
    // What the tenant refused has no counterpart to compare: out of the folder before export and plan.
    for (const refused of refusedByTenant.keys()) rmSync(join(configDir, `${refused}.yaml`));

    const out = tempRepo(config(c.breakGlassGroups));
    const exported = await runCli(["--config", out.configFile, "export"], env);
    expect(exported.code, exported.stderr).toBe(0);

    const mine = await readConfigTree(configDir);
    const theirs = await readConfigTree(join(out.dir, "tenant-config"));
    expect(mine.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(theirs.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // Same documents on both sides: nothing lost, nothing extra (the tenant started empty).
    expect(theirs.documents.map(address).sort()).toEqual(mine.documents.map(address).sort());
    const byAddress = new Map<string, SourcedDocument>(theirs.documents.map((d) => [address(d), d]));
    const theirIds = parseIdMap(readFileSync(join(out.dir, ".entra-gitops", "state", "default", "ids.yaml"), "utf8"), "ids.yaml").ids;
    const roundTripped: string[] = [];
    // Import loses nothing but what Graph would not keep anyway.
    for (const [source, imported] of importedFiles) {
      const doc = mine.documents.find((d) => address(d) === imported);
      if (!doc) {
        expect(refusedByTenant.has(imported) || refusedAtPlan.has(imported), imported).toBe(true);
        continue;
      }
      expect(await lostFromSource(join(from, source), doc.spec), source).toEqual([]);
    }
    for (const doc of mine.documents) {
      if (![...importedFiles.values()].includes(address(doc))) continue;
      const back = byAddress.get(address(doc));
      expect(back?.spec, address(doc)).toEqual(doc.spec);
      // Ids are new: the tenant's own (in the environment's id map, not the document), never the source tenant's.
      expect(back?.id, address(doc)).toBeUndefined();
      expect(theirIds.get(address(doc)), address(doc)).toMatch(/^[0-9a-f-]{36}$/);
      expect(theirIds.get(address(doc)), address(doc)).not.toBe(doc.id);
      roundTripped.push(address(doc));
    }

    const plan = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], env);
    expect(plan.stdout, plan.stderr).toMatch(/No changes\. The tenant matches the configuration/);
    expect(plan.code, plan.stdout).toBe(0);

    // Exporting into the imported folder itself (what sync does next) records the new ids in the
    // environment's id map and changes no document.
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "import");
    const inPlace = await runCli(["--config", configFile, "export"], env);
    expect(inPlace.code, inPlace.stderr).toBe(0);
    // (Import keeps the source tenant's id: lines; export moves ids out of documents, so those go.)
    for (const imported of roundTripped) {
      const changed = git(dir, "diff", "-U0", "--", `tenant-config/${imported}.yaml`).split("\n").filter((l) => /^[-+](?![-+]{2} )/.test(l));
      // An appId whose service principal the tenant has gains its display name as a comment: same value.
      const uncommented = (line: string): string => line.slice(1).replace(/ # [^#]*$/, "");
      const removed = changed.filter((l) => l.startsWith("-") && !/^-id: \S+$/.test(l));
      const added = changed.filter((l) => l.startsWith("+"));
      expect(removed.map(uncommented), imported).toEqual(added.map(uncommented));
      expect(added.every((l) => / # [^#]+$/.test(l)), `${imported}: ${added.join("; ")}`).toBe(true);
    }
    const recorded = parseIdMap(readFileSync(join(dir, ".entra-gitops", "state", "default", "ids.yaml"), "utf8"), "ids.yaml").ids;
    for (const imported of roundTripped) expect(recorded.get(imported), imported).toBe(theirIds.get(imported));
    const byId = await runCli(["--config", configFile, "plan", "--detailed-exitcode"], env);
    expect(byId.code, byId.stdout).toBe(0);

    return { imported: importedFiles, refusedAtImport, refusedAtPlan, refusedByTenant, roundTripped, files: jsonFiles(from), documents: mine.documents };
  } finally {
    await started.stop();
  }
}

/** Policy files: round-tripped + refused at import + refused at plan + refused by the tenant, and nothing else. */
export function accountPolicies(c: Case, o: Outcome): { policies: number; roundTripped: number; refusedAtImport: number; refusedAtPlan: number; refusedByTenant: number } {
  const policies = o.files.filter(c.isPolicy);
  const policyDocs = new Map([...o.imported].filter(([source]) => c.isPolicy(source)));
  const roundTripped = [...policyDocs.values()].filter((a) => o.roundTripped.includes(a));
  const refusedByTenant = [...policyDocs.values()].filter((a) => o.refusedByTenant.has(a));
  const refusedAtPlan = [...policyDocs.values()].filter((a) => o.refusedAtPlan.has(a));
  const refusedAtImport = policies.filter((p) => o.refusedAtImport.has(p));
  expect(roundTripped.length + refusedByTenant.length + refusedAtPlan.length + refusedAtImport.length).toBe(policies.length);
  for (const p of policies) expect(o.imported.has(p) !== o.refusedAtImport.has(p), p).toBe(true);
  return { policies: policies.length, roundTripped: roundTripped.length, refusedAtImport: refusedAtImport.length, refusedAtPlan: refusedAtPlan.length, refusedByTenant: refusedByTenant.length };
}

/** Every directory role a policy names, as written in its document. */
export function rolesOf(documents: readonly SourcedDocument[]): string[] {
  const users = (d: SourcedDocument): Record<string, unknown> => ((d.spec.conditions as Record<string, unknown> | undefined)?.users ?? {}) as Record<string, unknown>;
  return documents.filter((d) => d.kind === "conditionalAccessPolicy").flatMap((d) => [users(d).includeRoles, users(d).excludeRoles].flatMap((r) => (Array.isArray(r) ? (r as string[]) : [])));
}

export const BETA = (path: string): string => `${path}: a Graph beta property; conditionalAccessPolicy is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml`;
