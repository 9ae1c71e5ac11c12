import { describe, expect, it } from "vitest";
import { addressesById } from "../../src/engine/sync/id-lookups.js";
import { formatIdMap, idMapOfText, parseIdMap } from "../../src/state/id-map.js";
import { SortedIdMap } from "../../src/state/sorted-id-map.js";

const A = "5ca1e000-0000-4000-8000-00000000000a";
const B = "5CA1E000-0000-4000-8000-00000000000B";
const C = "5ca1e000-0000-4000-8000-00000000000c";

function read(ids: Map<string, string>): ReturnType<typeof parseIdMap> & { text: string } {
  const text = formatIdMap(ids, "prod");
  return { ...parseIdMap(text, "ids.yaml"), text };
}

describe("addresses by object id (the id map turned around, or searched in its text)", () => {
  it("answers from the canonical text exactly what the turned-around map answers, ids compared in lower case", () => {
    const map = read(new Map([["user/alice", A], ["user/bob", B], ["group/admins", C]]));
    expect(map.canonical).toBe(true);
    const searched = addressesById(map.ids, map);
    const turned = addressesById(map.ids);
    for (const id of [A, B.toLowerCase(), C, "5ca1e000-0000-4000-8000-0000000000ff", "admins"]) expect(searched.get(id), id).toBe(turned.get(id));
    expect(searched.get(B.toLowerCase())).toBe("user/bob");
    expect(searched.get("5ca1e000-0000-4000-8000-0000000000ff")).toBeUndefined();
  });

  it("an id on two lines gives the map's last address, as the turned-around map does", () => {
    const map = read(new Map([["user/alice", A], ["user/alice2", A]]));
    expect(addressesById(map.ids, map).get(A)).toBe("user/alice2");
    expect(addressesById(map.ids).get(A)).toBe("user/alice2");
  });

  it("a text that is not canonical, or that the map does not match, is not searched", () => {
    const text = ["# hand-written", "user/bob: " + C, "user/alice: " + A, ""].join("\n");
    const parsed = parseIdMap(text, "ids.yaml");
    expect(parsed.canonical).toBe(false);
    expect(addressesById(parsed.ids, { text, canonical: false }).get(A)).toBe("user/alice");
    const map = read(new Map([["user/alice", A]]));
    // The text names alice, the map (edited since) names carol: the map answers.
    expect(addressesById(new Map([["user/carol", A]]), map).get(A)).toBe("user/carol");
  });

  it("after many lookups the map is turned around once and answers the same", () => {
    const ids = new Map<string, string>();
    for (let i = 0; i < 100; i++) ids.set(`user/u${String(i).padStart(3, "0")}`, `5ca1e000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`);
    const map = read(ids);
    const byId = addressesById(map.ids, map);
    for (const [address, id] of ids) expect(byId.get(id)).toBe(address);
  });
});

describe("addresses by object id, with a map that holds more than its text", () => {
  it("is answered by the map", () => {
    const map = read(new Map([["user/alice", A]]));
    expect(addressesById(new Map([["user/alice", A], ["user/dave", C]]), map).get(C)).toBe("user/dave");
  });
});

describe("addresses by object id, from a map read in place from its text", () => {
  it("answers what the turned-around map answers: ids lower-cased, the last line of an id twice, nothing for another case", () => {
    const ids = new Map<string, string>();
    for (let i = 0; i < 300; i++) ids.set(`${i % 3 === 0 ? "group" : "user"}/u${String(i).padStart(3, "0")}`, `5ca1e000-0000-4000-8000-${(i % 250).toString(16).padStart(12, "0")}`);
    ids.set("user/zed", B);
    ids.set("user/zed2", B.toLowerCase());
    const text = formatIdMap(ids, "prod");
    const inPlace = idMapOfText(text, "ids.yaml").ids;
    expect(inPlace).toBeInstanceOf(SortedIdMap);
    const turned = addressesById(parseIdMap(text, "ids.yaml").ids);
    const byId = addressesById(inPlace);
    for (const id of [...ids.values(), B, B.toLowerCase(), A, "5ca1e000-0000-4000-8000-0000000000fff", "", "user/zed"]) expect(byId.get(id), id).toBe(turned.get(id));
    expect(byId.get(B.toLowerCase())).toBe("user/zed2");
  });
});

describe("addresses by object id, searched in the text of a map with no upper-case id", () => {
  it("answers the first lookups by searching the text, the later ones from the table, both as the turned-around map", () => {
    const ids = new Map<string, string>();
    for (let i = 0; i < 300; i++) ids.set(`${i % 3 === 0 ? "group" : "user"}/u${String(i).padStart(3, "0")}`, `5ca1e000-0000-4000-8000-${(i % 250).toString(16).padStart(12, "0")}`);
    const text = formatIdMap(ids, "prod");
    const turned = addressesById(parseIdMap(text, "ids.yaml").ids);
    const byId = addressesById(idMapOfText(text, "ids.yaml").ids);
    // An id on two lines (i and i + 250), one in upper case, one not in the map, odd ones: then every id.
    const probes = [C, "5ca1e000-0000-4000-8000-000000000001", "5CA1E000-0000-4000-8000-000000000001", "5ca1e000-0000-4000-8000-0000000000ff", "", "u001", "group/u000", "5ca1e000", ": x\n"];
    for (const id of [...probes, ...ids.values(), ...probes]) expect(byId.get(id), id).toBe(turned.get(id));
    expect(byId.get("5ca1e000-0000-4000-8000-000000000001")).toBe("user/u251");
  });
});
