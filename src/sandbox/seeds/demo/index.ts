/**
 * The built-in `demo` seed: Contoso, a small company on contoso.onmicrosoft.com. Deterministic (ids
 * derive from names), so every run of `entra-gitops sandbox --seed demo` builds the same tenant.
 * alice@ and bob@ are Conditional Access Administrators; every user's password is `DEMO_PASSWORD`.
 */
import type { SeedStep } from "../seed-steps.js";
import { conditionalAccessSteps } from "./conditional-access.js";
import { directorySteps } from "./directory.js";
import { demoUsers, userBody } from "./people.js";
import { settingsSteps } from "./settings.js";

export { DEMO_DOMAIN, DEMO_PASSWORD } from "./people.js";
export { CA_POLICY_COUNT } from "./conditional-access.js";

export function demoSeedSteps(): SeedStep[] {
  const users = demoUsers();
  return [
    ...users.map((u): SeedStep => ({ method: "POST", path: "/users", body: userBody(u), label: `user ${u.userPrincipalName}` })),
    ...directorySteps(users),
    ...conditionalAccessSteps(),
    ...settingsSteps(),
  ];
}
