/**
 * The sandbox behaviour table (docs/graph-behaviour.md, "Sandbox behaviour table"): every row names
 * a public source (a Microsoft Learn page or a public issue report) in its Source column.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function tableRows(markdown: string): string[][] {
  const section = markdown.slice(markdown.indexOf("## Sandbox behaviour table"));
  return section
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| Graph behaviour"))
    .map((line) => line.slice(1, -1).split(" | ").map((cell) => cell.trim()));
}

describe("the sandbox behaviour table", () => {
  const rows = tableRows(readFileSync(join(process.cwd(), "docs/graph-behaviour.md"), "utf8"));

  it("has rows", () => {
    expect(rows.length).toBeGreaterThan(15);
  });

  it("gives every row a source URL on learn.microsoft.com or a public GitHub issue or pull request", () => {
    const missing = rows.filter((cells) => {
      const source = cells[cells.length - 1] ?? "";
      return cells.length !== 3 || !/https:\/\/(learn\.microsoft\.com|github\.com\/[^/]+\/[^/]+\/(issues|pull))\//.test(source);
    });
    expect(missing.map((cells) => cells[0])).toEqual([]);
  });
});
