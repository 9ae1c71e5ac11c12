import { describe, expect, it } from "vitest";
import { authorityForGraph, graphEndpoint, isMicrosoftAuthority } from "../../src/graph/cloud.js";
import { createGateway } from "../../src/graph/create.js";
import { allowedHostsFrom, endpointRefusal, isLoopbackHost } from "../../src/graph/allowed-hosts.js";

describe("Graph endpoint and token scope", () => {
  it("uses each Microsoft cloud's own resource", () => {
    expect(graphEndpoint().scope).toBe("https://graph.microsoft.com/.default");
    expect(graphEndpoint("https://graph.microsoft.us/").scope).toBe("https://graph.microsoft.us/.default");
    expect(graphEndpoint("https://dod-graph.microsoft.us").scope).toBe("https://dod-graph.microsoft.us/.default");
    expect(graphEndpoint("https://microsoftgraph.chinacloudapi.cn").scope).toBe(
      "https://microsoftgraph.chinacloudapi.cn/.default",
    );
    expect(graphEndpoint("https://graph.microsoft.us").customHosts.size).toBe(0);
  });
  it("gives other hosts the public scope and lists them as custom hosts for the bearer token", () => {
    const sandbox = graphEndpoint("https://127.0.0.1:8443");
    expect(sandbox.scope).toBe("https://graph.microsoft.com/.default");
    expect(sandbox.baseUrl).toBe("https://127.0.0.1:8443");
    expect(sandbox.microsoft).toBe(false);
    expect([...sandbox.customHosts]).toEqual(["127.0.0.1"]);
  });
  it("refuses plain http and garbage", () => {
    expect(() => graphEndpoint("http://graph.microsoft.com")).toThrow(/https/);
    expect(() => graphEndpoint("graph")).toThrow(/invalid Graph URL/);
  });
  it("knows the Microsoft authority hosts", () => {
    expect(isMicrosoftAuthority(undefined)).toBe(true);
    expect(isMicrosoftAuthority("https://login.microsoftonline.us")).toBe(true);
    expect(isMicrosoftAuthority("https://login.chinacloudapi.cn/")).toBe(true);
    expect(isMicrosoftAuthority("https://127.0.0.1:8443")).toBe(false);
  });
});

describe("national clouds", () => {
  it("infer their authority from the Graph host unless one is configured", () => {
    expect(authorityForGraph(graphEndpoint("https://graph.microsoft.us"))).toBe("https://login.microsoftonline.us");
    expect(authorityForGraph(graphEndpoint("https://microsoftgraph.chinacloudapi.cn"))).toBe("https://login.chinacloudapi.cn");
    expect(authorityForGraph(graphEndpoint())).toBeUndefined();
    const env = { ENTRA_GITOPS_GRAPH_URL: "https://dod-graph.microsoft.us", AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" };
    expect(createGateway({ env }).credentialDescription).toContain("authority https://login.microsoftonline.us");
    const own = createGateway({ env: { ...env, AZURE_AUTHORITY_HOST: "https://login.example.test", ENTRA_GITOPS_ALLOW_HOSTS: "login.example.test" } });
    expect(own.credentialDescription).toContain("authority https://login.example.test");
    expect(own.endpoint.scope).toBe("https://dod-graph.microsoft.us/.default");
  });
});

describe("hosts a token or credential may go to", () => {
  const none = new Set<string>();
  const credentials = { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "s" };
  it("allows Microsoft's clouds and loopback", () => {
    for (const url of ["https://graph.microsoft.com", "https://graph.microsoft.us", "https://dod-graph.microsoft.us", "https://microsoftgraph.chinacloudapi.cn", "https://127.0.0.1:8443", "https://localhost:1", "https://[::1]:9"]) {
      expect(endpointRefusal(url, "graphUrl", "graphUrl", none), url).toBeUndefined();
    }
    for (const url of ["https://login.microsoftonline.com", "https://login.microsoftonline.us", "https://login.chinacloudapi.cn", "https://127.0.0.1:8443"]) {
      expect(endpointRefusal(url, "authorityHost", "authorityHost", none), url).toBeUndefined();
    }
    expect(isLoopbackHost("127.1.2.3")).toBe(true);
    expect(isLoopbackHost("127.0.0.1.evil.test")).toBe(false);
  });
  it("refuses any other host, naming the source and the one-line way to allow it", () => {
    const refusal = endpointRefusal("https://graph.evil.test/v1.0", "graphUrl", "graphUrl in the configuration", none);
    expect(refusal).toContain("graphUrl in the configuration: graph.evil.test is not a Microsoft Graph host");
    expect(refusal).toContain("ENTRA_GITOPS_ALLOW_HOSTS=graph.evil.test");
    // A Graph host is not an authority host and the reverse, and look-alikes are not Microsoft's.
    expect(endpointRefusal("https://graph.microsoft.com", "authorityHost", "x", none)).toBeDefined();
    expect(endpointRefusal("https://login.microsoftonline.com.evil.test", "authorityHost", "x", none)).toBeDefined();
    expect(endpointRefusal("https://graph.microsoft.de", "graphUrl", "x", none)).toBeDefined();
  });
  it("allows a host named in ENTRA_GITOPS_ALLOW_HOSTS", () => {
    const allowed = allowedHostsFrom({ ENTRA_GITOPS_ALLOW_HOSTS: "Proxy.Example.test, other.test" });
    expect(endpointRefusal("https://proxy.example.test:8443", "graphUrl", "x", allowed)).toBeUndefined();
    expect(endpointRefusal("https://third.test", "graphUrl", "x", allowed)).toBeDefined();
  });
  it("createGateway refuses a foreign Graph URL or authority from the environment or the configuration before any request", () => {
    expect(() => createGateway({ env: { ...credentials, ENTRA_GITOPS_GRAPH_URL: "https://graph.evil.test" } })).toThrow(/ENTRA_GITOPS_GRAPH_URL: graph\.evil\.test is not a Microsoft Graph host/);
    expect(() => createGateway({ env: credentials, settings: { graphUrl: "https://graph.evil.test" } })).toThrow(/graphUrl in the configuration: graph\.evil\.test/);
    expect(() => createGateway({ env: { ...credentials, AZURE_AUTHORITY_HOST: "https://login.evil.test" } })).toThrow(/AZURE_AUTHORITY_HOST: login\.evil\.test is not a Microsoft Entra authority host/);
    expect(() => createGateway({ env: credentials, settings: { authorityHost: "https://login.evil.test" } })).toThrow(/authorityHost in the configuration: login\.evil\.test/);
    expect(createGateway({ env: { ...credentials, ENTRA_GITOPS_GRAPH_URL: "https://graph.evil.test", ENTRA_GITOPS_ALLOW_HOSTS: "graph.evil.test" } }).endpoint.host).toBe("graph.evil.test");
  });
});
