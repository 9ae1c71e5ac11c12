/**
 * `{tenantId}` in a Graph path stands for the signed-in tenant's id (the organization's own items:
 * `/organization/{tenantId}/branding/localizations`); the gateway fills it in from the token, so a
 * descriptor's paths and the documents hold no tenant id and fit every environment.
 */
export const TENANT_ID_IN_PATH = "{tenantId}";
