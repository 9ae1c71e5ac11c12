import { describe, expect, it } from "vitest";
import { EditedIdMap } from "../../src/state/edited-id-map.js";
import { formatIdMap, parseIdMap } from "../../src/state/id-map.js";

/** A deterministic pseudo-random sequence (the same maps and edits every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const KINDS = ["user", "group", "application", "conditionalAccessPolicy"];

function address(next: () => number): string {
  const kind = KINDS[Math.floor(next() * KINDS.length)] as string;
  // Names that sort around each other: prefixes, dots, dashes, upper case, a quoted one.
  const names = ["a", "a.b", "a-b", "ab", "A", "zeta", "x@contoso.com", "1st", "yes"];
  return `${kind}/${names[Math.floor(next() * names.length)] as string}${Math.floor(next() * 50)}`;
}

describe("the id map read and rewritten by edits", () => {
  it("gives the bytes a full format gives, for random maps and edits", () => {
    const next = random(7);
    for (let round = 0; round < 200; round++) {
      const committed = new Map<string, string>();
      const size = Math.floor(next() * 40);
      for (let i = 0; i < size; i++) committed.set(address(next), `id-${Math.floor(next() * 1e6)}`);
      const text = formatIdMap(committed, "prod");
      const parsed = parseIdMap(text, "ids.yaml");
      expect(parsed.ids).toEqual(committed);
      const edits = new Map<string, string | null>();
      for (let i = Math.floor(next() * 6); i > 0; i--) edits.set(next() < 0.5 && committed.size > 0 ? ([...committed.keys()][Math.floor(next() * committed.size)] as string) : address(next), next() < 0.3 ? null : `new-${i}`);
      const edited = new EditedIdMap(parsed.ids, edits);
      const expected = formatIdMap(new Map(edited), "prod");
      expect(formatIdMap(edited, "prod", { ids: parsed.ids, text, canonical: parsed.canonical })).toBe(expected);
      expect(edited.size).toBe(new Map(edited).size);
    }
  });

  it("knows a text it wrote from one edited by hand, and formats the latter whole", () => {
    const ids = new Map([["group/b", "id-2"], ["group/a", "id-1"], ["user/c", "id-3"]]);
    const text = formatIdMap(ids, "prod");
    expect(parseIdMap(text, "ids.yaml").canonical).toBe(true);
    const unsorted = text.replace("group/a: id-1\ngroup/b: id-2", "group/b: id-2\ngroup/a: id-1");
    const blank = text.replace("group/b: id-2\n", "group/b: id-2\n\n");
    const comment = `${text}# a note\n`;
    const quoted = text.replace("group/a: id-1", 'group/a: "id 1"');
    for (const variant of [unsorted, blank, comment, quoted]) {
      const parsed = parseIdMap(variant, "ids.yaml");
      expect(parsed.canonical).toBe(false);
      const edited = new EditedIdMap(parsed.ids, new Map([["user/d", "id-4"]]));
      expect(formatIdMap(edited, "prod", { ids: parsed.ids, text: variant, canonical: parsed.canonical })).toBe(formatIdMap(new Map(edited), "prod"));
    }
    // Another environment's header: the lines are kept, the header is written anew.
    const other = formatIdMap(ids, "test");
    const parsed = parseIdMap(other, "ids.yaml");
    const edited = new EditedIdMap(parsed.ids, new Map([["group/a", null]]));
    expect(formatIdMap(edited, "prod", { ids: parsed.ids, text: other, canonical: parsed.canonical })).toBe(formatIdMap(new Map([["group/b", "id-2"], ["user/c", "id-3"]]), "prod"));
  });

  it("edits over edits look through to the committed map without a chain", () => {
    const committed = new Map([["group/a", "1"], ["group/b", "2"]]);
    const first = new EditedIdMap(committed, new Map<string, string | null>([["group/a", null], ["group/c", "3"]]));
    const second = new EditedIdMap(first, new Map([["group/a", "9"]]));
    expect(second.base).toBe(committed);
    expect([...second].sort()).toEqual([["group/a", "9"], ["group/b", "2"], ["group/c", "3"]]);
    expect(first.has("group/a")).toBe(false);
    expect(first.get("group/b")).toBe("2");
    expect(committed.size).toBe(2);
  });
});
