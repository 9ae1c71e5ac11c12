import type { CaDirectory } from "./directory.js";
import { addressIn } from "./ip-range.js";
import type { ClientAppType, DevicePlatform, SignIn, Subject, Target } from "./types.js";

/** Microsoft Graph's appId: what the identity running apply signs in to. */
export const MICROSOFT_GRAPH_APP = "00000003-0000-0000-c000-000000000000";

/** Targets a person needs to get in and undo a mistake: any application, the admin portals, Office 365. */
export const ESSENTIAL_TARGETS: readonly Target[] = [
  { type: "application", refs: ["(any application)"] },
  { type: "application", refs: ["(Microsoft Admin Portals)"], adminPortal: true },
  { type: "application", refs: [MICROSOFT_GRAPH_APP], adminPortal: true },
  { type: "application", refs: ["(an Office 365 application)"], office365: true },
];

const PLATFORMS: readonly DevicePlatform[] = ["windows", "macOS", "linux", "iOS", "android"];
const CLIENTS: readonly ClientAppType[] = ["browser", "mobileAppsAndDesktopClients"];
/** An address in no named location (TEST-NET-2) and no known country. */
const ELSEWHERE = { ip: "198.18.0.1" };

export interface Place {
  label: string;
  location: { ip?: string; countryCode?: string };
}

/** One place inside each named location, and one outside all of them. */
export function places(dir: Pick<CaDirectory, "locations">): Place[] {
  const out: Place[] = [];
  const seen = new Set<object>();
  for (const loc of dir.locations.values()) {
    if (seen.has(loc)) continue;
    seen.add(loc);
    const range = loc.ipRanges[0];
    if (range) out.push({ label: `in ${loc.ref}`, location: { ip: addressIn(range) } });
    const country = loc.countries[0];
    if (country) out.push({ label: `in ${loc.ref} (${country})`, location: { countryCode: country } });
  }
  out.push({ label: "outside every named location", location: ELSEWHERE });
  return out;
}

/**
 * Ordinary ways in: each target from each known platform with a browser or a modern client, from
 * each place, with no risk detected and an unmanaged device. Blocking legacy authentication,
 * device code flow, risky sign-ins or unknown platforms takes none of these away.
 */
export function essentialSignIns(subject: Subject, dir: Pick<CaDirectory, "locations">, targets: readonly Target[] = ESSENTIAL_TARGETS): SignIn[] {
  const out: SignIn[] = [];
  for (const place of places(dir))
    for (const target of targets)
      for (const platform of PLATFORMS) for (const clientAppType of CLIENTS) out.push({ subject, target, platform, clientAppType, location: place.location });
  return out;
}

/** The essential sign-ins plus the unusual ones (legacy clients, unknown platform, risk, device code flow) from each place. */
export function allSignIns(subject: Subject, dir: Pick<CaDirectory, "locations">, targets: readonly Target[] = ESSENTIAL_TARGETS): SignIn[] {
  const out = essentialSignIns(subject, dir, targets);
  for (const place of places(dir)) {
    for (const target of targets) {
      const base: SignIn = { subject, target, platform: "windows", clientAppType: "browser", location: place.location };
      out.push({ ...base, platform: "unknown" }, { ...base, clientAppType: "exchangeActiveSync" }, { ...base, clientAppType: "other" });
      out.push({ ...base, authenticationFlow: "deviceCodeFlow" }, { ...base, authenticationFlow: "authenticationTransfer" });
      for (const level of ["low", "medium", "high"] as const) out.push({ ...base, signInRisk: level }, { ...base, userRisk: level });
    }
  }
  return out;
}

/** A sign-in in words, for messages: `any application from windows (browser), outside every named location`. */
export function describeSignIn(signIn: SignIn, dir: CaDirectory): string {
  const target = signIn.target.type === "application" ? signIn.target.refs.join(", ") : signIn.target.type === "userAction" ? signIn.target.action : signIn.target.ref;
  const place = places(dir).find((p) => p.location.ip === signIn.location?.ip && p.location.countryCode === signIn.location?.countryCode)?.label ?? "from an unknown place";
  const extras = [signIn.signInRisk && `sign-in risk ${signIn.signInRisk}`, signIn.userRisk && `user risk ${signIn.userRisk}`, signIn.authenticationFlow && signIn.authenticationFlow !== "none" && signIn.authenticationFlow].filter(Boolean);
  return `${target.replace(/^\(|\)$/g, "")} from ${signIn.platform ?? "unknown"} (${signIn.clientAppType ?? "browser"}), ${place}${extras.length ? `, ${extras.join(", ")}` : ""}`;
}
