import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../src/model/document.js";
import { normalizeDocument, normalizeLive } from "../../src/kinds/normalize.js";
import { getKind } from "../../src/kinds/registry.js";
import { toGraph } from "../../src/kinds/toGraph.js";
import { contosoDirectory, IDS } from "./directory.js";

const ca = getKind("conditionalAccessPolicy");
const directory = contosoDirectory();
const PHISHING_RESISTANT = "00000000-0000-0000-0000-000000000004";

function policy(grantControls: JsonObject): JsonObject {
  return {
    id: "d2cebefb-fc77-4986-8890-4fe511825ee7",
    displayName: "Admins phishing-resistant MFA",
    state: "enabled",
    conditions: { users: { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] }, applications: { includeApplications: ["All"] } },
    grantControls,
  };
}

describe("the built-in authentication strength, written three ways", () => {
  const byId = policy({ operator: "OR", authenticationStrength: { id: PHISHING_RESISTANT } });
  const embedded = policy({
    operator: "OR",
    builtInControls: [],
    authenticationStrength: {
      id: PHISHING_RESISTANT,
      displayName: "Phishing-resistant MFA",
      description: "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key",
      policyType: "builtIn",
      requirementsSatisfied: "mfa",
      allowedCombinations: ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"],
    },
  });
  const embeddedWithTimestamps = policy({
    "@odata.type": "#microsoft.graph.conditionalAccessGrantControls",
    operator: "OR",
    "authenticationStrength@odata.context": "https://graph.microsoft.com/beta/$metadata#…/authenticationStrength/$entity",
    authenticationStrength: {
      "@odata.type": "#microsoft.graph.authenticationStrengthPolicy",
      id: PHISHING_RESISTANT,
      "createdDateTime@odata.type": "#DateTimeOffset",
      createdDateTime: "2021-12-01T08:00:00Z",
      modifiedDateTime: "2021-12-01T08:00:00Z",
      displayName: "Phishing-resistant MFA",
      combinationConfigurations: [],
      "#microsoft.graph.usage": { title: "microsoft.graph.usage", target: "https://graph.microsoft.com/beta/…/usage" },
    },
  });

  const forms = [byId, embedded, embeddedWithTimestamps].map((p) => normalizeLive(ca, p, directory).spec);

  it("normalize to the same document", () => {
    expect(forms[1]).toStrictEqual(forms[0]);
    expect(forms[2]).toStrictEqual(forms[0]);
    expect(forms[0]?.grantControls).toStrictEqual({
      operator: "OR",
      authenticationStrength: { id: "authenticationStrength:Phishing-resistant MFA" },
    });
  });

  it("are written to Graph as { id }", () => {
    const body = toGraph(ca, forms[0] ?? {}, directory, "create");
    expect(body.grantControls).toStrictEqual({ operator: "OR", authenticationStrength: { id: PHISHING_RESISTANT } });
  });

  it("accept a document naming the strength by display name, slug or a plain string", () => {
    for (const written of ["authenticationStrength:Phishing-resistant MFA", "authenticationStrength:phishing-resistant-mfa"]) {
      const spec = normalizeDocument(ca, { grantControls: { operator: "OR", authenticationStrength: written } });
      expect(toGraph(ca, spec, directory, "create").grantControls).toStrictEqual({
        operator: "OR",
        authenticationStrength: { id: PHISHING_RESISTANT },
      });
    }
  });

  it("resolve a custom strength through the directory", () => {
    const live = policy({ operator: "OR", authenticationStrength: { id: IDS.contosoStrength, displayName: "Contoso authentication level" } });
    const spec = normalizeLive(ca, live, directory).spec;
    expect(spec.grantControls).toStrictEqual({ operator: "OR", authenticationStrength: { id: "authenticationStrength:contoso-authentication-level" } });
  });
});

describe("flag enums", () => {
  const withTypes = (types: string, transfer: string): JsonObject => ({
    conditions: {
      users: { includeGuestsOrExternalUsers: { guestOrExternalUserTypes: types, externalTenants: { "@odata.type": "#microsoft.graph.conditionalAccessAllExternalTenants", membershipKind: "all" } } },
      authenticationFlows: { transferMethods: transfer },
    },
  });

  it("are equal whatever the order and spacing after commas", () => {
    const a = normalizeDocument(ca, withTypes("b2bCollaborationGuest,serviceProvider,internalGuest", "deviceCodeFlow,authenticationTransfer"));
    const b = normalizeDocument(ca, withTypes("internalGuest, serviceProvider,  b2bCollaborationGuest", "authenticationTransfer, deviceCodeFlow"));
    expect(a).toStrictEqual(b);
    expect(a).toStrictEqual(withTypes("b2bCollaborationGuest,internalGuest,serviceProvider", "authenticationTransfer,deviceCodeFlow"));
  });

  it("canonicalize each combination of an authentication strength", () => {
    const strength = getKind("authenticationStrengthPolicy");
    const a = normalizeDocument(strength, { displayName: "x", allowedCombinations: ["password, sms", "fido2", "sms,password"] });
    expect(a.allowedCombinations).toStrictEqual(["fido2", "password,sms"]);
  });
});

describe("equivalent forms Graph itself treats as equal", () => {
  it("clientAppTypes [All] is [all], which is what Graph fills in when absent; platforms All is all", () => {
    const a = normalizeDocument(ca, { conditions: { clientAppTypes: ["All"], platforms: { includePlatforms: ["All"], excludePlatforms: ["iOS"] } } });
    const b = normalizeDocument(ca, { conditions: { platforms: { includePlatforms: ["all"], excludePlatforms: ["iOS"] } } });
    expect(a).toStrictEqual(b);
    expect(a).toStrictEqual({ conditions: { platforms: { includePlatforms: ["all"], excludePlatforms: ["iOS"] } } });
  });

  it("a grant block with only an operator is no grant block (session-only policy)", () => {
    const live = normalizeLive(ca, { displayName: "s", state: "enabled", grantControls: null, sessionControls: { signInFrequency: { value: 4, type: "hours", isEnabled: true } } }, directory);
    const written = normalizeDocument(ca, { displayName: "s", state: "enabled", grantControls: { operator: "OR", builtInControls: [] }, sessionControls: { signInFrequency: { value: 4, type: "hours", isEnabled: true } } });
    expect(written).toStrictEqual(live.spec);
  });

  it("keeps sentinels, including the all-zero location and differently cased ones", () => {
    const spec = normalizeLive(ca, {
      displayName: "s",
      conditions: {
        users: { includeUsers: ["All"], excludeUsers: ["None"] },
        applications: { includeApplications: ["Office365"], excludeApplications: ["MicrosoftAdminPortals"] },
        clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: [IDS.automationSp] },
        locations: { includeLocations: ["AllTrusted"], excludeLocations: ["00000000-0000-0000-0000-000000000000"] },
      },
    }, directory).spec;
    expect(spec.conditions).toStrictEqual({
      users: { includeUsers: ["All"], excludeUsers: ["None"] },
      applications: { includeApplications: ["Office365"], excludeApplications: ["MicrosoftAdminPortals"] },
      clientApplications: { includeServicePrincipals: ["ServicePrincipalsInMyTenant"], excludeServicePrincipals: ["servicePrincipal:automation"] },
      locations: { includeLocations: ["AllTrusted"], excludeLocations: ["00000000-0000-0000-0000-000000000000"] },
    });
  });
});

describe("defaults Graph fills in", () => {
  it("make a minimal document equal to what Graph returns", () => {
    const live = normalizeLive(ca, {
      id: "b3f1298e-8e93-49af-bdbf-94cf7d453ca3",
      displayName: "Sign-in frequency",
      state: "enabled",
      conditions: { clientAppTypes: ["all"], users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
      sessionControls: {
        disableResilienceDefaults: false,
        signInFrequency: { value: 4, type: "hours", authenticationType: "primaryAndSecondaryAuthentication", frequencyInterval: "timeBased", isEnabled: true },
      },
    }, directory);
    const written = normalizeDocument(ca, {
      displayName: "Sign-in frequency",
      state: "enabled",
      conditions: { users: { includeUsers: ["All"] }, applications: { includeApplications: ["All"] } },
      grantControls: { builtInControls: ["mfa"] },
      sessionControls: { signInFrequency: { value: 4, type: "hours", isEnabled: true } },
    });
    expect(written).toStrictEqual(live.spec);
  });

  it("keep a non-default operator and show the default one", () => {
    expect(normalizeDocument(ca, { grantControls: { builtInControls: ["mfa"] } })).toStrictEqual({ grantControls: { builtInControls: ["mfa"], operator: "OR" } });
    expect(normalizeDocument(ca, { grantControls: { operator: "AND", builtInControls: ["mfa", "compliantDevice"] } })).toStrictEqual({
      grantControls: { operator: "AND", builtInControls: ["compliantDevice", "mfa"] },
    });
  });
});
