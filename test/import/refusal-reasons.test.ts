import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "vitest";
import { importExports } from "../../src/engine/import/import.js";

test("an object refused for a value also names its Graph beta properties (a --map entry alone would not import it)", async () => {
  const from = mkdtempSync(join(tmpdir(), "eg-reasons-"));
  const policy = {
    displayName: "Block agents",
    state: "enabledForReportingButNotEnforced",
    conditions: {
      users: { includeUsers: ["None"] },
      applications: { includeApplications: ["AllAgentIdResources"] },
      clientApplications: { includeAgentIdServicePrincipals: ["All"] },
    },
    grantControls: { operator: "OR", builtInControls: ["block"] },
  };
  writeFileSync(join(from, "policy.json"), JSON.stringify(policy));
  const report = await importExports({ from, to: mkdtempSync(join(tmpdir(), "eg-reasons-to-")) });
  expect(report.refused).toEqual([
    {
      source: "policy.json",
      reasons: [
        'conditions.applications.includeApplications: "AllAgentIdResources" is not a GUID, nor one of All, None, Office365, MicrosoftAdminPortals, and no imported application or servicePrincipal has this display name: add it to the --map file',
        "spec.conditions.clientApplications.includeAgentIdServicePrincipals: a Graph beta property; conditionalAccessPolicy is managed through Graph v1.0, which does not have it. To manage it, set graphVersion: { conditionalAccessPolicy: beta } in entra-gitops.yaml",
      ],
    },
  ]);
});
