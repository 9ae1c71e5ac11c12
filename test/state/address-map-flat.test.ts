import { describe, expect, it } from "vitest";
import { formatIdMap, parseIdMap } from "../../src/state/id-map.js";

describe("id map read line by line (the form export writes)", () => {
  it("reads back exactly what was written, quoted names included, at 20,000 entries", () => {
    const ids = new Map<string, string>();
    for (let i = 0; i < 20_000; i++) ids.set(`user/user${String(i).padStart(6, "0")}-scale`, `5ca1e000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`);
    ids.set("group/with space", "11111111-1111-4111-8111-111111111111");
    ids.set("group/true", "22222222-2222-4222-8222-222222222222");
    const text = formatIdMap(ids, "prod");
    const parsed = parseIdMap(text, "ids.yaml");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.ids).toEqual(ids);
    // Its cost (linear, not the YAML reader's quadratic duplicate-key check) is measured by
    // bench/sync-incremental.ts, not asserted here: timings belong in benchmarks.
  });

  it("names the line of a key that is not an address, and leaves a duplicate key to the YAML reader", () => {
    const bad = parseIdMap(["# header", "group/a: id-1111", "nokind: id-2222", ""].join("\n"), "ids.yaml");
    expect(bad.ids.get("group/a")).toBe("id-1111");
    expect(bad.diagnostics).toEqual([expect.objectContaining({ file: "ids.yaml", line: 3, path: "nokind", message: '"nokind" is not a document address KIND/NAME' })]);
    const duplicate = parseIdMap(["group/a: 1111", "group/a: 2222", ""].join("\n"), "ids.yaml");
    expect(duplicate.diagnostics.some((d) => d.severity === "error")).toBe(true);
  });
});
