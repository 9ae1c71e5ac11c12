/**
 * People and apps acting on a sandbox the way they would in the portal: alice and bob sign in with
 * the password grant through the demo's portal client; the operator app gets a fresh token each
 * time (tests move the sandbox clock, which expires cached tokens).
 */
import { UsernamePasswordCredential } from "@azure/identity";
import type { Client } from "@microsoft/microsoft-graph-client";
import { DEMO_PASSWORD, DEMO_PORTAL_APP_ID } from "../../src/sandbox/seeds/demo/index.js";
import type { StartedSandbox } from "./sandbox.js";
import { credentialFor, graphClient } from "./sandbox.js";

export function asUser(started: StartedSandbox, upn: string): Client {
  const credential = new UsernamePasswordCredential(started.sandbox.tenantId, DEMO_PORTAL_APP_ID, upn, DEMO_PASSWORD, {
    authorityHost: started.sandbox.url,
    disableInstanceDiscovery: true,
  });
  return graphClient(started.sandbox, credential);
}

export function admin(started: StartedSandbox): Client {
  return graphClient(started.sandbox, credentialFor(started.sandbox));
}

/** The id of the object with this display name in a collection; throws when there is none. */
export async function idOf(client: Client, path: string, displayName: string): Promise<string> {
  const found = (await client.api(path).filter(`displayName eq '${displayName}'`).get()) as { value: { id: string }[] };
  const id = found.value[0]?.id;
  if (!id) throw new Error(`${displayName} not found`);
  return id;
}
