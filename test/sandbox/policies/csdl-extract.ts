/**
 * Extracts the policy resources' types from Graph's v1.0 CSDL into the table the sandbox ships
 * (`src/sandbox/tenant/resources/policies/schema/csdl-tables.generated.ts`). The table is committed so
 * the sandbox needs no corpus at run time; `csdl-tables.test.ts` regenerates it and fails when it drifts
 * (run it with `UPDATE_CSDL_TABLES=1` to rewrite the file).
 */

/** Entity types the policy resources serve; everything they reference is pulled in transitively. */
export const ROOT_TYPES = [
  "conditionalAccessPolicy",
  "namedLocation",
  "ipNamedLocation",
  "countryNamedLocation",
  "authenticationStrengthPolicy",
  "authenticationCombinationConfiguration",
  "authenticationContextClassReference",
  "authorizationPolicy",
  "authenticationMethodsPolicy",
  "authenticationMethodConfiguration",
  "crossTenantAccessPolicy",
  "crossTenantAccessPolicyConfigurationDefault",
  "crossTenantAccessPolicyConfigurationPartner",
  "groupSetting",
  "groupSettingTemplate",
];

interface RawType {
  kind: "entity" | "complex";
  base?: string;
  abstract: boolean;
  props: [string, string, boolean][];
}

function strip(type: string): string {
  return type.replace(/graph\./g, "");
}

function parse(csdl: string): { types: Map<string, RawType>; enums: Map<string, { flags: boolean; members: string[] }> } {
  const types = new Map<string, RawType>();
  const enums = new Map<string, { flags: boolean; members: string[] }>();
  const typeRe = /<(EntityType|ComplexType) Name="([^"]+)"([^>]*?)(\/?)>([\s\S]*?)(?=<EntityType |<ComplexType |<EnumType |<Function |<Action |<EntityContainer|<\/Schema>)/g;
  for (const m of csdl.matchAll(typeRe)) {
    const [, tag, name, attrs, selfClosing, body] = m;
    if (!tag || !name || attrs === undefined) continue;
    const base = /BaseType="([^"]+)"/.exec(attrs)?.[1];
    const props: [string, string, boolean][] = [];
    if (!selfClosing && body) {
      const end = body.indexOf(`</${tag}>`);
      const own = end >= 0 ? body.slice(0, end) : body;
      for (const p of own.matchAll(/<Property Name="([^"]+)" Type="([^"]+)"([^>]*)\/>/g)) {
        if (p[1] && p[2]) props.push([p[1], strip(p[2]), /Nullable="false"/.test(p[3] ?? "")]);
      }
      // Contained navigation properties, marked `@` (e.g. grantControls.authenticationStrength).
      for (const p of own.matchAll(/<NavigationProperty Name="([^"]+)" Type="([^"]+)"[^>]*ContainsTarget="true"[^>]*\/>/g)) {
        if (p[1] && p[2]) props.push([p[1], `@${strip(p[2])}`, false]);
      }
    }
    const entry: RawType = { kind: tag === "EntityType" ? "entity" : "complex", abstract: /Abstract="true"/.test(attrs), props };
    if (base) entry.base = strip(base);
    types.set(name, entry);
  }
  for (const m of csdl.matchAll(/<EnumType Name="([^"]+)"([^>]*)>([\s\S]*?)<\/EnumType>/g)) {
    const [, name, attrs, body] = m;
    if (!name || !body) continue;
    const members = [...body.matchAll(/<Member Name="([^"]+)"/g)].map((x) => x[1] ?? "");
    enums.set(name, { flags: /IsFlags="true"/.test(attrs ?? ""), members });
  }
  return { types, enums };
}

function elementType(type: string): string {
  const m = /^Collection\((.+)\)$/.exec(type);
  return m?.[1] ?? type;
}

/** Returns the TypeScript source of the generated table. */
export function generateTables(csdl: string): string {
  const { types, enums } = parse(csdl);
  const wanted = new Set<string>();
  const wantedEnums = new Set<string>();
  const queue: [string, boolean][] = ROOT_TYPES.map((t) => [t, false]);
  const derived = new Map<string, string[]>();
  const expanded = new Set<string>();
  for (const [name, t] of types) {
    if (t.base) derived.set(t.base, [...(derived.get(t.base) ?? []), name]);
  }
  while (queue.length > 0) {
    const next = queue.pop();
    if (!next) continue;
    const [name, viaBase] = next;
    const t = types.get(name);
    if (!t || (wanted.has(name) && viaBase)) continue;
    const seen = wanted.has(name);
    wanted.add(name);
    if (t.base && t.base !== "entity") queue.push([t.base, true]);
    // Derived types of a type reached as a base (policyBase, directoryObject) are not pulled in.
    if (!viaBase && !expanded.has(name)) {
      expanded.add(name);
      for (const d of derived.get(name) ?? []) queue.push([d, false]);
    }
    if (seen) continue;
    for (const [, type] of t.props) {
      const el = elementType(type.replace(/^@/, ""));
      if (types.has(el)) queue.push([el, false]);
      else if (enums.has(el)) wantedEnums.add(el);
    }
  }
  const lines: string[] = [
    "// Generated from microsoftgraph/msgraph-metadata schemas/v1.0-Prod.csdl by",
    "// test/sandbox/policies/csdl-extract.ts. Do not edit: run",
    "// `UPDATE_CSDL_TABLES=1 npx vitest run test/sandbox/policies/csdl-tables.test.ts`.",
    'import type { CsdlEnum, CsdlType } from "./csdl-model.js";',
    "",
    "export const CSDL_TYPES: Readonly<Record<string, CsdlType>> = {",
  ];
  for (const name of [...wanted].sort()) {
    const t = types.get(name);
    if (!t) continue;
    const props = t.props.map(([p, type, required]) => `${JSON.stringify(p)}: ${JSON.stringify(required ? `${type}!` : type)}`);
    const head = [`kind: "${t.kind}"`];
    if (t.base) head.push(`base: ${JSON.stringify(t.base)}`);
    if (t.abstract) head.push("abstract: true");
    lines.push(`  ${JSON.stringify(name)}: { ${head.join(", ")}, props: { ${props.join(", ")} } },`);
  }
  lines.push("};", "", "export const CSDL_ENUMS: Readonly<Record<string, CsdlEnum>> = {");
  for (const name of [...wantedEnums].sort()) {
    const e = enums.get(name);
    if (!e) continue;
    lines.push(`  ${JSON.stringify(name)}: { flags: ${e.flags}, members: ${JSON.stringify(e.members)} },`);
  }
  lines.push("};", "");
  return lines.join("\n");
}
