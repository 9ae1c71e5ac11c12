import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identity/conditionalAccess/namedLocations";

/**
 * IP and country named locations. `@odata.type` tells the subtypes apart (on the object and on
 * each IP range), so it is kept. Graph fills `countryLookupMethod: clientIpAddress`,
 * `isTrusted: false` and `includeUnknownCountriesAndRegions: false` when absent.
 */
export const namedLocation = {
  kind: "namedLocation",
  reference: { prefix: "namedLocation" },
  audit: { activity: /named location/i },
  detect: {
    odataTypes: ["namedLocation", "ipNamedLocation", "countryNamedLocation"],
    context: /conditionalAccess\/namedLocations/i,
    shape: (o) => "ipRanges" in o || "countriesAndRegions" in o,
    folders: /^namedlocations?$/i,
  },
  required: ["displayName"],
  requiredByType: {
    "microsoft.graph.ipNamedLocation": ["ipRanges"],
    "microsoft.graph.countryNamedLocation": ["countriesAndRegions"],
    "microsoft.graph.iPv4CidrRange": ["cidrAddress"],
    "microsoft.graph.iPv6CidrRange": ["cidrAddress"],
  },
  title: "named location",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.namedLocation",
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec),
  serverManaged: ["id", "createdDateTime", "modifiedDateTime", "deletedDateTime"],
  // `@odata.type` cannot change (ip ↔ country means delete and create), but PATCH must carry it.
  createOnly: [],
  setArrays: ["ipRanges", "countriesAndRegions"],
  arrayKeys: { ipRanges: "cidrAddress" },
  references: [],
  dependsOn: [],
  permissions: { read: ["Policy.Read.All"], write: ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"], ids: { "Policy.Read.All": "246dd0d5-5bd0-4def-940b-0421030a5b68", "Policy.ReadWrite.ConditionalAccess": "01c0a623-fc9b-48e9-b794-0756f8e8f067" } },
  softDelete: {
    listPath: "/identity/conditionalAccess/deletedItems/namedLocations",
    restorePath: (id) => `/identity/conditionalAccess/deletedItems/namedLocations/${id}/restore`,
    // Documented in beta only (docs/graph-behaviour.md §8).
    apiVersion: "beta",
  },
  keepODataType: ["", "ipRanges"],
  // Graph refuses to delete a location marked trusted: it must be made untrusted first
  // (https://github.com/MicrosoftDocs/azure-docs/pull/108713).
  beforeDelete: {
    when: (spec) => spec.isTrusted === true,
    patch: (spec) => ({ "@odata.type": spec["@odata.type"] ?? "#microsoft.graph.ipNamedLocation", isTrusted: false }),
    note: "made untrusted (isTrusted: false), since Graph refuses to delete a trusted named location",
  },
  defaults: { countryLookupMethod: "clientIpAddress", isTrusted: false, includeUnknownCountriesAndRegions: false },
  normalize(spec) {
    // Country codes are upper-case ISO 3166-1 alpha-2; IPv4/IPv6 ranges compare case-insensitively.
    const countries = spec.countriesAndRegions;
    if (Array.isArray(countries)) {
      spec.countriesAndRegions = countries.map((c) => (typeof c === "string" ? c.toUpperCase() : c));
    }
    const ranges = spec.ipRanges;
    if (Array.isArray(ranges)) {
      for (const range of ranges) {
        if (typeof range === "object" && range !== null && !Array.isArray(range) && typeof range.cidrAddress === "string") {
          range.cidrAddress = range.cidrAddress.toLowerCase();
          range["@odata.type"] ??= range.cidrAddress.includes(":")
            ? "#microsoft.graph.iPv6CidrRange"
            : "#microsoft.graph.iPv4CidrRange";
        }
      }
    }
    return spec;
  },
} satisfies KindDescriptor;
