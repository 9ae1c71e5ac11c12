import { describe, expect, it } from "vitest";
import { DocumentNames } from "../../src/engine/sync/committed-tree.js";
import { idCoverage } from "../../src/engine/sync/id-lookups.js";
import type { Kind } from "../../src/model/kind.js";
import { formatIdMap } from "../../src/state/id-map.js";
import { SortedIdMap } from "../../src/state/sorted-id-map.js";

/** A deterministic pseudo-random sequence (the same maps every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const KINDS: Kind[] = ["user", "group", "groupSetting", "application"];

describe("the id map against the documents at HEAD (idCoverage)", () => {
  it("finds the same ids without a document and counts of documents with an id, read in place or from a map", () => {
    const next = random(3);
    for (let round = 0; round < 100; round++) {
      const ids = new Map<string, string>();
      const documents = new Map<Kind, Map<string, number>>();
      for (let i = 0; i < 60; i++) {
        const kind = KINDS[Math.floor(next() * KINDS.length)] as Kind;
        const address = `${kind}/n${Math.floor(next() * 40)}${next() < 0.2 ? "-x" : ""}`;
        if (next() < 0.7) ids.set(address, `id-${i}`);
        if (next() < 0.7) documents.set(kind, (documents.get(kind) ?? new Map<string, number>()).set(address, 0));
      }
      const sorted = SortedIdMap.of(formatIdMap(ids, "prod"));
      if (!sorted) continue;
      const tree = { names: new Map([...documents].map(([kind, byAddress]) => [kind, new DocumentNames(kind, byAddress, "")])) };
      const inPlace = idCoverage(sorted, tree);
      expect(inPlace).toEqual(idCoverage(new Map(sorted), tree));
      const expected = [...sorted.keys()].filter((address) => !documents.get(address.slice(0, address.indexOf("/")) as Kind)?.has(address));
      expect(inPlace.idsWithoutDocuments).toEqual(expected);
      for (const kind of KINDS) expect(inPlace.withId.get(kind) ?? 0).toBe([...(documents.get(kind)?.keys() ?? [])].filter((address) => ids.has(address)).length);
    }
  });
});
