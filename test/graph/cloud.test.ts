import { describe, expect, it } from "vitest";
import { authorityForGraph, graphEndpoint, isMicrosoftAuthority } from "../../src/graph/cloud.js";
import { createGateway } from "../../src/graph/create.js";

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
    const own = createGateway({ env: { ...env, AZURE_AUTHORITY_HOST: "https://login.example.test" } });
    expect(own.credentialDescription).toContain("authority https://login.example.test");
    expect(own.endpoint.scope).toBe("https://dod-graph.microsoft.us/.default");
  });
});
