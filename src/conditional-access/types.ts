/**
 * The Conditional Access model shared by the lockout guard, plan impact and `whatif`: one sign-in
 * scenario in, which policies apply and the resulting outcome out. References are the engine's
 * (`user:<upn>`, `group:<name>`, `role:<name>`, `namedLocation:<name>`, `application:<name>`, ids
 * for unmanaged objects), compared case-insensitively.
 */

export type RiskLevel = "none" | "low" | "medium" | "high" | "hidden";
export type ClientAppType = "browser" | "mobileAppsAndDesktopClients" | "exchangeActiveSync" | "other";
export type DevicePlatform = "android" | "iOS" | "windows" | "windowsPhone" | "macOS" | "linux" | "unknown";
export type UserAction = "urn:user:registersecurityinfo" | "urn:user:registerdevice";
export type TransferMethod = "deviceCodeFlow" | "authenticationTransfer" | "none";

/** Who signs in. A user is described by reference; its groups and roles come from the directory. */
export type Subject =
  | {
      type: "user";
      /** `user:<upn>`, an object id, or a synthetic reference for a hypothetical user. */
      ref: string;
      /** Extra memberships (groups, roles) beyond what the directory knows (hypothetical users). */
      memberOf?: readonly string[];
      /** Graph's guestOrExternalUserTypes of this user; empty or absent: an internal member. */
      guestTypes?: readonly string[];
      /** A guest's home tenant id, for `externalTenants` with `membershipKind: enumerated`. */
      homeTenantId?: string;
    }
  | {
      type: "servicePrincipal";
      /** Every way a policy may name it: `servicePrincipal:<name>`, object id, appId. */
      refs: readonly string[];
    };

/** What the sign-in is for: one application, one user action, or one authentication context. */
export type Target =
  | { type: "application"; refs: readonly string[]; office365?: boolean; adminPortal?: boolean }
  | { type: "userAction"; action: UserAction }
  | { type: "authenticationContext"; ref: string };

export interface SignIn {
  subject: Subject;
  target: Target;
  /** Default `browser`. */
  clientAppType?: ClientAppType;
  /** Default `unknown` (matches only `all`). */
  platform?: DevicePlatform;
  /** Where from: an IP address and/or ISO country code. Absent: neither is known. */
  location?: { ip?: string; countryCode?: string };
  signInRisk?: RiskLevel;
  userRisk?: RiskLevel;
  servicePrincipalRisk?: RiskLevel;
  insiderRisk?: "minor" | "moderate" | "elevated" | "none";
  /** Device attributes for `conditions.devices.deviceFilter` (`trustType`, `isCompliant`, …). */
  device?: Readonly<Record<string, string | boolean>>;
  authenticationFlow?: TransferMethod;
}

/** One grant requirement of one policy: satisfy `controls` (all with AND, one with OR). */
export interface GrantRequirement {
  policy: string;
  operator: "AND" | "OR";
  /** Built-in controls, `authenticationStrength:<name>`, `termsOfUse:<agreement:name or id>`, `customFactor:<id>`. */
  controls: string[];
}

export interface PolicyResult {
  /** The policy's name (document name, or display name). */
  policy: string;
  displayName: string;
  state: "enabled" | "enabledForReportingButNotEnforced";
  applies: boolean;
  /** Why it does (`users: includeUsers All`) or why not (`users: excluded by group:x`). */
  reasons: string[];
}

export interface Outcome {
  /** Enabled policies that apply and block. */
  blockedBy: string[];
  /** Grant requirements of enabled applying policies (every one must be met). */
  requirements: GrantRequirement[];
  /** Session controls of enabled applying policies, by control name → policies. */
  session: Record<string, string[]>;
  /** Every enabled or report-only policy considered, with whether it applies and why. */
  policies: PolicyResult[];
  /** Report-only policies that apply (reported, never enforced). */
  reportOnly: string[];
}

/** Access for someone with these capabilities: the thing compared before and after a change. */
export type Access = "allowed" | "unsatisfiable" | "blocked";
