/**
 * A GitHub-Actions-like OIDC issuer served by the sandbox under `/github-actions`:
 * - `GET /github-actions/token?audience=…` is the job's ACTIONS_ID_TOKEN_REQUEST_URL: it needs
 *   `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` and answers `{"count","value":"<jwt>"}`;
 * - `/github-actions/.well-known/openid-configuration` and `/github-actions/.well-known/jwks`.
 * Each job (`registerJob`) gets its own request token, and its tokens carry that job's claims as
 * GitHub issues them: `sub` = `repo:<owner>/<repo>:environment:<name>` for a job with an
 * environment, `…:pull_request` for pull-request events, else `…:ref:<ref>`; `aud` = the requested
 * audience (default `https://github.com/<owner>`); `iat`/`nbf`/`exp` on the tenant clock (`exp` five
 * minutes after `iat`, `nbf` ten minutes before, like GitHub's).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { SignJWT, exportJWK, jwtVerify } from "jose";
import type { JWK, JWTPayload } from "jose";

export const GITHUB_ACTIONS_PATH = "/github-actions";
const LIFETIME_SECONDS = 300;
const NOT_BEFORE_SECONDS = 600;

/** What the simulated job is: its repository, event, ref and (for deployment jobs) environment. */
export interface GitHubJobOptions {
  /** `owner/repo`. */
  repository: string;
  /** Default "pull_request" when `environment` is unset and `ref` is unset, else "push". */
  eventName?: string;
  /** Default `refs/heads/main` (pull requests: `refs/pull/1/merge`). */
  ref?: string;
  /** The job's `environment:`; makes the subject `repo:…:environment:<name>`. */
  environment?: string;
  /** Overrides the computed subject. */
  subject?: string;
  workflow?: string;
  actor?: string;
  sha?: string;
}

/** The variables a job with `permissions: id-token: write` has, plus GitHub's usual ones. */
export interface GitHubJobEnv {
  GITHUB_ACTIONS: "true";
  CI: "true";
  GITHUB_REPOSITORY: string;
  GITHUB_REPOSITORY_OWNER: string;
  GITHUB_EVENT_NAME: string;
  GITHUB_REF: string;
  GITHUB_SHA: string;
  ACTIONS_ID_TOKEN_REQUEST_URL: string;
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: string;
}

export interface IssuerResponse {
  status: number;
  body: unknown;
  /** The subject of an issued token, for the request log. */
  subject?: string;
}

export type FederatedTokenCheck =
  | { ok: true; payload: JWTPayload }
  | { ok: false; reason: "signature" | "expired" | "not-yet-valid" | "malformed"; message: string };

interface Job {
  claims: Record<string, string>;
  subject: string;
  owner: string;
}

export class GitHubActionsIssuer {
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly kid: string;
  private readonly jobs = new Map<string, Job>();
  private issued = 0;

  constructor(
    private readonly origin: () => string,
    private readonly now: () => Date,
  ) {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.kid = createHash("sha1").update(this.publicKey.export({ type: "spki", format: "der" })).digest("hex").toUpperCase();
  }

  /** `https://127.0.0.1:PORT/github-actions`: the `iss` of every token, for federated credentials. */
  get issuer(): string {
    return `${this.origin()}${GITHUB_ACTIONS_PATH}`;
  }

  /** Registers a job and returns its environment (a new request token per job). */
  registerJob(options: GitHubJobOptions): GitHubJobEnv {
    const [owner, repo] = options.repository.split("/");
    if (!owner || !repo) throw new Error(`repository must be owner/repo (got "${options.repository}")`);
    const eventName = options.eventName ?? (options.environment || options.ref ? "push" : "pull_request");
    const ref = options.ref ?? (eventName === "pull_request" ? "refs/pull/1/merge" : "refs/heads/main");
    const subject = options.subject ?? (options.environment
      ? `repo:${options.repository}:environment:${options.environment}`
      : eventName === "pull_request" ? `repo:${options.repository}:pull_request` : `repo:${options.repository}:ref:${ref}`);
    const sha = options.sha ?? createHash("sha1").update(`${options.repository}:${ref}`).digest("hex");
    const workflow = options.workflow ?? "entra-gitops";
    const claims: Record<string, string> = {
      ref, sha, repository: options.repository, repository_owner: owner, repository_visibility: "private",
      actor: options.actor ?? "octocat", workflow, event_name: eventName,
      ref_type: ref.startsWith("refs/tags/") ? "tag" : "branch", run_id: String(1000 + this.jobs.size), run_number: "1", run_attempt: "1",
      job_workflow_ref: `${options.repository}/.github/workflows/${workflow}.yml@${ref}`, runner_environment: "github-hosted",
      ...(options.environment ? { environment: options.environment } : {}),
    };
    const requestToken = randomBytes(32).toString("base64url");
    this.jobs.set(requestToken, { claims, subject, owner });
    return {
      GITHUB_ACTIONS: "true",
      CI: "true",
      GITHUB_REPOSITORY: options.repository,
      GITHUB_REPOSITORY_OWNER: owner,
      GITHUB_EVENT_NAME: eventName,
      GITHUB_REF: ref,
      GITHUB_SHA: sha,
      ACTIONS_ID_TOKEN_REQUEST_URL: `${this.issuer}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    };
  }

  /** Answers a request under `/github-actions`, or undefined for other paths. */
  async handle(method: string, url: URL, authorization: string | undefined): Promise<IssuerResponse | undefined> {
    const route = url.pathname.slice(GITHUB_ACTIONS_PATH.length);
    if (url.pathname !== GITHUB_ACTIONS_PATH && !url.pathname.startsWith(`${GITHUB_ACTIONS_PATH}/`)) return undefined;
    if (method !== "GET") return { status: 405, body: { message: "Method not allowed" } };
    if (route === "/.well-known/openid-configuration") return { status: 200, body: this.openIdConfiguration() };
    if (route === "/.well-known/jwks") return { status: 200, body: await this.jwks() };
    if (route !== "/token") return { status: 404, body: { message: "Not Found" } };
    const bearer = /^Bearer\s+(.+)$/i.exec(authorization ?? "")?.[1]?.trim();
    const job = bearer ? this.jobs.get(bearer) : undefined;
    if (!job) return { status: 401, body: { message: "Bad credentials" } };
    const audience = url.searchParams.get("audience") || `https://github.com/${job.owner}`;
    return { status: 200, body: { count: ++this.issued, value: await this.sign(job, audience) }, subject: job.subject };
  }

  /** Verifies a token this issuer signed: signature, and lifetime on the tenant clock. */
  async verify(token: string): Promise<FederatedTokenCheck> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: ["RS256"], issuer: this.issuer, currentDate: this.now() });
      return { ok: true, payload };
    } catch (error) {
      const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
      if (code === "ERR_JWT_EXPIRED") return { ok: false, reason: "expired", message: "expired" };
      if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") return { ok: false, reason: "not-yet-valid", message: error instanceof Error ? error.message : "claim" };
      if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return { ok: false, reason: "signature", message: "Signature validation failed." };
      return { ok: false, reason: "malformed", message: error instanceof Error ? error.message : "malformed token" };
    }
  }

  private async sign(job: Job, audience: string): Promise<string> {
    const iat = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ ...job.claims, jti: randomUUID() })
      .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: this.kid, x5t: this.kid })
      .setIssuer(this.issuer)
      .setSubject(job.subject)
      .setAudience(audience)
      .setIssuedAt(iat)
      .setNotBefore(iat - NOT_BEFORE_SECONDS)
      .setExpirationTime(iat + LIFETIME_SECONDS)
      .sign(this.privateKey);
  }

  private async jwks(): Promise<{ keys: JWK[] }> {
    const jwk = await exportJWK(this.publicKey);
    return { keys: [{ ...jwk, kid: this.kid, x5t: this.kid, use: "sig", alg: "RS256" } as JWK] };
  }

  private openIdConfiguration(): unknown {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks`,
      subject_types_supported: ["public", "pairwise"],
      response_types_supported: ["id_token"],
      claims_supported: ["sub", "aud", "exp", "iat", "iss", "jti", "nbf", "ref", "sha", "repository", "repository_owner", "environment", "event_name", "job_workflow_ref", "actor", "run_id"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid"],
    };
  }
}
