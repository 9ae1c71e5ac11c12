import { describe, expect, it } from "vitest";
import { parsePlanJson, renderJson, stableStringify } from "../../src/render/json.js";
import { redactAt } from "../../src/render/redact.js";
import { renderMarkdown } from "../../src/render/markdown.js";
import { renderText } from "../../src/render/text.js";
import { samplePlan } from "./sample-plan.js";

describe("JSON renderer", () => {
  const plan = samplePlan();
  const json = renderJson(plan);

  it("writes the artifact with formatVersion first and a stable key order", () => {
    expect(json.startsWith('{\n  "formatVersion": "1",\n')).toBe(true);
    expect(json.endsWith("}\n")).toBe(true);
    const shuffled = { ...plan, summary: Object.fromEntries(Object.entries(plan.summary).reverse()) as typeof plan.summary };
    expect(renderJson(shuffled)).toBe(json);
    expect(stableStringify({ b: 1, a: { d: 1, c: 2 }, action: "x" })).toBe('{"action":"x","a":{"c":2,"d":1},"b":1}');
  });

  it("round-trips through parsePlanJson and refuses unknown versions", () => {
    const back = parsePlanJson(json);
    expect(back.changes.map((c) => c.address)).toEqual(plan.changes.map((c) => c.address));
    expect(back.fingerprints).toEqual(plan.fingerprints);
    expect(() => parsePlanJson('{"formatVersion":"2"}')).toThrow(/unsupported plan format version "2"/);
  });

  it("renderers read only the artifact: text and markdown of the parsed JSON equal those of the plan", () => {
    const back = parsePlanJson(json);
    expect(renderText(back, { color: false })).toBe(renderText(plan, { color: false }));
    expect(renderMarkdown(back)).toBe(renderMarkdown(plan));
  });

  it("redacts secret values but keeps credential metadata", () => {
    expect(json).not.toContain("SuperSecret");
    expect(json).toContain('"secretText": "<redacted>"');
    expect(json).toContain('"hint": "abc"');
    expect(redactAt("passwordCredentials[keyId=k1].secretText", "s3cret")).toBe("<redacted>");
    expect(redactAt("keyCredentials", [{ keyId: "1", key: "MIIB..." }])).toEqual([{ keyId: "1", key: "<redacted>" }]);
    expect(redactAt("passwordCredentials", [{ keyId: "1", value: "x" }])).toEqual([{ keyId: "1", value: "<redacted>" }]);
    expect(redactAt("displayName", "key")).toBe("key");
  });
});
