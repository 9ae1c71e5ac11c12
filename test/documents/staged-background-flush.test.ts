import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { formatDocument } from "../../src/documents/format-document.js";
import { DocumentStage } from "../../src/documents/staged-writes.js";
import type { EntraDocument } from "../../src/model/document.js";

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

function group(n: number): EntraDocument {
  return { kind: "group", name: `sg-${String(n).padStart(5, "0")}`, spec: { displayName: `SG ${n}`, mailEnabled: false, securityEnabled: true, mailNickname: `sg${n}` } };
}

async function settle(stage: DocumentStage, count: number): Promise<void> {
  // Stage in slices, letting the worker answer in between, as an export's read does.
  for (let n = 0; n < count; n++) {
    stage.stage({ document: group(n) });
    if (n % 500 === 499) await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("DocumentStage with the export's worker", () => {
  test("flushes staged files in the background while staging goes on; publish writes every file, byte for byte, and leaves no temporary file", async () => {
    const root = await mkdtemp(join(tmpdir(), "entra-gitops-stage-"));
    roots.push(root);
    const stage = new DocumentStage(root, 16, { worker: true });
    const count = 2_100;
    await settle(stage, count);
    const published = await stage.publish();
    await stage.close();
    expect(published).toHaveLength(count);
    expect(published.every((p) => p.outcome === "created")).toBe(true);
    if (process.platform === "linux") expect(stage.flushedWhileStaging).toBeGreaterThanOrEqual(2_000);
    const files = await readdir(join(root, "group"));
    expect(files).toHaveLength(count);
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    for (const n of [0, 1_999, 2_000, 2_099]) {
      const doc = group(n);
      expect(await readFile(join(root, "group", `${doc.name}.yaml`), "utf8")).toBe(formatDocument(doc));
    }
  }, 60_000); // a file-system flush waits for whatever else the machine wrote

  test("a kind discarded after a background flush leaves no temporary file and no document", async () => {
    const root = await mkdtemp(join(tmpdir(), "entra-gitops-stage-"));
    roots.push(root);
    const stage = new DocumentStage(root, 16, { worker: true });
    await settle(stage, 2_100);
    await stage.discard(new Set(["group"]));
    expect(await stage.publish()).toEqual([]);
    await stage.close();
    expect(await readdir(join(root, "group"))).toEqual([]);
  }, 60_000);
});
