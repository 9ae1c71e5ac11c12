import { describe, expect, it } from "vitest";
import { TestTenant, errorOf, values } from "./helpers.js";

describe("POST /directoryObjects/getByIds", () => {
  it("returns typed objects for known ids, leaves unknown ids out, and honours types", async () => {
    const t = new TestTenant();
    const group = (await t.post("/groups", { displayName: "Ops", mailEnabled: false, mailNickname: "ops", securityEnabled: true })).body;
    const user = (await t.post("/users", { displayName: "Ann", accountEnabled: true, mailNickname: "ann", userPrincipalName: "ann@contoso.onmicrosoft.com", passwordProfile: { password: "Xy!12345678" } })).body;
    const missing = "00000000-0000-4000-8000-00000000dead";
    const answer = await t.post("/directoryObjects/getByIds", { ids: [String(group["id"]), String(user["id"]), missing] });
    expect(answer.status).toBe(200);
    const found = values(answer);
    expect(found.map((o) => [o["@odata.type"], o["id"]]).sort()).toEqual(
      [["#microsoft.graph.group", group["id"]], ["#microsoft.graph.user", user["id"]]].sort(),
    );
    expect(found.find((o) => o["id"] === user["id"])?.["userPrincipalName"]).toBe("ann@contoso.onmicrosoft.com");

    const onlyUsers = await t.post("/directoryObjects/getByIds", { ids: [String(group["id"]), String(user["id"])], types: ["user"] });
    expect(values(onlyUsers).map((o) => o["id"])).toEqual([user["id"]]);
  });

  it("refuses a body without an ids array", async () => {
    const t = new TestTenant();
    const answer = await t.post("/directoryObjects/getByIds", { types: ["user"] });
    expect(answer.status).toBe(400);
    expect(errorOf(answer).message).toContain("ids");
  });
});
