import type { JsonObject } from "../model/document.js";
import { isJsonObject } from "../model/json.js";
import { canonicalJson } from "../model/json.js";
import { slugOf } from "./common.js";
import type { KindDescriptor } from "./types.js";

const COLLECTION = "/identityGovernance/termsOfUse/agreements";
const FILES = "files";

/** A file as plan compares it: what Graph returns of it (never the PDF itself). */
function fileKeys(spec: JsonObject): string[] {
  const files = spec[FILES];
  if (!Array.isArray(files)) return [];
  return files.filter(isJsonObject).map((f) => canonicalJson({ fileName: f.fileName ?? null, language: f.language ?? null, isDefault: f.isDefault ?? false }));
}

/**
 * Terms of use (`agreement`, `/identityGovernance/termsOfUse/agreements`): `displayName`,
 * `isViewingBeforeAcceptanceRequired`, `isPerDeviceAcceptanceRequired`, `termsExpiration` and
 * `userReacceptRequiredFrequency`, and its PDFs (`files`: `fileName`, `language`, `isDefault`),
 * read with `$expand=files`. Graph never returns a PDF's content (`fileData` is null on every
 * read) and takes it only in the create body, so the PDF lives beside the document as
 * `<name>.<language>.pdf` (`attachments`) and is read when the agreement is created; files cannot
 * change after creation (docs/graph-behaviour.md, terms of use). Conditional Access policies name
 * an agreement as `agreement:<name>` in `grantControls.termsOfUse`. Opt-in: reading needs
 * Agreement.Read.All, which no other kind needs.
 */
export const agreement = {
  kind: "agreement",
  reference: { prefix: "agreement" },
  audit: { activity: /terms of use|\bagreement\b/i },
  detect: { odataTypes: ["agreement"], context: /termsOfUse\/agreements/i, shape: (o) => "isViewingBeforeAcceptanceRequired" in o },
  required: ["displayName", "isViewingBeforeAcceptanceRequired", FILES],
  requiredByType: { "microsoft.graph.agreementFileLocalization": ["fileName", "language"] },
  title: "terms of use agreement",
  apiVersion: "v1.0",
  graphType: "microsoft.graph.agreement",
  optIn: true,
  singleton: false,
  collectionPath: COLLECTION,
  itemPath: (id) => `${COLLECTION}/${id}`,
  listQuery: { $expand: FILES },
  naturalKey: "displayName",
  documentName: (spec) => slugOf(spec, "displayName", "terms-of-use"),
  // A file's id, time, display name (Graph's own) and versions are not configuration; the PDF is in `attachments`.
  serverManaged: ["id", "acceptances", "file", `${FILES}.id`, `${FILES}.createdDateTime`, `${FILES}.displayName`, `${FILES}.isMajorVersion`, `${FILES}.fileData`, `${FILES}.versions`],
  createOnly: [],
  setArrays: [FILES],
  arrayKeys: { [FILES]: "language" },
  references: [],
  dependsOn: [],
  permissions: {
    read: ["Agreement.Read.All"],
    write: ["Agreement.ReadWrite.All"],
    ids: { "Agreement.Read.All": "2f3e6f8c-093b-4c57-a58b-ba5ce494a169", "Agreement.ReadWrite.All": "c9090d00-6101-42f0-a729-c41074260d47" },
  },
  inlineNavigation: [FILES],
  attachments: { property: FILES, contentPath: "fileData.data", nameBy: "language", extension: "pdf", magic: "%PDF-" },
  defaults: { isPerDeviceAcceptanceRequired: false, [`${FILES}.isDefault`]: false },
  refuseUpdate(after, before) {
    const was = fileKeys(before).sort();
    const is = fileKeys(after).sort();
    if (canonicalJson(was) === canonicalJson(is)) return [];
    return ["files cannot change after an agreement is created (Graph v1.0 has no update of its files): create a new agreement, or add a language or version in the Entra admin center and export"];
  },
} satisfies KindDescriptor;
