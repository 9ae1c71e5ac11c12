import type { AuthenticationProvider } from "@microsoft/microsoft-graph-client";
import type { AccessToken, TokenCredential } from "@azure/identity";
import { redact } from "./errors.js";

/** Refresh a cached token this long before it expires. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/**
 * The Graph client's authentication provider over an `@azure/identity` credential: one scope
 * (`<graph resource>/.default`), the token cached until shortly before it expires. The token
 * never leaves this object except as the `Authorization` header the Graph client sets.
 */
export class CredentialAuthProvider implements AuthenticationProvider {
  private cached?: AccessToken;
  private pending?: Promise<AccessToken>;

  constructor(
    private readonly credential: TokenCredential,
    readonly scope: string,
    private readonly now: () => number = () => Date.now(),
  ) {}

  getAccessToken = async (): Promise<string> => (await this.token()).token;

  /** Forgets the cached token (after a 401); true when there was one to forget. */
  invalidate(): boolean {
    const had = this.cached !== undefined;
    this.cached = undefined;
    return had;
  }

  /** The current access token (for reading its claims). */
  async token(): Promise<AccessToken> {
    if (this.cached && this.cached.expiresOnTimestamp - REFRESH_MARGIN_MS > this.now()) return this.cached;
    this.pending ??= this.fetchToken();
    try {
      return await this.pending;
    } finally {
      this.pending = undefined;
    }
  }

  private async fetchToken(): Promise<AccessToken> {
    let token: AccessToken | null;
    try {
      token = await this.credential.getToken(this.scope);
    } catch (error) {
      throw new AuthenticationFailed(this.scope, error);
    }
    if (!token) throw new AuthenticationFailed(this.scope, new Error("the credential returned no token"));
    this.cached = token;
    return token;
  }
}

/** Getting a token failed: the credential's first line of explanation (AADSTS code), scrubbed. */
export class AuthenticationFailed extends Error {
  constructor(scope: string, cause: unknown) {
    const why = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
    super(`could not get an access token for ${scope}: ${redact(why ?? "")}`);
    this.name = "AuthenticationFailed";
  }
}
