/**
 * GitHub Actions workload identity federation: the job's OIDC token (audience
 * `api://AzureADTokenExchange`) is the client assertion that Entra exchanges for an access token.
 * Needs `permissions: id-token: write` in the workflow, which sets ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN.
 */

import { decodeJwt } from "jose";

export const AZURE_AD_TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

export interface GitHubOidcSource {
  requestUrl: string;
  requestToken: string;
  audience?: string;
  fetch?: typeof fetch;
}

/** Whether the environment is a GitHub Actions job allowed to request OIDC tokens. */
export function gitHubOidcAvailable(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.ACTIONS_ID_TOKEN_REQUEST_URL && env.ACTIONS_ID_TOKEN_REQUEST_TOKEN);
}

/**
 * A `getAssertion` callback for `ClientAssertionCredential` that fetches the job's OIDC token,
 * reused until a minute before it expires (MSAL may ask more than once per sign-in).
 */
export function gitHubOidcAssertion(source: GitHubOidcSource, now: () => number = Date.now): () => Promise<string> {
  let cached: { token: string; reuseUntil: number } | undefined;
  const fetchToken = fetchOidcToken(source);
  return async () => {
    if (cached && cached.reuseUntil > now()) return cached.token;
    const token = await fetchToken();
    const exp = expiry(token);
    cached = exp === undefined ? undefined : { token, reuseUntil: exp * 1000 - 60_000 };
    return token;
  };
}

function expiry(token: string): number | undefined {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === "number" ? exp : undefined;
  } catch {
    return undefined;
  }
}

function fetchOidcToken(source: GitHubOidcSource): () => Promise<string> {
  const doFetch = source.fetch ?? fetch;
  return async () => {
    const url = new URL(source.requestUrl);
    url.searchParams.set("audience", source.audience ?? AZURE_AD_TOKEN_EXCHANGE_AUDIENCE);
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { Authorization: `Bearer ${source.requestToken}`, Accept: "application/json; api-version=2.0" },
      });
    } catch (error) {
      throw new Error(`GitHub Actions OIDC token request to ${url.origin} failed: ${(error as Error).message}`);
    }
    if (!response.ok) {
      throw new Error(
        `GitHub Actions OIDC token request failed with HTTP ${response.status}; does the workflow grant "permissions: id-token: write"?`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
    if (typeof body?.value !== "string" || body.value.length === 0) {
      throw new Error("GitHub Actions OIDC token response has no token (expected JSON with a `value`)");
    }
    return body.value;
  };
}
