import { describe, expect, it } from "vitest";
import { TestTenant, errorOf, values } from "./helpers.js";

async function tenantWithUsers(count: number, pageSize = 2) {
  const t = new TestTenant({ defaultPageSize: pageSize });
  for (let i = 0; i < count; i++) await t.createUser(`User ${String.fromCharCode(65 + i)}`, { department: i % 2 === 0 ? "Sales" : "IT" });
  return t;
}

const EVENTUAL = { consistencylevel: "eventual" };

describe("OData paging", () => {
  it("pages with @odata.nextLink carrying the original query options until the last page", async () => {
    const t = await tenantWithUsers(5);
    const seen: string[] = [];
    let response = await t.call("/users?$select=id,displayName&$filter=startsWith(displayName,'User')");
    expect(response.body["@odata.context"]).toBe("https://127.0.0.1:8443/v1.0/$metadata#users(id,displayName)");
    let pages = 0;
    for (;;) {
      pages++;
      seen.push(...values(response).map((u) => String(u["displayName"])));
      const next = response.body["@odata.nextLink"];
      if (typeof next !== "string") break;
      expect(next).toContain("$select=id%2CdisplayName");
      expect(next).toContain("$filter=");
      expect(next).toContain("$skiptoken=");
      response = await t.follow(next);
    }
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual(["User A", "User B", "User C", "User D", "User E"]);
  });

  it("uses $top as the page size and rejects $top above the resource's maximum with Graph's 400", async () => {
    const t = await tenantWithUsers(4);
    const page = await t.call("/users?$top=3");
    expect(values(page)).toHaveLength(3);
    expect(page.body["@odata.nextLink"]).toContain("$top=3");
    const tooBig = await t.call("/users?$top=1000");
    expect(tooBig.status).toBe(400);
    expect(errorOf(tooBig)).toEqual({ code: "Request_BadRequest", message: "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive." });
  });

  it("refuses $skip on directory objects and a tampered $skiptoken", async () => {
    const t = await tenantWithUsers(3);
    const skip = await t.call("/users?$skip=1");
    expect(skip.status).toBe(400);
    expect(errorOf(skip).message).toBe("'$skip' is not supported by the service.");
    const first = await t.call("/users");
    const next = String(first.body["@odata.nextLink"]);
    const tampered = await t.follow(next.replace("$skiptoken=", "$skiptoken=x"));
    expect(tampered.status).toBe(400);
    const otherQuery = await t.follow(`${next}&$filter=accountEnabled eq true`);
    expect(otherQuery.status).toBe(400);
  });
});

describe("advanced queries (docs/graph-behaviour.md §1)", () => {
  it("answers $count=true with @odata.count on the first page only with ConsistencyLevel: eventual", async () => {
    const t = await tenantWithUsers(5);
    const plain = await t.call("/users?$count=true");
    expect(plain.status).toBe(200);
    expect(plain.body["@odata.count"]).toBeUndefined();
    const counted = await t.call("/users?$count=true", { headers: EVENTUAL });
    expect(counted.body["@odata.count"]).toBe(5);
    const second = await t.follow(String(counted.body["@odata.nextLink"]), { headers: EVENTUAL });
    expect(second.status).toBe(200);
    expect(second.body["@odata.count"]).toBeUndefined();
  });

  it("rejects the $count segment without the header and returns text/plain with it", async () => {
    const t = await tenantWithUsers(3);
    const bad = await t.call("/users/$count");
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toEqual({ code: "Request_BadRequest", message: "$count is not currently supported." });
    const good = await t.call("/users/$count?$filter=department eq 'Sales'", { headers: EVENTUAL });
    expect(good.status).toBe(200);
    expect(good.headers?.["content-type"]).toBe("text/plain");
    expect(good.body).toBe("2");
  });

  it("allows ne, not and endsWith only as advanced queries, with Graph's error otherwise", async () => {
    const t = await tenantWithUsers(3);
    for (const filter of ["department ne 'IT'", "not(department eq 'IT')", "endsWith(userPrincipalName,'@contoso.onmicrosoft.com')"]) {
      const bad = await t.call(`/users?$filter=${encodeURIComponent(filter)}`);
      expect(bad.status).toBe(400);
      expect(errorOf(bad).code).toBe("Request_UnsupportedQuery");
      expect(errorOf(bad).message).toMatch(/^Operator '(ne|not|endsWith)' is not supported because the required parameters might be missing\. Try adding \$count=true query parameter and ConsistencyLevel:eventual header\./);
      const headerOnly = await t.call(`/users?$filter=${encodeURIComponent(filter)}`, { headers: EVENTUAL });
      expect(headerOnly.status).toBe(400);
      const good = await t.call(`/users?$count=true&$filter=${encodeURIComponent(filter)}`, { headers: EVENTUAL });
      expect(good.status).toBe(200);
    }
    const ne = await t.call("/users?$count=true&$filter=department ne 'IT'", { headers: EVENTUAL });
    expect(ne.body["@odata.count"]).toBe(2);
  });

  it("rejects filters on unsupported properties and $search without the header", async () => {
    const t = await tenantWithUsers(2);
    const unsupported = await t.call("/groups?$filter=createdDateTime ge 2021-11-01");
    expect(unsupported.status).toBe(400);
    const search = await t.call("/users?$search=\"displayName:User\"");
    expect(errorOf(search)).toEqual({
      code: "Request_UnsupportedQuery",
      message: "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    });
    const found = await t.call("/users?$search=\"displayName:a\"", { headers: EVENTUAL });
    expect(values(found).map((u) => u["displayName"])).toEqual(["User A"]);
  });

  it("sorts by allowed properties and refuses $filter with $orderby unless advanced", async () => {
    const t = await tenantWithUsers(4, 10);
    const sorted = await t.call("/users?$orderby=displayName desc");
    expect(values(sorted).map((u) => u["displayName"])).toEqual(["User D", "User C", "User B", "User A"]);
    const both = await t.call("/users?$orderby=displayName&$filter=department eq 'IT'");
    expect(errorOf(both)).toEqual({ code: "Request_UnsupportedQuery", message: "Sorting not supported for current query." });
    const advanced = await t.call("/users?$orderby=displayName&$filter=department eq 'IT'&$count=true", { headers: EVENTUAL });
    expect(values(advanced).map((u) => u["displayName"])).toEqual(["User B", "User D"]);
  });
});

describe("$select and default property sets", () => {
  it("returns v1.0 users' default properties only, all properties in beta, and honours $select", async () => {
    const t = await tenantWithUsers(1);
    const v1 = values(await t.call("/users"))[0] ?? {};
    expect(Object.keys(v1).sort()).toEqual(
      ["businessPhones", "displayName", "givenName", "id", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName"].sort(),
    );
    const beta = values(await t.call("/users", { version: "beta" }))[0] ?? {};
    expect(beta["department"]).toBe("Sales");
    expect(beta["accountEnabled"]).toBe(true);
    const selected = values(await t.call("/users?$select=department,accountEnabled"))[0] ?? {};
    expect(selected).toEqual({ department: "Sales", accountEnabled: true });
  });
});
