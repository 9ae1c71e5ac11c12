import { mkdtemp, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatDocument } from "../../src/documents/format-document.js";
import { parseDocumentText } from "../../src/documents/read-document.js";
import { UnsafeDocumentPathError, documentPath, writeDocument } from "../../src/documents/write-document.js";
import type { EntraDocument } from "../../src/model/document.js";

const policy: EntraDocument = {
  kind: "conditionalAccessPolicy",
  name: "require-mfa-for-admins",
  id: "7d2c0f9e-1111-4c8e-9a1e-000000000001",
  spec: {
    state: "enabled",
    displayName: "Require MFA: admins #1",
    conditions: {
      users: {
        includeRoles: ["role:Global Administrator"],
        excludeGroups: ["group:emergency-access", "2eee133e-3427-4860-81b9-057d5b28b022"],
        excludeUsers: [],
      },
      clientAppTypes: ["all"],
    },
    grantControls: { operator: "OR", builtInControls: ["mfa"] },
    sessionControls: null,
    "@odata.type": "#microsoft.graph.conditionalAccessPolicy",
  },
};

const expected = `# yaml-language-server: $schema=../../.entra-gitops/schemas/conditionalAccessPolicy.schema.json
kind: conditionalAccessPolicy
name: require-mfa-for-admins
id: 7d2c0f9e-1111-4c8e-9a1e-000000000001
spec:
  "@odata.type": "#microsoft.graph.conditionalAccessPolicy"
  conditions:
    clientAppTypes:
      - all
    users:
      excludeGroups:
        - group:emergency-access
        - 2eee133e-3427-4860-81b9-057d5b28b022 # Old break-glass group
      excludeUsers: []
      includeRoles:
        - role:Global Administrator
  displayName: "Require MFA: admins #1"
  grantControls:
    builtInControls:
      - mfa
    operator: OR
  sessionControls: null
  state: enabled
`;

describe("formatDocument", () => {
  const annotations = { "2EEE133E-3427-4860-81B9-057D5B28B022": "Old break-glass\ngroup" };

  test("writes the documented layout byte for byte", () => {
    expect(formatDocument(policy, { annotations })).toBe(expected);
  });

  test("is deterministic whatever the input key order", () => {
    const shuffled: EntraDocument = { spec: Object.fromEntries(Object.entries(policy.spec).reverse()), id: policy.id, name: policy.name, kind: policy.kind };
    expect(formatDocument(shuffled, { annotations })).toBe(formatDocument(policy, { annotations }));
  });

  test("reads back to the same data, with LF and a trailing newline", () => {
    const text = formatDocument(policy);
    expect(text.includes("\r")).toBe(false);
    expect(text.endsWith("\n")).toBe(true);
    const back = parseDocumentText(text, "tenant-config/conditionalAccessPolicy/require-mfa-for-admins.yaml");
    expect(back.diagnostics).toEqual([]);
    expect(back.document?.spec).toEqual(policy.spec);
  });

  test("quotes what a YAML 1.1 reader would misread", () => {
    const text = formatDocument({ kind: "group", name: "g", spec: { a: "on", b: "No", c: "12:30", d: "enabled", e: "y" } });
    expect(text).toContain('  a: "on"\n  b: "No"\n  c: "12:30"\n  d: enabled\n  e: "y"\n');
  });

  test("never folds long lines and quotes only when needed", () => {
    const long = "word ".repeat(60).trim();
    const text = formatDocument({ kind: "group", name: "g", spec: { description: long, mailNickname: "0123", displayName: "yes" } });
    expect(text).toContain(`  description: ${long}\n`);
    expect(text).toContain('  mailNickname: "0123"\n');
    expect(text).toContain('  displayName: "yes"\n');
  });
});

describe("writeDocument", () => {
  test("writes atomically, leaves identical files alone, and leaves no temp files", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-write-"));
    const first = await writeDocument(root, policy);
    expect(first.outcome).toBe("created");
    const mtime = (await stat(first.path)).mtimeMs;
    expect((await writeDocument(root, policy)).outcome).toBe("unchanged");
    expect((await stat(first.path)).mtimeMs).toBe(mtime);
    expect(await readdir(join(root, "conditionalAccessPolicy"))).toEqual(["require-mfa-for-admins.yaml"]);
    expect(await readFile(first.path, "utf8")).toBe(formatDocument(policy));
  });

  test.each(["../escape", "a/b", "..", "UPPER", "", "x".repeat(129), "a\\..\\b"])("refuses the name %j and writes nothing", async (name) => {
    const root = await mkdtemp(join(tmpdir(), "eg-write-"));
    await expect(writeDocument(root, { ...policy, name })).rejects.toBeInstanceOf(UnsafeDocumentPathError);
    expect(await readdir(root)).toEqual([]);
    expect(await readdir(join(root, ".."))).not.toContain("escape.yaml");
  });

  test("refuses an unknown kind and a kind folder that is a symbolic link", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-write-"));
    expect(() => documentPath(root, "../../etc", "passwd")).toThrow(/unknown kind/);
    const elsewhere = await mkdtemp(join(tmpdir(), "eg-elsewhere-"));
    await symlink(elsewhere, join(root, "group"));
    await expect(writeDocument(root, { kind: "group", name: "g", spec: {} })).rejects.toThrow(/not a plain folder/);
    expect(await readdir(elsewhere)).toEqual([]);
  });

  test("replaces an existing file's content", async () => {
    const root = await mkdtemp(join(tmpdir(), "eg-write-"));
    await mkdir(join(root, "group"));
    await writeFile(join(root, "group", "g.yaml"), "old\r\n");
    const result = await writeDocument(root, { kind: "group", name: "g", spec: { displayName: "G" } });
    expect(result.outcome).toBe("updated");
    expect(await readFile(result.path, "utf8")).toBe("# yaml-language-server: $schema=../../.entra-gitops/schemas/group.schema.json\nkind: group\nname: g\nspec:\n  displayName: G\n");
  });
});
