/**
 * Entra token-endpoint errors in the shape Entra sends them (docs/graph-behaviour.md §13):
 * `{"error","error_description":"AADSTS…","error_codes":[…],"timestamp","trace_id","correlation_id","error_uri"}`.
 * The code numbers and texts follow Entra's documented AADSTS messages.
 */
import { randomUUID } from "node:crypto";

export interface AadError {
  status: number;
  body: {
    error: string;
    error_description: string;
    error_codes: number[];
    timestamp: string;
    trace_id: string;
    correlation_id: string;
    error_uri: string;
  };
}

export interface AadErrorContext {
  now: Date;
  correlationId?: string;
  /** Base of `error_uri`, e.g. `https://127.0.0.1:8443`. */
  authority: string;
}

type ErrorName = "invalid_request" | "invalid_client" | "unauthorized_client" | "invalid_grant" | "invalid_scope" | "invalid_resource" | "unsupported_grant_type";

function make(status: number, error: ErrorName, code: number, text: string, ctx: AadErrorContext): AadError {
  const traceId = randomUUID();
  const correlationId = ctx.correlationId ?? randomUUID();
  const timestamp = ctx.now.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${ctx.authority}/error?code=${code}`,
    },
  };
}

const FEDERATION_DOCS = "https://learn.microsoft.com/entra/workload-id/workload-identity-federation";

/** Entra's time format in messages: `2024-05-31T14:26:23.0000000Z`. */
function entraTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, (_all, ms: string) => `.${ms}0000Z`);
}

export const aad = {
  tenantNotFound: (tenant: string, ctx: AadErrorContext) =>
    make(400, "invalid_request", 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`, ctx),
  missingParameter: (name: string, ctx: AadErrorContext) =>
    make(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`, ctx),
  unsupportedGrant: (grant: string, ctx: AadErrorContext) =>
    make(400, "unsupported_grant_type", 70003, `The app requested an unsupported grant type '${grant}'.`, ctx),
  unknownClient: (clientId: string, tenantId: string, ctx: AadErrorContext) =>
    make(400, "unauthorized_client", 700016, `Application with identifier '${clientId}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`, ctx),
  missingClientCredential: (ctx: AadErrorContext) =>
    make(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", ctx),
  invalidSecret: (clientId: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`, ctx),
  invalidAssertionType: (ctx: AadErrorContext) =>
    make(400, "invalid_request", 50027, "Invalid JWT token. The 'client_assertion_type' must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.", ctx),
  assertionCertificateUnknown: (clientId: string, thumbprint: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 700027, `The certificate with identifier used to sign the client assertion is not registered on application. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprint}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'.]`, ctx),
  assertionInvalid: (reason: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 700027, `Client assertion failed signature validation. [Reason - ${reason}]`, ctx),
  assertionSubjectMismatch: (ctx: AadErrorContext) =>
    make(401, "invalid_client", 700021, "Client assertion application identifier doesn't match 'client_id' parameter.", ctx),
  federatedIssuerNotFound: (issuer: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 700211, `No matching federated identity record found for presented assertion issuer '${issuer}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOCS}`, ctx),
  federatedAudienceNotFound: (audience: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 700212, `No matching federated identity record found for presented assertion audience '${audience}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOCS}`, ctx),
  federatedSubjectNotFound: (subject: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 700213, `No matching federated identity record found for presented assertion subject '${subject}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${FEDERATION_DOCS}`, ctx),
  federatedSubjectCase: (subject: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 7002138, `No matching federated identity record found for presented assertion subject '${subject}'. The subject matches with case-insensitive comparison, but not with case-sensitive comparison. Check your federated identity credential Subject, Audience and Issuer against the presented assertion. See documentation at: ${FEDERATION_DOCS}.`, ctx),
  federatedNoRecord: (issuer: string, subject: string, audience: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 70021, `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. ${FEDERATION_DOCS}`, ctx),
  externalOidcFailed: (issuer: string, ctx: AadErrorContext) =>
    make(401, "invalid_client", 50166, `Request to External OIDC endpoint failed. [Issuer - ${issuer}]`, ctx),
  assertionTimeRange: (now: Date, notBefore: Date | undefined, expiry: Date | undefined, ctx: AadErrorContext) =>
    make(401, "invalid_client", 700024, `Client assertion is not within its valid time range. Current time: ${entraTime(now)}, assertion valid from ${notBefore ? entraTime(notBefore) : "unknown"}, expiry time of assertion ${expiry ? entraTime(expiry) : "unknown"}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`, ctx),
  missingScope: (ctx: AadErrorContext) =>
    make(400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.", ctx),
  invalidScope: (scope: string, ctx: AadErrorContext) =>
    make(400, "invalid_scope", 70011, `The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`, ctx),
  clientCredentialScope: (scope: string, ctx: AadErrorContext) =>
    make(400, "invalid_scope", 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`, ctx),
  resourceNotFound: (resource: string, tenantId: string, ctx: AadErrorContext) =>
    make(400, "invalid_resource", 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`, ctx),
  userNotFound: (upn: string, tenantId: string, ctx: AadErrorContext) =>
    make(400, "invalid_grant", 50034, `The user account ${upn} does not exist in the ${tenantId} directory. To sign into this application, the account must be added to the directory.`, ctx),
  badPassword: (ctx: AadErrorContext) =>
    make(400, "invalid_grant", 50126, "Error validating credentials due to invalid username or password.", ctx),
  userDisabled: (ctx: AadErrorContext) =>
    make(400, "invalid_grant", 50057, "The user account is disabled.", ctx),
  consentRequired: (clientId: string, name: string, ctx: AadErrorContext) =>
    make(400, "invalid_grant", 65001, `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`, ctx),
};
