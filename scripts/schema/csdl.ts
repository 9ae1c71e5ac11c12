/**
 * A small reader for Graph's CSDL (OData EDMX XML): entity and complex types with their base types
 * and properties, enum types with their members, and the `Computed` / read-only and `Description`
 * annotations. Hand-rolled over the tag stream (the file is machine-written, one element per line
 * style, no CDATA) so the project needs no XML dependency.
 */

export interface CsdlProperty {
  name: string;
  /** Full type name without `Collection(...)`, e.g. `microsoft.graph.conditionalAccessUsers`, `Edm.String`. */
  type: string;
  collection: boolean;
  nullable: boolean;
  navigation: boolean;
  containsTarget: boolean;
}

export interface CsdlStructuredType {
  name: string;
  kind: "entity" | "complex";
  baseType?: string;
  abstract: boolean;
  properties: CsdlProperty[];
}

export interface CsdlEnumType {
  name: string;
  isFlags: boolean;
  members: string[];
}

export interface CsdlModel {
  types: Map<string, CsdlStructuredType>;
  enums: Map<string, CsdlEnumType>;
  /** `type/property` targets annotated Computed or read-only (Permissions Read). */
  readOnly: Set<string>;
  /** Descriptions by `type` or `type/property`. */
  descriptions: Map<string, string>;
}

const TAG = /<(\/?)([A-Za-z][\w.:]*)((?:\s+[\w.:]+\s*=\s*"[^"]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
const ATTR = /([\w.:]+)\s*=\s*"([^"]*)"/g;

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(ATTR)) out[m[1] as string] = decodeEntities(m[2] as string);
  return out;
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
    if (e === "lt") return "<";
    if (e === "gt") return ">";
    if (e === "amp") return "&";
    if (e === "quot") return '"';
    if (e === "apos") return "'";
    return String.fromCodePoint(e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
  });
}

export function parseCsdl(xml: string): CsdlModel {
  const model: CsdlModel = { types: new Map(), enums: new Map(), readOnly: new Set(), descriptions: new Map() };
  const aliases = new Map<string, string>();
  let namespace = "";
  let currentType: CsdlStructuredType | undefined;
  let currentEnum: CsdlEnumType | undefined;
  let target: string | undefined;
  let inPermissions = false;
  let lastIndex = 0;
  const qualify = (name: string): string => {
    const dot = name.lastIndexOf(".");
    if (dot < 0) return name;
    const ns = name.slice(0, dot);
    return `${aliases.get(ns) ?? ns}${name.slice(dot)}`;
  };
  const typeRef = (raw: string): { type: string; collection: boolean } => {
    const m = /^Collection\((.+)\)$/.exec(raw);
    return m ? { type: qualify(m[1] as string), collection: true } : { type: qualify(raw), collection: false };
  };

  // First pass: namespaces and their aliases (types refer to each other across schemas).
  for (const m of xml.matchAll(/<Schema\s[^>]*>/g)) {
    const a = attributes(m[0]);
    if (a.Namespace && a.Alias) aliases.set(a.Alias, a.Namespace);
  }

  for (const m of xml.matchAll(TAG)) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (tag === undefined) continue;
    const text = xml.slice(lastIndex, m.index);
    lastIndex = (m.index ?? 0) + m[0].length;
    if (closing) {
      if (tag === "EntityType" || tag === "ComplexType") currentType = undefined;
      else if (tag === "EnumType") currentEnum = undefined;
      else if (tag === "Annotations") target = undefined;
      else if (tag === "EnumMember" && inPermissions && target && /Permission\/Read$/.test(text.trim())) model.readOnly.add(target);
      else if (tag === "Annotation") inPermissions = false;
      continue;
    }
    const a = attributes(attrText ?? "");
    switch (tag) {
      case "Schema":
        namespace = a.Namespace ?? "";
        break;
      case "EntityType":
      case "ComplexType": {
        const name = `${namespace}.${a.Name ?? ""}`;
        const type: CsdlStructuredType = {
          name,
          kind: tag === "EntityType" ? "entity" : "complex",
          abstract: a.Abstract === "true",
          properties: [],
          ...(a.BaseType ? { baseType: qualify(a.BaseType) } : {}),
        };
        model.types.set(name, type);
        currentType = selfClosing ? undefined : type;
        break;
      }
      case "Property":
      case "NavigationProperty":
        if (currentType && a.Name && a.Type) {
          currentType.properties.push({
            name: a.Name,
            ...typeRef(a.Type),
            nullable: a.Nullable !== "false",
            navigation: tag === "NavigationProperty",
            containsTarget: a.ContainsTarget === "true",
          });
        }
        break;
      case "EnumType": {
        const e: CsdlEnumType = { name: `${namespace}.${a.Name ?? ""}`, isFlags: a.IsFlags === "true", members: [] };
        model.enums.set(e.name, e);
        currentEnum = selfClosing ? undefined : e;
        break;
      }
      case "Member":
        if (currentEnum && a.Name) currentEnum.members.push(a.Name);
        break;
      case "Annotations":
        target = a.Target ? qualifyTarget(a.Target, qualify) : undefined;
        break;
      case "Annotation":
        if (!target) break;
        if (a.Term === "Org.OData.Core.V1.Computed" && a.Bool !== "false") model.readOnly.add(target);
        else if (a.Term === "Org.OData.Core.V1.Description" && a.String) model.descriptions.set(target, a.String);
        else if (a.Term === "Org.OData.Core.V1.Permissions") inPermissions = !selfClosing;
        break;
    }
  }
  return model;
}

function qualifyTarget(raw: string, qualify: (name: string) => string): string {
  const slash = raw.indexOf("/");
  return slash < 0 ? qualify(raw) : `${qualify(raw.slice(0, slash))}${raw.slice(slash)}`;
}

/** Properties of a type including inherited ones, base type first (Graph's own order). */
export function allProperties(model: CsdlModel, typeName: string): Array<CsdlProperty & { owner: string }> {
  const chain: CsdlStructuredType[] = [];
  for (let t = model.types.get(typeName); t; t = t.baseType ? model.types.get(t.baseType) : undefined) chain.unshift(t);
  return chain.flatMap((t) => t.properties.map((p) => ({ ...p, owner: t.name })));
}

/** Concrete (non-abstract) types derived, directly or not, from `typeName`, in name order. */
export function derivedTypes(model: CsdlModel, typeName: string): string[] {
  const out: string[] = [];
  const visit = (base: string): void => {
    for (const t of model.types.values()) {
      if (t.baseType === base) {
        if (!t.abstract) out.push(t.name);
        visit(t.name);
      }
    }
  };
  visit(typeName);
  return out.sort();
}
