/**
 * A large synthetic tenant for scale tests and benchmarks: N users and M security groups whose
 * members are spread deterministically (a few big groups over Graph's 999-item page, the rest of
 * equal size), built through the sandbox seed API so that seeding 100k memberships takes seconds.
 */
import type { SeedApi } from "../../src/sandbox/tenant/seed-api.js";

export interface ScaleShape {
  users: number;
  groups: number;
  /** The first `bigGroups` groups get `bigGroupSize` members each (member paging). */
  bigGroups: number;
  bigGroupSize: number;
  /** Members of every other group. */
  groupSize: number;
}

export const SCALE_DOMAIN = "scale.onmicrosoft.com";

function guid(prefix: string, n: number): string {
  return `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

export function userId(n: number): string {
  return guid("5ca1e000", n);
}

export function groupId(n: number): string {
  return guid("5ca1e001", n);
}

export function userPrincipalName(n: number): string {
  return `user${String(n).padStart(6, "0")}@${SCALE_DOMAIN}`;
}

export function groupName(n: number): string {
  return `Group ${String(n).padStart(4, "0")}`;
}

/** Member user numbers of group `g`: distinct (7 is coprime with any user count not a multiple of 7). */
export function groupMembers(shape: ScaleShape, g: number): number[] {
  const size = Math.min(shape.users, g < shape.bigGroups ? shape.bigGroupSize : shape.groupSize);
  return Array.from({ length: size }, (_, k) => (g * 97 + k * 7) % shape.users);
}

export function membershipCount(shape: ScaleShape): number {
  let total = 0;
  for (let g = 0; g < shape.groups; g++) total += Math.min(shape.users, g < shape.bigGroups ? shape.bigGroupSize : shape.groupSize);
  return total;
}

/** The seed function for `createTenant({ seed })`. */
export function scaleSeed(shape: ScaleShape): (api: SeedApi) => void {
  if (shape.users % 7 === 0) throw new Error("scaleSeed: the user count must not be a multiple of 7");
  return (api) => {
    for (let u = 0; u < shape.users; u++) {
      api.create("users", {
        id: userId(u),
        accountEnabled: true,
        displayName: `User ${u}`,
        mailNickname: `user${u}`,
        userPrincipalName: userPrincipalName(u),
        department: `Dept ${u % 40}`,
      });
    }
    for (let g = 0; g < shape.groups; g++) {
      const id = groupId(g);
      api.create("groups", { id, displayName: groupName(g), mailEnabled: false, mailNickname: `group${g}`, securityEnabled: true });
      for (const u of groupMembers(shape, g)) api.core.store.addLink("groups/members", id, userId(u), "groups");
    }
  };
}
