/**
 * Benchmark (not a test): plan for N objects must stay under 1 s CPU with memory linear in N
 * (docs/design.md §9). Generates a tenant of N normalized objects over seven kinds, a configuration that
 * differs from it in ~10% updates, ~2% creates and ~2% deletes, runs computePlan and prints CPU
 * time and heap growth. No I/O, no network.
 *
 *   npx tsc -p bench/tsconfig.json && node --expose-gc node_modules/.cache/entra-gitops-bench/bench/plan-10k.js [--verbose] [N...]
 */
import type { EntraDocument, JsonObject } from "../src/model/document.js";
import { computePlan } from "../src/engine/plan/compute-plan.js";
import type { LiveObject } from "../src/model/plan.js";
import type { Kind, ObjectId } from "../src/model/kind.js";
import { renderJson } from "../src/render/json.js";
import { renderMarkdown } from "../src/render/markdown.js";

const SHARE: ReadonlyArray<readonly [Kind, number]> = [
  ["user", 0.3],
  ["group", 0.3],
  ["application", 0.15],
  ["servicePrincipal", 0.15],
  ["namedLocation", 0.08],
  ["conditionalAccessPolicy", 0.02],
];

function guid(n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `00000000-0000-4000-8000-${hex}`;
}

function spec(kind: Kind, i: number, n: Record<Kind, number>): JsonObject {
  const user = (k: number): string => `user:user${k % Math.max(1, n.user)}@contoso.com`;
  switch (kind) {
    case "user":
      return { userPrincipalName: `user${i}@contoso.com`, displayName: `User ${i}`, accountEnabled: true, department: `Dept ${i % 40}`, jobTitle: "Engineer", usageLocation: "FR", otherMails: [`u${i}@example.com`] };
    case "group":
      return {
        displayName: `Group ${i}`,
        description: `Team ${i} security group`,
        mailEnabled: false,
        mailNickname: `group${i}`,
        securityEnabled: true,
        groupTypes: [],
        members: [user(i), user(i + 1), user(i + 2), user(i + 3), user(i + 4)],
        owners: [user(i + 7)],
      };
    case "application":
      return {
        displayName: `App ${i}`,
        signInAudience: "AzureADMyOrg",
        web: { redirectUris: [`https://app${i}.contoso.com/signin`, `https://app${i}.contoso.com/callback`] },
        appRoles: [
          { id: guid(i * 10 + 1), value: "Reader", displayName: "Reader", allowedMemberTypes: ["User"], isEnabled: true, description: "Read" },
          { id: guid(i * 10 + 2), value: "Writer", displayName: "Writer", allowedMemberTypes: ["User", "Application"], isEnabled: true, description: "Write" },
        ],
        requiredResourceAccess: [{ resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccess: [{ id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }] }],
        owners: [user(i)],
      };
    case "servicePrincipal":
      return { appId: `application:app-${i}`, accountEnabled: true, appRoleAssignmentRequired: i % 2 === 0, tags: ["WindowsAzureActiveDirectoryIntegratedApp"] };
    case "namedLocation":
      return { "@odata.type": "#microsoft.graph.ipNamedLocation", displayName: `Site ${i}`, isTrusted: i % 3 === 0, ipRanges: [{ "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: `10.${i % 250}.${i % 200}.0/24` }] };
    case "conditionalAccessPolicy":
      return {
        displayName: `Policy ${i}`,
        state: "enabled",
        conditions: {
          users: { includeUsers: ["All"], excludeGroups: ["group:group-0", `group:group-${i % Math.max(1, n.group)}`], includeRoles: [], excludeUsers: [] },
          applications: { includeApplications: ["All"] },
          locations: { includeLocations: ["All"], excludeLocations: [`namedLocation:site-${i % Math.max(1, n.namedLocation)}`] },
          clientAppTypes: ["all"],
        },
        grantControls: { operator: "OR", builtInControls: ["mfa"] },
      };
    default:
      return { displayName: `${kind} ${i}` };
  }
}

const NAME: Partial<Record<Kind, string>> = { user: "user", group: "group", application: "app", servicePrincipal: "app", namedLocation: "site", conditionalAccessPolicy: "policy" };

function tenant(total: number): { desired: EntraDocument[]; actual: LiveObject[] } {
  const counts = Object.fromEntries(SHARE.map(([k, s]) => [k, Math.round(total * s)])) as Record<Kind, number>;
  const desired: EntraDocument[] = [];
  const actual: LiveObject[] = [];
  let id = 1;
  for (const [kind] of SHARE) {
    for (let i = 0; i < counts[kind]; i += 1) {
      const name = kind === "user" ? `user${i}@contoso.com` : `${NAME[kind]}-${i}`;
      const objectId = guid(id++);
      const live = spec(kind, i, counts);
      const roll = i % 50;
      if (roll !== 1) actual.push({ kind, name, id: objectId as ObjectId, spec: live }); // ~2% creates
      if (roll === 2) continue; // ~2% deletes
      const wanted: JsonObject = structuredClone(live);
      if (roll >= 40) wanted["description"] = `changed ${i}`; // ~20% updates (one field)
      desired.push({ kind, name, id: objectId, spec: wanted });
    }
  }
  return { desired, actual };
}

/** `--verbose`: also print diagnostic codes (the generated deletes orphan some references on purpose). */
const VERBOSE = process.argv.includes("--verbose");

function run(total: number): void {
  const { desired, actual } = tenant(total);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const plan = computePlan(desired, actual, {
    source: { gitRevision: "0".repeat(40), configDigest: "sha256:bench", tenantId: guid(0), graphUrl: "https://graph.microsoft.com", createdAt: "2026-01-01T00:00:00Z", environment: "bench" },
    scope: SHARE.map(([k]) => k),
    prune: true,
    guards: { allowDelete: true, maxDeletes: total, protected: [], breakGlass: { accounts: [], groups: ["group:group-0"] } },
  });
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = process.memoryUsage().heapUsed;
  const renderStart = process.cpuUsage();
  const json = renderJson(plan);
  const md = renderMarkdown(plan);
  const render = process.cpuUsage(renderStart);
  const ms = (u: NodeJS.CpuUsage): string => ((u.user + u.system) / 1000).toFixed(0);
  const s = plan.summary;
  if (VERBOSE) console.log(Object.entries(plan.diagnostics.reduce<Record<string, number>>((m, d) => ({ ...m, [d.code]: (m[d.code] ?? 0) + 1 }), {})));
  console.log(
    `${String(total).padStart(6)} objects: computePlan ${ms(cpu).padStart(5)} ms CPU, heap +${((heapAfter - heapBefore) / 1048576).toFixed(1)} MiB` +
      ` | ${s.create} create, ${s.update} update, ${s.delete} delete, ${s.noop} noop, ${s.errors} errors` +
      ` | render json ${(json.length / 1048576).toFixed(1)} MiB + markdown ${md.length} chars: ${ms(render)} ms CPU`,
  );
}

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
run(2000); // warm-up (JIT), not reported separately
for (const size of sizes.length ? sizes : [1000, 5000, 10000, 20000]) run(size);
