import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { substitute } from "../../src/config/variables.js";
import { loadConfig } from "../../src/config/index.js";
import { parseDocumentText } from "../../src/documents/read-document.js";
import { renderForEnvironment, retemplate } from "../../src/documents/environment-view.js";
import { formatDocument } from "../../src/documents/format-document.js";
import type { SourcedDocument } from "../../src/model/document.js";
import { runCli } from "../helpers/cli.js";

function doc(text: string, file = "tenant-config/group/pilot.yaml"): SourcedDocument {
  const result = parseDocumentText(text, file);
  expect(result.diagnostics).toEqual([]);
  return result.document as SourcedDocument;
}

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe("${name} substitution", () => {
  it("replaces variables, keeps $${ as a literal and names every undefined one", () => {
    expect(substitute("bg@${domain}", { domain: "contoso.com" })).toEqual({ ok: true, value: "bg@contoso.com" });
    expect(substitute("cost $${x} and ${a}${b}", { a: "1", b: "2" })).toEqual({ ok: true, value: "cost ${x} and 12" });
    expect(substitute("plain", {})).toEqual({ ok: true, value: "plain" });
    expect(substitute("${a}-${b}-${9x}", { a: "1" })).toEqual({
      ok: false,
      problems: ["undefined variable ${b}", '"${9x}" is not a variable reference (names are letters, digits and _, not starting with a digit; write $${ for a literal ${)'],
    });
    // Inherited object keys are not variables.
    expect(substitute("${toString}", {})).toEqual({ ok: false, problems: ["undefined variable ${toString}"] });
  });
});

describe("an environment's view of the documents", () => {
  const pilot = doc("kind: group\nname: pilot\nenvironments: [test]\nspec:\n  displayName: Pilot\n  mailNickname: pilot\n");
  const glass = doc("kind: user\nname: break-glass\nspec:\n  displayName: Break Glass\n  userPrincipalName: bg@${domain}\n  otherMails:\n    - ops@${domain}\n", "tenant-config/user/break-glass.yaml");

  it("renders each environment's values and sets aside other environments' documents", () => {
    const test = renderForEnvironment([pilot, glass], { name: "test", vars: { domain: "test.contoso.com" }, known: ["test", "prod"] });
    expect(test.diagnostics).toEqual([]);
    expect(test.documents.map((d) => d.name)).toEqual(["pilot", "break-glass"]);
    expect(test.documents[1]?.spec).toEqual({ displayName: "Break Glass", userPrincipalName: "bg@test.contoso.com", otherMails: ["ops@test.contoso.com"] });
    // Positions still point into the file as written.
    expect((test.documents[1] as SourcedDocument).positionOf(["spec", "userPrincipalName"])).toEqual({ line: 5, column: 22 });

    const prod = renderForEnvironment([pilot, glass], { name: "prod", vars: { domain: "contoso.com" }, known: ["test", "prod"] });
    expect(prod.documents.map((d) => d.name)).toEqual(["break-glass"]);
    expect(prod.excluded.map((d) => d.name)).toEqual(["pilot"]);
    // Export writes the template back for a live value equal to what it rendered to.
    const live = { displayName: "Break Glass", userPrincipalName: "bg@contoso.com", otherMails: ["ops@contoso.com", "new@contoso.com"] };
    expect(retemplate(live, prod.templates.get("user/break-glass"))).toEqual({ displayName: "Break Glass", userPrincipalName: "bg@${domain}", otherMails: ["ops@${domain}", "new@contoso.com"] });
  });

  it("reports an undefined variable and an unknown environment at their file, line and field", () => {
    const view = renderForEnvironment([pilot, glass], { name: "prod", vars: {}, known: ["prod"] });
    expect(view.diagnostics).toEqual([
      { severity: "error", file: "tenant-config/group/pilot.yaml", line: 3, column: 16, path: "environments[0]", message: 'environment "test" is not defined in the configuration (environments: prod)' },
      {
        severity: "error",
        file: "tenant-config/user/break-glass.yaml",
        line: 5,
        column: 22,
        path: "spec.userPrincipalName",
        message: 'undefined variable ${domain} in environment "prod": define it under vars: or environments.prod.vars: in entra-gitops.yaml',
      },
      {
        severity: "error",
        file: "tenant-config/user/break-glass.yaml",
        line: 7,
        column: 7,
        path: "spec.otherMails[0]",
        message: 'undefined variable ${domain} in environment "prod": define it under vars: or environments.prod.vars: in entra-gitops.yaml',
      },
    ]);
  });

  it("reads and writes the environments list, and refuses a malformed one", () => {
    expect(formatDocument({ kind: "group", name: "pilot", environments: ["test"], spec: { displayName: "Pilot" } })).toBe(
      "# yaml-language-server: $schema=../../.entra-gitops/schemas/group.schema.json\nkind: group\nname: pilot\nenvironments:\n  - test\nspec:\n  displayName: Pilot\n",
    );
    for (const bad of ["environments: []", "environments: test", "environments: [test, test]", "environments: [\"a b\"]"]) {
      const result = parseDocumentText(`kind: group\nname: pilot\n${bad}\nspec:\n  displayName: Pilot\n`, "tenant-config/group/pilot.yaml");
      expect(result.document, bad).toBeUndefined();
      expect(result.diagnostics[0]?.path, bad).toBe("environments");
    }
  });
});

describe("vars in entra-gitops.yaml", () => {
  it("lays the environment's vars over the top-level ones and renders breakGlass with them", async () => {
    const dir = await mkdtemp(join(tmpdir(), "entra-gitops-vars-"));
    dirs.push(dir);
    const file = join(dir, "entra-gitops.yaml");
    await writeFile(file, "vars:\n  domain: contoso.com\n  region: eu\nbreakGlass:\n  accounts: [\"user:bg@${domain}\"]\nenvironments:\n  test:\n    vars:\n      domain: test.contoso.com\n  prod: {}\n");
    const test = loadConfig(file, "test");
    expect(test.vars).toEqual({ domain: "test.contoso.com", region: "eu" });
    expect(test.breakGlass.accounts).toEqual(["user:bg@test.contoso.com"]);
    expect(loadConfig(file, "prod").breakGlass.accounts).toEqual(["user:bg@contoso.com"]);
    expect(test.varsByEnvironment).toEqual({ test: { domain: "test.contoso.com", region: "eu" }, prod: { domain: "contoso.com", region: "eu" } });

    await writeFile(file, "breakGlass:\n  accounts: [\"user:bg@${domain}\"]\nenvironments:\n  prod: {}\n");
    expect(() => loadConfig(file, "prod")).toThrow('breakGlass.accounts[0]: undefined variable ${domain} for environment "prod" (define it under vars: or environments.prod.vars:)');
  });

  it("validate checks every environment's view and names the environments a problem is in", async () => {
    const dir = await mkdtemp(join(tmpdir(), "entra-gitops-vars-"));
    dirs.push(dir);
    await writeFile(join(dir, "entra-gitops.yaml"), "configDir: tenant-config\nenvironments:\n  test: {}\n  prod: {}\n");
    await mkdir(join(dir, "tenant-config/group"), { recursive: true });
    await mkdir(join(dir, "tenant-config/administrativeUnit"), { recursive: true });
    await writeFile(join(dir, "tenant-config/group/pilot.yaml"), "kind: group\nname: pilot\nenvironments: [test]\nspec:\n  displayName: Pilot\n  mailEnabled: false\n  mailNickname: pilot\n  securityEnabled: true\n");
    // In both environments, naming a group that exists in test only, and a variable nobody defined.
    await writeFile(join(dir, "tenant-config/administrativeUnit/sales.yaml"), "kind: administrativeUnit\nname: sales\nspec:\n  displayName: Sales ${site}\n  members:\n    - group:pilot\n");
    const run = await runCli(["--config", join(dir, "entra-gitops.yaml"), "validate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('sales.yaml:4:16: error: spec.displayName: undefined variable ${site} in environment "test": define it under vars: or environments.test.vars: in entra-gitops.yaml\n');
    expect(run.stderr).toContain('undefined variable ${site} in environment "prod"');
    expect(run.stderr).toMatch(/sales\.yaml:6:7: error: spec\.members\[0\]: .*group:pilot.* \(environment prod\)\n/);
    expect(run.stderr).not.toMatch(/group:pilot.* \(environment test\)/);
  });
});
