import type { CsdlModel } from "./csdl.js";
import { allProperties, derivedTypes } from "./csdl.js";
import { withBetaOnlyTypes } from "./beta-only-types.js";
import type { KindDescriptor } from "../../src/kinds/types.js";

/**
 * What the CSDL says Graph cannot clear on one kind (used by `npm run schemas`-time generation,
 * never at run time: the CSDL does not ship). See `non-clearable.ts` for how the lists are used.
 */
export interface CsdlNonClearable {
  /** Dotted paths of single-valued primitive/enum properties declared `Nullable="false"`. */
  paths: string[];
  /** Dotted paths of single-valued complex properties declared `Nullable="false"` (never sent as null). */
  containers: string[];
}

/** Complex types are followed this deep (CA conditions are 3 levels). */
const MAX_DEPTH = 4;

export type CsdlKindInfo = Pick<KindDescriptor, "graphType" | "serverManaged" | "createOnly" | "defaults" | "relationships" | "nestedCollections" | "propertyActions" | "keepODataType">;

/**
 * Non-nullable single-valued properties of a kind's type (and of its derived types where the kind
 * keeps `@odata.type`, i.e. where documents may hold a subtype), recursively through
 * single-valued complex properties (not through collections: arrays are written whole). Skips
 * navigation properties, streams, read-only properties, and paths the descriptor already handles:
 * server-managed, create-only, relationships, nested collections, property actions, and `defaults`
 * (absent there means the default, which can be written).
 */
export function csdlNonClearable(model: CsdlModel, info: CsdlKindInfo): CsdlNonClearable {
  const skip = new Set<string>([
    ...info.serverManaged,
    ...info.createOnly,
    ...Object.keys(info.defaults ?? {}),
    ...(info.relationships ?? []).map((r) => r.property),
    ...(info.nestedCollections ?? []).map((n) => n.property),
    ...(info.propertyActions ?? []).map((a) => a.property),
  ]);
  const paths = new Set<string>();
  const containers = new Set<string>();
  const polymorphic = new Set(info.keepODataType ?? []);
  const visit = (typeName: string, prefix: string, depth: number, trail: ReadonlySet<string>): void => {
    for (const type of [typeName, ...(polymorphic.has(prefix) ? derivedTypes(model, typeName) : [])]) {
      for (const p of allProperties(model, type)) {
        const path = prefix === "" ? p.name : `${prefix}.${p.name}`;
        if (p.navigation || p.collection || skip.has(path) || p.type === "Edm.Stream") continue;
        if (model.readOnly.has(`${p.owner}/${p.name}`)) continue;
        if (model.types.has(p.type)) {
          if (depth >= MAX_DEPTH || trail.has(p.type)) continue;
          if (!p.nullable) containers.add(path);
          visit(p.type, path, depth + 1, new Set([...trail, p.type]));
        } else if (!p.nullable) {
          paths.add(path);
        }
      }
    }
  };
  visit(info.graphType, "", 0, new Set([info.graphType]));
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { paths: sorted(paths), containers: sorted(containers) };
}

/** The text of `non-clearable.generated.ts` for these descriptors (kinds with nothing are left out). */
export function renderNonClearableModule(csdl: CsdlModel, descriptors: readonly (CsdlKindInfo & Pick<KindDescriptor, "kind" | "betaOnlyType">)[], source: string): string {
  const model = withBetaOnlyTypes(csdl, descriptors);
  const lines = [
    "// Generated from the Graph v1.0 CSDL by test/kinds/non-clearable-generated.test.ts",
    `// (${source}); regenerate with \`npx vitest run test/kinds/non-clearable-generated.test.ts -u\`.`,
    'import type { Kind } from "../model/kind.js";',
    "",
    "/** Per kind: single-valued properties the CSDL declares `Nullable=\"false\"` (see non-clearable.ts). */",
    "export const CSDL_NON_CLEARABLE: Readonly<Partial<Record<Kind, { readonly paths: readonly string[]; readonly containers: readonly string[] }>>> = {",
  ];
  for (const d of [...descriptors].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))) {
    const { paths, containers } = csdlNonClearable(model, d);
    if (paths.length === 0 && containers.length === 0) continue;
    lines.push(`  ${d.kind}: {`);
    lines.push(`    paths: [${paths.map((p) => JSON.stringify(p)).join(", ")}],`);
    lines.push(`    containers: [${containers.map((p) => JSON.stringify(p)).join(", ")}],`);
    lines.push("  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}
