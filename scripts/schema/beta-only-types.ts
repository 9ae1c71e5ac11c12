/**
 * Types Graph defines only in beta (the v1.0 CSDL the generator reads lacks them): each kind that
 * needs one carries it in its descriptor (`betaOnlyType`, in the CSDL's terms), and this adds them
 * to the parsed model so the schema builder and the non-clearable generator treat them as any other.
 */
import type { CsdlModel } from "./csdl.js";
import type { KindDescriptor } from "../../src/kinds/types.js";

export type BetaOnlyTypeSource = Pick<KindDescriptor, "kind" | "graphType" | "betaOnlyType">;

/** `model` with every descriptor's beta-only type added (a copy; the same object when none has one). */
export function withBetaOnlyTypes(model: CsdlModel, descriptors: readonly BetaOnlyTypeSource[]): CsdlModel {
  const extra = descriptors.filter((d) => d.betaOnlyType !== undefined);
  if (extra.length === 0) return model;
  const types = new Map(model.types);
  const descriptions = new Map(model.descriptions);
  for (const d of extra) {
    const beta = d.betaOnlyType;
    if (beta === undefined) continue;
    if (model.types.has(d.graphType)) throw new Error(`${d.kind}: ${d.graphType} is in the CSDL; drop its betaOnlyType`);
    types.set(d.graphType, {
      name: d.graphType,
      kind: "entity",
      abstract: false,
      ...(beta.baseType ? { baseType: beta.baseType } : {}),
      properties: beta.properties.map((p) => ({ name: p.name, type: p.type, collection: false, nullable: p.nullable, navigation: false, containsTarget: false })),
    });
    descriptions.set(d.graphType, beta.description);
    for (const p of beta.properties) descriptions.set(`${d.graphType}/${p.name}`, p.description);
  }
  return { ...model, types, descriptions };
}
