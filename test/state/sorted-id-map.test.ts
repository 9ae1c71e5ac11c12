import { describe, expect, it } from "vitest";
import { EditedIdMap } from "../../src/state/edited-id-map.js";
import { formatIdMap, idMapOfText, parseIdMap } from "../../src/state/id-map.js";
import { SortedIdMap } from "../../src/state/sorted-id-map.js";

/** A deterministic pseudo-random sequence (the same maps every run). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const KINDS = ["user", "group", "groupSetting", "application", "conditionalAccessPolicy"];
// Names that sort around each other: prefixes, dots, dashes, upper case, an ambiguous one, one that needs quotes.
const NAMES = ["a", "a.b", "a-b", "ab", "A", "zeta", "x@contoso.com", "1st", "yes", "b c", "a/b"];
const IDS = ["0b6f1c1e-0000-4000-8000-000000000001", "id-7", "12", "true", "AbC"];

function randomMap(next: () => number, size: number): Map<string, string> {
  const map = new Map<string, string>();
  for (let i = 0; i < size; i++) {
    const kind = KINDS[Math.floor(next() * KINDS.length)] as string;
    const name = `${NAMES[Math.floor(next() * NAMES.length)] as string}${next() < 0.5 ? Math.floor(next() * 30) : ""}`;
    map.set(`${kind}/${name}`, next() < 0.8 ? (IDS[0] as string).replace("1", String(Math.floor(next() * 1e6))) : (IDS[Math.floor(next() * IDS.length)] as string));
  }
  return map;
}

describe("the id map looked up in its canonical text", () => {
  it("is taken exactly when the line reader finds the text canonical, and answers as its map", () => {
    const next = random(11);
    let taken = 0;
    for (let round = 0; round < 300; round++) {
      const map = randomMap(next, Math.floor(next() * 40));
      const text = formatIdMap(map, "prod");
      const parsed = parseIdMap(text, "ids.yaml");
      const sorted = SortedIdMap.of(text);
      expect(sorted !== undefined).toBe(parsed.canonical && parsed.diagnostics.length === 0);
      if (!sorted) continue;
      taken += 1;
      expect([...sorted]).toEqual([...parsed.ids]);
      expect(sorted.size).toBe(parsed.ids.size);
      for (let probe = 0; probe < 20; probe++) {
        const key = `${KINDS[Math.floor(next() * KINDS.length)] as string}/${NAMES[Math.floor(next() * NAMES.length)] as string}${Math.floor(next() * 30)}`;
        expect(sorted.get(key)).toBe(parsed.ids.get(key));
        expect(sorted.has(key)).toBe(parsed.ids.has(key));
      }
      for (const [key, id] of parsed.ids) expect(sorted.get(key)).toBe(id);
      for (const kind of KINDS) expect([...sorted.withPrefix(`${kind}/`)]).toEqual([...parsed.ids].filter(([key]) => key.startsWith(`${kind}/`)));
      // Edits over it are written by splicing its lines: the bytes of a full format.
      const edits = new Map<string, string | null>();
      for (let i = Math.floor(next() * 6); i > 0; i--) edits.set(next() < 0.5 && map.size > 0 ? ([...map.keys()][Math.floor(next() * map.size)] as string) : `user/new${i}`, next() < 0.3 ? null : `new-${i}`);
      const edited = new EditedIdMap(sorted, edits);
      expect(formatIdMap(edited, "prod", { ids: sorted, text, canonical: true })).toBe(formatIdMap(new Map(edited), "prod"));
    }
    expect(taken).toBeGreaterThan(30);
  });

  it("leaves every other text to the line and YAML readers, with their diagnostics", () => {
    const ids = new Map([["group/b", "id-2"], ["group/a", "id-1"], ["user/c", "id-3"]]);
    const text = formatIdMap(ids, "prod");
    expect(idMapOfText(text, "ids.yaml").ids).toBeInstanceOf(SortedIdMap);
    const variants = [
      text.replace("group/a: id-1\ngroup/b: id-2", "group/b: id-2\ngroup/a: id-1"), // unsorted
      text.replace("group/b: id-2\n", "group/b: id-2\ngroup/b: id-9\n"), // a key twice
      text.replace("group/b: id-2\n", "group/b: id-2\n\n"), // a blank line
      `${text}# a note\n`,
      text.replace("group/a: id-1", 'group/a: "id 1"'),
      text.replace("group/a: id-1", "group/a: 123"), // a number
      text.replace("user/c", "nokind/c"),
      text.replace("user/c", "user/"),
      text.replace("user/c", "userc"),
      text.replace("id-3\n", "id-3"),
      text.replace("group/a: id-1", "group/a:  id-1"),
    ];
    for (const variant of variants) {
      expect(SortedIdMap.of(variant)).toBeUndefined();
      const read = idMapOfText(variant, "ids.yaml");
      const parsed = parseIdMap(variant, "ids.yaml");
      expect(read.ids).toEqual(parsed.ids);
      expect(read.diagnostics).toEqual(parsed.diagnostics);
    }
    expect(idMapOfText(text.replace("user/c", "nokind/c"), "ids.yaml").diagnostics[0]).toMatchObject({ file: "ids.yaml", line: 5, message: '"nokind/c" is not a document address KIND/NAME' });
  });
});
