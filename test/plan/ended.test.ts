import { describe, expect, it } from "vitest";
import { computePlan } from "../../src/engine/plan/compute-plan.js";
import { roleAssignment } from "../../src/kinds/roleAssignment.js";
import { groupAssignmentSchedule } from "../../src/kinds/groupAssignmentSchedule.js";
import { SOURCE, doc } from "./fixtures.js";

/** A time-bound role assignment for alice ending at `end`, by name as documents write it. */
function assignment(end: string): ReturnType<typeof doc> {
  return doc("roleAssignment", "reports-reader-alice", {
    principalId: "user:alice@contoso.com",
    roleDefinitionId: "role:Reports Reader",
    directoryScopeId: "/",
    scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } },
  });
}

describe("a document whose time-bound assignment has ended", () => {
  const opts = { descriptors: [roleAssignment], source: { ...SOURCE, createdAt: "2027-03-01T12:00:00Z" }, scope: ["roleAssignment"] as const, prune: true };

  it("is not created again (Graph removed it at its end): the plan warns, naming the end, and proposes nothing", () => {
    const plan = computePlan([assignment("2027-03-01T11:59:59Z")], [], opts);
    expect(plan.changes).toEqual([]);
    expect(plan.diagnostics).toEqual([
      {
        severity: "warning",
        code: "ended",
        address: "roleAssignment/reports-reader-alice",
        message: "roleAssignment/reports-reader-alice ended at 2027-03-01T11:59:59Z (scheduleInfo.expiration.endDateTime): nothing to create; remove the document",
      },
    ]);
  });

  it("is created while its end is still ahead, measured at the plan's own time", () => {
    const plan = computePlan([assignment("2027-03-01T12:00:01Z")], [], opts);
    expect(plan.changes.map((c) => [c.action, c.address])).toEqual([["create", "roleAssignment/reports-reader-alice"]]);
    expect(plan.diagnostics.filter((d) => d.code === "ended")).toEqual([]);
  });
});

describe("a time-bound group membership (groupAssignmentSchedule) that has ended", () => {
  const opts = { descriptors: [groupAssignmentSchedule], source: { ...SOURCE, createdAt: "2027-03-01T12:00:00Z" }, scope: ["groupAssignmentSchedule"] as const, prune: true };
  const membership = (end: string): ReturnType<typeof doc> =>
    doc("groupAssignmentSchedule", "tier0-member-alice", {
      accessId: "member",
      groupId: "group:tier0",
      principalId: "user:alice@contoso.com",
      scheduleInfo: { expiration: { type: "afterDateTime", endDateTime: end } },
    });

  it("is not assigned again: the plan warns, naming the end, and proposes nothing; one still running is created", () => {
    const ended = computePlan([membership("2027-03-01T11:00:00Z")], [], opts);
    expect(ended.changes).toEqual([]);
    expect(ended.diagnostics.map((d) => [d.code, d.message])).toEqual([["ended", "groupAssignmentSchedule/tier0-member-alice ended at 2027-03-01T11:00:00Z (scheduleInfo.expiration.endDateTime): nothing to create; remove the document"]]);
    const running = computePlan([membership("2027-03-02T00:00:00Z")], [], opts);
    expect(running.changes.map((c) => [c.action, c.address])).toEqual([["create", "groupAssignmentSchedule/tier0-member-alice"]]);
  });
});
