import {
  AzureCliCredential,
  ClientAssertionCredential,
  ClientCertificateCredential,
  ClientSecretCredential,
  WorkloadIdentityCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from "@azure/identity";
import { isMicrosoftAuthority } from "./cloud.js";
import { gitHubOidcAssertion, gitHubOidcAvailable } from "./github-oidc.js";

/** Connection settings from the config's environment; environment variables override them. */
export interface ConnectionSettings {
  tenantId?: string;
  clientId?: string;
  authorityHost?: string;
}

export type CredentialMethod =
  | "clientSecret"
  | "clientCertificate"
  | "workloadIdentity"
  | "gitHubOidc"
  | "azureCli";

export interface SelectedCredential {
  credential: TokenCredential;
  method: CredentialMethod;
  tenantId?: string;
  clientId?: string;
  authorityHost?: string;
  /** One line for logs, e.g. "client secret (app 1234…, tenant contoso.onmicrosoft.com)". Never a secret. */
  description: string;
}

export interface CredentialOptions {
  env?: NodeJS.ProcessEnv;
  settings?: ConnectionSettings;
  /** Passed to every credential (e.g. an `httpClient` in tests). */
  tokenCredentialOptions?: TokenCredentialOptions;
  /** Used to fetch the GitHub Actions OIDC token. */
  fetch?: typeof fetch;
}

/**
 * Chooses the credential the Azure SDK way (docs/design.md §5): AZURE_CLIENT_SECRET, else
 * AZURE_CLIENT_CERTIFICATE_PATH, else AZURE_FEDERATED_TOKEN_FILE, else the GitHub Actions OIDC
 * token, else the Azure CLI's signed-in account. Instance discovery is disabled whenever the
 * authority is not a Microsoft cloud host (docs/graph-behaviour.md §14).
 */
export function selectCredential(options: CredentialOptions = {}): SelectedCredential {
  const env = options.env ?? process.env;
  const tenantId = nonEmpty(env.AZURE_TENANT_ID) ?? options.settings?.tenantId;
  const clientId = nonEmpty(env.AZURE_CLIENT_ID) ?? options.settings?.clientId;
  const authorityHost = nonEmpty(env.AZURE_AUTHORITY_HOST) ?? options.settings?.authorityHost;
  const common = {
    ...options.tokenCredentialOptions,
    ...(authorityHost ? { authorityHost } : {}),
    disableInstanceDiscovery: !isMicrosoftAuthority(authorityHost),
  };
  const who = `app ${clientId ?? "?"}, tenant ${tenantId ?? "?"}${authorityHost ? `, authority ${authorityHost}` : ""}`;
  const base = { tenantId, clientId, authorityHost };

  const secret = nonEmpty(env.AZURE_CLIENT_SECRET);
  if (secret) {
    const [t, c] = require2(tenantId, clientId, "AZURE_CLIENT_SECRET");
    return { ...base, method: "clientSecret", credential: new ClientSecretCredential(t, c, secret, common), description: `client secret (${who})` };
  }
  const certificatePath = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
  if (certificatePath) {
    const [t, c] = require2(tenantId, clientId, "AZURE_CLIENT_CERTIFICATE_PATH");
    const certificatePassword = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PASSWORD);
    const sendCertificateChain = /^(1|true)$/i.test(env.AZURE_CLIENT_SEND_CERTIFICATE_CHAIN ?? "");
    const credential = new ClientCertificateCredential(
      t,
      c,
      certificatePassword ? { certificatePath, certificatePassword } : { certificatePath },
      { ...common, sendCertificateChain },
    );
    return { ...base, method: "clientCertificate", credential, description: `client certificate ${certificatePath} (${who})` };
  }
  const tokenFilePath = nonEmpty(env.AZURE_FEDERATED_TOKEN_FILE);
  if (tokenFilePath) {
    const [t, c] = require2(tenantId, clientId, "AZURE_FEDERATED_TOKEN_FILE");
    const credential = new WorkloadIdentityCredential({ ...common, tenantId: t, clientId: c, tokenFilePath });
    return { ...base, method: "workloadIdentity", credential, description: `federated token file ${tokenFilePath} (${who})` };
  }
  if (gitHubOidcAvailable(env) && tenantId && clientId) {
    const getAssertion = gitHubOidcAssertion({
      requestUrl: env.ACTIONS_ID_TOKEN_REQUEST_URL ?? "",
      requestToken: env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? "",
      fetch: options.fetch,
    });
    const credential = refusedOnce(new ClientAssertionCredential(tenantId, clientId, getAssertion, common));
    return { ...base, method: "gitHubOidc", credential, description: `GitHub Actions OIDC federation (${who})` };
  }
  const credential = new AzureCliCredential({ ...common, ...(tenantId ? { tenantId } : {}) });
  return { ...base, method: "azureCli", credential, description: `Azure CLI account${tenantId ? ` (tenant ${tenantId})` : ""}` };
}

/**
 * Once the token endpoint has refused the job's federated assertion (AADSTS 4xx: no matching
 * federated credential, expired token, unknown app), later requests for the same scope fail with
 * that error without asking again: every kind's reader would otherwise repeat the same refused
 * sign-in (and re-present the same OIDC token) before the run stops.
 */
function refusedOnce(credential: TokenCredential): TokenCredential {
  const refused = new Map<string, unknown>();
  return {
    async getToken(scopes, options) {
      const key = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
      if (refused.has(key)) throw refused.get(key);
      try {
        return await credential.getToken(scopes, options);
      } catch (error) {
        if (refusedForGood(error)) refused.set(key, error);
        throw error;
      }
    },
  };
}

/**
 * An Entra refusal no retry can change (MSAL surfaces it as `<error>: Error(s): <codes> … AADSTS…`).
 * Not AADSTS700024 (assertion outside its time range): a fresh OIDC token can cure that.
 */
function refusedForGood(error: unknown): boolean {
  const message = error instanceof Error ? error.message : "";
  if (!/AADSTS\d+/.test(message) || /AADSTS700024\b/.test(message)) return false;
  return /\b(invalid_client|unauthorized_client|invalid_request|invalid_scope|invalid_resource|unsupported_grant_type)\b/.test(message);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function require2(tenantId: string | undefined, clientId: string | undefined, by: string): [string, string] {
  const missing = [tenantId ? undefined : "AZURE_TENANT_ID", clientId ? undefined : "AZURE_CLIENT_ID"].filter(Boolean);
  if (tenantId && clientId) return [tenantId, clientId];
  throw new Error(
    `${by} is set but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not (set them, or tenantId/clientId in the environment of entra-gitops.yaml)`,
  );
}
