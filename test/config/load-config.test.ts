import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KIND_NAMES } from "../../src/model/kind.js";
import { ConfigError, defaultConfigText, isProtected, loadConfig, parseConfigText } from "../../src/config/index.js";
import { CONFIG_SCHEMA_URL } from "../../src/config/schema.js";
import { renderConfigSchema, withKindLists } from "../../src/config/schema-kinds.js";
import type { JsonObject } from "../../src/model/document.js";
import { allKinds, getKind } from "../../src/kinds/registry.js";

function writeConfig(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "eg-config-"));
  const file = join(dir, "entra-gitops.yaml");
  writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const FULL = `configDir: config
environments:
  production:
    tenantId: 11111111-2222-3333-4444-555555555555
    clientId: aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee
    graphUrl: https://graph.microsoft.us
    authorityHost: https://login.microsoftonline.us
  staging:
    tenantId: contoso-staging.onmicrosoft.com
    breakGlass:
      accounts: [user:bg-staging@contoso-staging.onmicrosoft.com]
defaultEnvironment: production
kinds: [conditionalAccessPolicy, user, group]
breakGlass:
  accounts: [user:bg1@contoso.onmicrosoft.com]
  groups: [group:emergency-access]
prune: true
maxDeletes: 2
protected: [conditionalAccessPolicy/break-glass-*, "*/keep-me"]
ignoreDifferences:
  conditionalAccessPolicy: [/conditions/clientAppTypes]
  "*": [/description]
reportOnlyNewPolicies: true
drift:
  default: pr
  conditionalAccessPolicy: revert
git:
  name: Entra Bot
  email: bot@example.com
`;

/** Every built-in kind whose descriptor is not `optIn` (users, attribute sets, PIM eligibility…), in vocabulary order. */
function optedInByDefault(): string[] {
  return KIND_NAMES.filter((k) => getKind(k).optIn !== true);
}

describe("loadConfig", () => {
  it("applies the defaults to the text init writes, which is valid", () => {
    const file = writeConfig(defaultConfigText());
    const config = loadConfig(file);
    expect(config.configDir).toBe("tenant-config");
    expect(config.configDirPath).toBe(join(file, "..", "tenant-config"));
    expect(config.prune).toBe(false);
    expect(config.maxDeletes).toBe(5);
    expect(config.kinds).not.toContain("user");
    expect(config.kinds).toEqual(optedInByDefault());
    // The environment the workflows init writes name (--env production); its ids come from GitHub variables.
    expect(config.environmentNames).toEqual(["production"]);
    expect(config.environment).toMatchObject({ name: "production" });
    expect(config.environment?.tenantId).toBeUndefined();
    expect(config.drift.conditionalAccessPolicy).toBe("commit");
    expect(config.breakGlass).toEqual({ accounts: [], groups: [] });
    expect(config.reportOnlyNewPolicies).toBe(false);
  });

  it("an empty key means unset (uncommented examples stay valid)", () => {
    const config = loadConfig(writeConfig("environments:\nprotected:\nignoreDifferences:\ndrift:\nkinds:\nbreakGlass:\n"));
    expect(config.environmentNames).toEqual([]);
    expect(config.protected).toEqual([]);
    expect(config.kinds).toEqual(optedInByDefault());
    expect(config.breakGlass).toEqual({ accounts: [], groups: [] });
    expect(config.drift.group).toBe("commit");
  });

  it("the example environment in the default text is valid once uncommented", () => {
    const text = defaultConfigText().replace(/^#( {2}\S.*| {4}.*)$/gm, "$1").replace(/^# defaultEnvironment: production/m, "defaultEnvironment: staging");
    const config = loadConfig(writeConfig(text));
    expect(config.environmentNames).toEqual(["production", "staging"]);
    expect(config.environment).toMatchObject({ name: "staging", graphUrl: "https://graph.microsoft.com" });
    expect(config.breakGlass.accounts).toEqual(["user:breakglass@contoso.onmicrosoft.com"]);
    expect(config.protected).toEqual(["conditionalAccessPolicy/break-glass-*"]);
    expect(config.ignoreDifferences.conditionalAccessPolicy).toEqual(["/conditions/clientAppTypes"]);
    expect(config.drift.conditionalAccessPolicy).toBe("revert");
  });

  it("an empty file means all defaults", () => {
    const config = loadConfig(writeConfig(""));
    expect(config.kinds).toEqual(optedInByDefault());
    expect(config.git.name).toBe("entra-gitops");
  });

  it("reads every setting and merges the default environment", () => {
    const config = loadConfig(writeConfig(FULL));
    expect(config.environment).toEqual({
      name: "production",
      tenantId: "11111111-2222-3333-4444-555555555555",
      clientId: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
      graphUrl: "https://graph.microsoft.us",
      authorityHost: "https://login.microsoftonline.us",
    });
    expect(config.environmentNames).toEqual(["production", "staging"]);
    // KIND_NAMES order, users opted in
    expect(config.kinds).toEqual(["user", "group", "conditionalAccessPolicy"]);
    expect(config.breakGlass.accounts).toEqual(["user:bg1@contoso.onmicrosoft.com"]);
    expect(config.prune).toBe(true);
    expect(config.maxDeletes).toBe(2);
    expect(config.drift.conditionalAccessPolicy).toBe("revert");
    expect(config.drift.group).toBe("pr");
    expect(config.ignoreDifferences["*"]).toEqual(["/description"]);
    expect(config.git).toEqual({ name: "Entra Bot", email: "bot@example.com" });
  });

  it("--env picks another environment and its break-glass override replaces the top-level list", () => {
    const config = loadConfig(writeConfig(FULL), "staging");
    expect(config.environment?.name).toBe("staging");
    expect(config.environment?.tenantId).toBe("contoso-staging.onmicrosoft.com");
    expect(config.breakGlass.accounts).toEqual(["user:bg-staging@contoso-staging.onmicrosoft.com"]);
    // groups not overridden: inherited
    expect(config.breakGlass.groups).toEqual(["group:emergency-access"]);
  });

  it("an unknown --env names the environments that exist", () => {
    const error = configError(() => loadConfig(writeConfig(FULL), "prod"));
    expect(error.message).toContain('environment "prod" is not defined');
    expect(error.message).toContain("production, staging");
  });

  it("a single environment is chosen without defaultEnvironment", () => {
    const config = loadConfig(writeConfig("environments:\n  only:\n    tenantId: contoso.onmicrosoft.com\n"));
    expect(config.environment?.name).toBe("only");
  });

  it("a missing file says how to create one", () => {
    const error = configError(() => loadConfig(join(tmpdir(), "does-not-exist", "entra-gitops.yaml")));
    expect(error.message).toContain("entra-gitops init");
  });
});

describe("configuration diagnostics", () => {
  it("points schema errors at file:line:column with the field path", () => {
    const text = [
      "environments:",
      "  prod:",
      "    tenantId: not a tenant",
      "    clientSecret: hunter2",
      "kinds: [conditionalAccessPolicy, conditionalAccesPolicy]",
      "maxDeletes: -1",
      "drift:",
      "  group: delete",
      "protected: [nokind/x]",
      "",
    ].join("\n");
    const error = configError(() => parseConfigText(text, "entra-gitops.yaml"));
    const byPath = new Map(error.diagnostics.map((d) => [d.path, d]));
    expect(byPath.get("environments.prod.tenantId")).toMatchObject({ line: 3, column: 15, file: "entra-gitops.yaml" });
    expect(byPath.get("environments.prod.tenantId")?.message).toBe("must be a tenant id (GUID) or a domain name");
    expect(byPath.get("environments.prod.clientSecret")).toMatchObject({ line: 4, column: 5 });
    expect(byPath.get("environments.prod.clientSecret")?.message).toBe('unknown property "clientSecret"');
    expect(byPath.get("kinds[1]")?.line).toBe(5);
    expect(byPath.get("kinds[1]")?.message).toContain("conditionalAccessPolicy");
    expect(byPath.get("maxDeletes")).toMatchObject({ line: 6, column: 13 });
    expect(byPath.get("drift.group")?.message).toBe("must be one of: commit, pr, revert");
    expect(byPath.get("protected[0]")?.line).toBe(9);
  });

  it("reports YAML syntax errors and duplicate keys with positions", () => {
    const error = configError(() => parseConfigText("prune: true\nprune: false\n", "c.yaml"));
    expect(error.message).toContain("not valid YAML");
    expect(error.diagnostics[0]).toMatchObject({ file: "c.yaml", line: 2, column: 1 });
    const bad = configError(() => parseConfigText("kinds: [group\n", "c.yaml"));
    expect(bad.diagnostics.length).toBeGreaterThan(0);
    expect(bad.diagnostics[0]?.line).toBeGreaterThanOrEqual(1);
  });

  it("rejects a defaultEnvironment that names no environment", () => {
    const error = configError(() => parseConfigText("environments:\n  a: {}\ndefaultEnvironment: b\n", "c.yaml"));
    expect(error.diagnostics[0]).toMatchObject({ path: "defaultEnvironment", line: 3, column: 21 });
    expect(error.diagnostics[0]?.message).toContain('"b" is not in environments (a)');
  });

  it("rejects graph URLs that are not https origins", () => {
    const error = configError(() =>
      parseConfigText("environments:\n  a:\n    graphUrl: http://graph.microsoft.com/v1.0\n", "c.yaml"),
    );
    expect(error.diagnostics[0]?.message).toBe("must be an https:// origin without a path");
  });
});

describe("configuration schema", () => {
  it("lists exactly the engine's kinds", () => {
    const schema = JSON.parse(readFileSync(CONFIG_SCHEMA_URL, "utf8")) as {
      properties: { kinds: { items: { enum: string[] } }; drift: { properties: Record<string, unknown> } };
    };
    expect(schema.properties.kinds.items.enum).toEqual([...KIND_NAMES]);
    expect(Object.keys(schema.properties.drift.properties).sort()).toEqual(["default", ...KIND_NAMES].sort());
  });

  it("is current: its kind lists are what the generator writes from the kind registry (npm run schemas)", () => {
    const text = readFileSync(CONFIG_SCHEMA_URL, "utf8");
    const regenerated = renderConfigSchema(withKindLists(JSON.parse(text) as JsonObject, allKinds().map((d) => d.kind).sort((a, b) => KIND_NAMES.indexOf(a) - KIND_NAMES.indexOf(b))));
    expect(regenerated).toBe(text);
  });
});

describe("isProtected", () => {
  it("matches KIND/NAME globs", () => {
    const config = { protected: ["conditionalAccessPolicy/break-glass-*", "*/keep-me", "group/team-?"] };
    expect(isProtected(config, "conditionalAccessPolicy/break-glass-block")).toBe(true);
    expect(isProtected(config, "namedLocation/break-glass-block")).toBe(false);
    expect(isProtected(config, "group/keep-me")).toBe(true);
    expect(isProtected(config, "group/team-a")).toBe(true);
    expect(isProtected(config, "group/team-ab")).toBe(false);
    expect(isProtected({ protected: ["group/a.b"] }, "group/aXb")).toBe(false);
  });
});

describe("ignoreDifferences paths", () => {
  it("accepts JSON pointers and dotted paths, rejects blanks", () => {
    const ok = parseConfigText("ignoreDifferences:\n  group: [/description, membershipRule.x]\n", "c.yaml");
    expect(ok.ignoreDifferences?.group).toEqual(["/description", "membershipRule.x"]);
    const error = configError(() => parseConfigText('ignoreDifferences:\n  group: ["/", "a b"]\n', "c.yaml"));
    expect(error.diagnostics.map((d) => d.path)).toEqual(["ignoreDifferences.group[0]", "ignoreDifferences.group[1]"]);
    expect(error.diagnostics[0]?.message).toContain("conditions.clientAppTypes");
  });
});
