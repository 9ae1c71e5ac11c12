/**
 * The shape of the CSDL table (`csdl-tables.generated.ts`) and lookups over it. A property type is
 * `Edm.String`, `conditionalAccessUsers`, `Collection(riskLevel)`, … with a trailing `!` when the CSDL
 * says `Nullable="false"` and a leading `@` for contained navigation properties.
 */
import { CSDL_ENUMS, CSDL_TYPES } from "./csdl-tables.generated.js";

export interface CsdlType {
  kind: "entity" | "complex";
  base?: string;
  abstract?: boolean;
  props: Readonly<Record<string, string>>;
}

export interface CsdlEnum {
  flags: boolean;
  members: readonly string[];
}

export interface PropertyType {
  /** `Edm.String`, an enum name or a complex/entity type name. */
  name: string;
  collection: boolean;
  nonNullable: boolean;
  /** A contained navigation property (`@` in the table). */
  navigation: boolean;
}

export function parsePropertyType(raw: string): PropertyType {
  const navigation = raw.startsWith("@");
  const nonNullable = raw.endsWith("!");
  const text = raw.slice(navigation ? 1 : 0, nonNullable ? -1 : undefined);
  const m = /^Collection\((.+)\)$/.exec(text);
  return { name: m?.[1] ?? text, collection: m !== null, nonNullable, navigation };
}

export function findType(name: string): CsdlType | undefined {
  return CSDL_TYPES[name];
}

export function findEnum(name: string): CsdlEnum | undefined {
  return CSDL_ENUMS[name];
}

/** All properties of a type, its base types' first (`entity` contributes `id`). */
export function allProperties(name: string): Record<string, string> {
  const chain: CsdlType[] = [];
  let current = CSDL_TYPES[name];
  while (current) {
    chain.unshift(current);
    current = current.base ? CSDL_TYPES[current.base] : undefined;
  }
  const props: Record<string, string> = {};
  const root = chain[0];
  if (root?.kind === "entity") props["id"] = "Edm.String!";
  for (const t of chain) Object.assign(props, t.props);
  return props;
}

/** True when `candidate` is `ancestor` or derives from it. */
export function derivesFrom(candidate: string, ancestor: string): boolean {
  let current: string | undefined = candidate;
  while (current) {
    if (current === ancestor) return true;
    current = CSDL_TYPES[current]?.base;
  }
  return false;
}
