import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identity/identityProviders";
const SOCIAL = "#microsoft.graph.socialIdentityProvider";

/**
 * Social identity providers for B2B guests (`socialIdentityProvider` under `/identity/identityProviders`;
 * a workforce tenant allows `Google` and `Facebook`, one of each, id `<type>-OAUTH`). Created,
 * updated (`displayName`, `clientId`) and deleted; the built-in providers (Microsoft account, email
 * one-time passcode) are listed by Graph but never exported or written. `clientSecret` is write-only
 * (Graph reads `******`): a document names the environment variable apply takes it from,
 * `env:NAME`; it is written on create, and again when the document's `clientSecretVersion` rises
 * above the one last applied in the environment (a rotation; `kinds/secret-references.ts`,
 * docs/graph-behaviour.md, identity providers). Opt-in: reading needs IdentityProvider.Read.All,
 * which no default kind needs.
 */
export const identityProvider = {
  kind: "identityProvider",
  optIn: true,
  audit: { activity: /identity provider/i },
  detect: { odataTypes: ["socialIdentityProvider"], context: /identityProviders/i, shape: (o) => "identityProviderType" in o && "clientId" in o },
  required: ["displayName", "identityProviderType", "clientId"],
  title: "identity provider",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.socialIdentityProvider",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  // One provider per type in a tenant (its id is `<type>-OAUTH`).
  naturalKey: "identityProviderType",
  documentName: (spec) => slugOf(spec, "identityProviderType", "identity-provider"),
  serverManaged: ["id"],
  createOnly: ["identityProviderType"],
  setArrays: [],
  references: [],
  dependsOn: [],
  secrets: [{ property: "clientSecret", requiredOnCreate: true, version: "clientSecretVersion" }],
  permissions: {
    read: ["IdentityProvider.Read.All"],
    write: ["IdentityProvider.ReadWrite.All"],
    ids: { "IdentityProvider.Read.All": "e321f0bb-e7f7-481e-bb28-e3b0b32d4bd0", "IdentityProvider.ReadWrite.All": "90db2b9a-d928-4d33-a4dd-8442ae3d41e4" },
  },
  isManaged: (live) => live["@odata.type"] === SOCIAL,
  refuseUpdate: (after, before) =>
    after.identityProviderType !== before.identityProviderType
      ? ["identityProviderType cannot change (Graph keeps one provider per type, id <type>-OAUTH): add a document for the new type and remove this one"]
      : [],
  // Graph tells the provider types apart by @odata.type; documents hold social providers only.
  toGraphBody: (body) => ({ "@odata.type": SOCIAL, ...body }),
} satisfies KindDescriptor;
