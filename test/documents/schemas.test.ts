import { existsSync, readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { KIND_NAMES } from "../../src/model/kind.js";
import { parseCsdl, allProperties, derivedTypes } from "../../scripts/schema/csdl.js";
import { buildKindSchema } from "../../scripts/schema/build-schema.js";
import { DEFAULT_CSDL_PATH, generateSchemaFiles } from "../../scripts/schema/generate.js";
import { kindValidator } from "../../src/documents/schema/validators.js";
import { Ajv } from "ajv";
import { allKinds, getKind } from "../../src/kinds/registry.js";

const xml = `<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EnumType Name="color" IsFlags="true"><Member Name="red" Value="1" /><Member Name="blue" Value="2" /><Member Name="unknownFutureValue" Value="4" /></EnumType>
  <EnumType Name="state"><Member Name="on" Value="0" /><Member Name="off" Value="1" /></EnumType>
  <EntityType Name="entity" Abstract="true"><Key><PropertyRef Name="id" /></Key><Property Name="id" Type="Edm.String" Nullable="false" /></EntityType>
  <EntityType Name="widget" BaseType="graph.entity">
    <Property Name="displayName" Type="Edm.String" Nullable="false" />
    <Property Name="state" Type="graph.state" />
    <Property Name="colors" Type="graph.color" />
    <Property Name="secret" Type="Edm.String" />
    <Property Name="ranges" Type="Collection(graph.range)" Nullable="false" />
    <NavigationProperty Name="owner" Type="graph.entity" />
  </EntityType>
  <ComplexType Name="range" Abstract="true" />
  <ComplexType Name="v4Range" BaseType="graph.range"><Property Name="cidr" Type="Edm.String" /></ComplexType>
  <Annotations Target="graph.widget/secret"><Annotation Term="Org.OData.Core.V1.Computed" Bool="true" /></Annotations>
  <Annotations Target="microsoft.graph.widget/displayName"><Annotation Term="Org.OData.Core.V1.Description" String="The name &amp; title." /></Annotations>
</Schema></edmx:DataServices></edmx:Edmx>`;

describe("CSDL reader and schema builder", () => {
  const model = parseCsdl(xml);

  test("reads types, inheritance, enums and annotations", () => {
    expect(allProperties(model, "microsoft.graph.widget").map((p) => p.name)).toEqual(["id", "displayName", "state", "colors", "secret", "ranges", "owner"]);
    expect(model.enums.get("microsoft.graph.color")).toEqual({ name: "microsoft.graph.color", isFlags: true, members: ["red", "blue", "unknownFutureValue"] });
    expect(model.readOnly.has("microsoft.graph.widget/secret")).toBe(true);
    expect(model.descriptions.get("microsoft.graph.widget/displayName")).toBe("The name & title.");
    expect(derivedTypes(model, "microsoft.graph.range")).toEqual(["microsoft.graph.v4Range"]);
  });

  test("builds a closed schema without read-only, server-managed or navigation properties", () => {
    const schema = buildKindSchema(model, { kind: "group", graphType: "microsoft.graph.widget", apiVersion: "v1.0", serverManaged: ["id"], references: [], singleton: false, required: ["displayName"], keepODataType: ["ranges"] }, "test");
    const spec = (schema.properties as Record<string, Record<string, unknown>>).spec ?? {};
    expect(Object.keys(spec.properties as object)).toEqual(["@odata.type", "displayName", "state", "colors", "ranges"]);
    expect(spec.required).toEqual(["displayName"]);
    expect(spec.additionalProperties).toBe(false);
    const props = spec.properties as Record<string, Record<string, unknown>>;
    expect(props.state).toEqual({ enum: ["on", "off", null] });
    expect(props.colors?.["x-flags"]).toEqual(["red", "blue"]);
    expect(props.displayName?.description).toBe("The name & title.");
    expect(JSON.stringify(props.ranges)).toContain('"discriminator":{"propertyName":"@odata.type"}');
  });
});

describe("committed schemas", () => {
  test.each(KIND_NAMES)("schemas/%s.schema.json compiles", (kind) => {
    expect(typeof kindValidator(kind)).toBe("function");
  });
  test("the committed beta schema of a kind managed through beta accepts its beta properties; the v1.0 one refuses them", () => {
    expect(existsSync("schemas/conditionalAccessPolicy.beta.schema.json")).toBe(true);
    const doc = {
      kind: "conditionalAccessPolicy",
      name: "p",
      spec: { displayName: "P", state: "enabled", conditions: { applications: { includeApplications: ["All"] }, users: { includeUsers: ["All"] } }, sessionControls: { continuousAccessEvaluation: { mode: "strictEnforcement" } } },
    };
    expect(kindValidator("conditionalAccessPolicy", "beta")(doc)).toBe(true);
    expect(kindValidator("conditionalAccessPolicy", "v1.0")(doc)).toBe(false);
  });
});

describe.skipIf(!existsSync(DEFAULT_CSDL_PATH))("schemas are up to date with the CSDL (requires ../shared/corpus)", () => {
  test("regenerating gives the committed files byte for byte (run `npm run schemas` if not)", async () => {
    const files = await generateSchemaFiles(DEFAULT_CSDL_PATH, allKinds());
    for (const [name, content] of files) expect(readFileSync(`schemas/${name}`, "utf8"), name).toBe(content);
  });
});

describe.skipIf(!existsSync(DEFAULT_CSDL_PATH))("beta properties (requires ../shared/corpus)", () => {
  test("a beta kind accepts the allow-listed beta properties; the v1.0 kind refuses them", () => {
    const model = parseCsdl(readFileSync(DEFAULT_CSDL_PATH, "utf8"));
    const v1 = getKind("conditionalAccessPolicy");
    const doc = {
      kind: "conditionalAccessPolicy",
      name: "p",
      spec: { displayName: "P", state: "enabled", conditions: { times: { included: "all" }, clientApplications: { includeAgentIdServicePrincipals: ["All"] } } },
    };
    const check = (apiVersion: "v1.0" | "beta"): boolean => {
      const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
      return ajv.validate(buildKindSchema(model, { ...v1, apiVersion }, "test"), doc);
    };
    expect(check("beta")).toBe(true);
    expect(check("v1.0")).toBe(false);
  });
});
