/**
 * The three built-in authentication strengths every tenant has, with their fixed ids (as exported by
 * Graph: see the beta exports in j0eyv/ConditionalAccessBaseline) and allowed combinations. They are
 * read-only: PATCH, DELETE and updateAllowedCombinations are refused.
 */
export const MFA_STRENGTH_ID = "00000000-0000-0000-0000-000000000002";
export const PASSWORDLESS_STRENGTH_ID = "00000000-0000-0000-0000-000000000003";
export const PHISHING_RESISTANT_STRENGTH_ID = "00000000-0000-0000-0000-000000000004";

/** When Microsoft created the built-ins (the timestamp Graph reports for them). */
export const BUILT_IN_CREATED = "2021-12-01T08:00:00Z";

const PHISHING_RESISTANT = ["windowsHelloForBusiness", "fido2", "x509CertificateMultiFactor"];
const PASSWORDLESS = [...PHISHING_RESISTANT, "deviceBasedPush"];
const MULTIFACTOR = [
  ...PASSWORDLESS,
  "temporaryAccessPassOneTime",
  "temporaryAccessPassMultiUse",
  "password,microsoftAuthenticatorPush",
  "password,softwareOath",
  "password,hardwareOath",
  "password,sms",
  "password,voice",
  "federatedMultiFactor",
  "microsoftAuthenticatorPush,federatedSingleFactor",
  "softwareOath,federatedSingleFactor",
  "hardwareOath,federatedSingleFactor",
  "sms,federatedSingleFactor",
  "voice,federatedSingleFactor",
];

/** Single-factor combinations a custom strength may also use (it then satisfies no MFA requirement). */
export const SINGLE_FACTOR_COMBINATIONS = ["password", "sms", "email", "x509CertificateSingleFactor", "federatedSingleFactor", "qrCodePin"];

/** Every combination a custom strength may list (canonical form: declaration order, no spaces). */
export const SUPPORTED_COMBINATIONS: readonly string[] = [...MULTIFACTOR, ...SINGLE_FACTOR_COMBINATIONS];

export const MULTIFACTOR_COMBINATIONS: readonly string[] = MULTIFACTOR;

export function builtInStrengths(): Record<string, unknown>[] {
  const make = (id: string, displayName: string, description: string, combinations: string[]) => ({
    id,
    createdDateTime: BUILT_IN_CREATED,
    modifiedDateTime: BUILT_IN_CREATED,
    displayName,
    description,
    policyType: "builtIn",
    requirementsSatisfied: "mfa",
    allowedCombinations: combinations,
  });
  return [
    make(MFA_STRENGTH_ID, "Multifactor authentication", "Combinations of methods that satisfy strong authentication, such as a password + SMS", MULTIFACTOR),
    make(PASSWORDLESS_STRENGTH_ID, "Passwordless MFA", "Passwordless methods that satisfy strong authentication, such as Passwordless sign-in with the Microsoft Authenticator", PASSWORDLESS),
    make(PHISHING_RESISTANT_STRENGTH_ID, "Phishing-resistant MFA", "Phishing-resistant, Passwordless methods for the strongest authentication, such as a FIDO2 security key", PHISHING_RESISTANT),
  ];
}

export function isBuiltInStrength(id: string): boolean {
  return [MFA_STRENGTH_ID, PASSWORDLESS_STRENGTH_ID, PHISHING_RESISTANT_STRENGTH_ID].includes(id.toLowerCase());
}
