/**
 * The application groups Conditional Access names by keyword, as appIds: the Office 365 suite and
 * the Microsoft Admin Portals (Microsoft Learn, "Apps included in Conditional Access Office 365 app
 * suite" and "Conditional Access target resources: Microsoft Admin Portals"; docs/conditional-access.md,
 * docs/graph-behaviour.md §15). A sign-in to one of these apps is matched by a policy that names the
 * keyword. It lists the best-known members, not every one Microsoft adds.
 *
 * Data only, importing nothing (ARCHITECTURE.md "Layers"): the engine's Conditional Access model and
 * the sandbox's what-if evaluator read the same published list, and share no code.
 */
export const OFFICE_365_APP_IDS: ReadonlySet<string> = new Set([
  "00000002-0000-0ff1-ce00-000000000000", // Office 365 Exchange Online
  "00000003-0000-0ff1-ce00-000000000000", // Office 365 SharePoint Online
  "00000004-0000-0ff1-ce00-000000000000", // Skype for Business Online
  "00000005-0000-0ff1-ce00-000000000000", // Yammer
  "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe", // Microsoft Teams Services
  "4765445b-32c6-49b0-83e6-1d93765276ca", // OfficeHome
  "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87", // Microsoft Forms
  "09abbdfd-ed23-44ee-a2d9-a627aa1c90f3", // Microsoft Planner
  "cf53fce8-def6-4aeb-8d30-b158e7b1cf83", // Microsoft Stream
]);

export const ADMIN_PORTAL_APP_IDS: ReadonlySet<string> = new Set([
  "c44b4083-3bb0-49c1-b47d-974e53cbdf3c", // Azure portal (and the Microsoft Entra admin center)
  "00000006-0000-0ff1-ce00-000000000000", // Microsoft 365 admin center (Microsoft Office 365 Portal)
  "497effe9-df71-4043-a8bb-14cf78c4b63b", // Exchange admin center
]);
