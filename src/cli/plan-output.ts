import { appendFile } from "node:fs/promises";
import { writeFileAtomic } from "../files/atomic-write.js";
import type { Plan } from "../model/plan.js";
import { renderJson } from "../render/json.js";
import { renderMarkdown } from "../render/markdown.js";
import type { RenderMode } from "../render/change-lines.js";
import { renderText } from "../render/text.js";
import { UserError } from "./errors.js";
import { out, useColor } from "./output.js";

export type PlanFormat = "text" | "markdown" | "json";

export function parseFormat(value: string | undefined): PlanFormat {
  const format = value ?? "text";
  if (format !== "text" && format !== "markdown" && format !== "json") {
    throw new UserError(`--format must be text, markdown or json (got "${format}")`);
  }
  return format;
}

export function render(plan: Plan, format: PlanFormat, mode: RenderMode): string {
  switch (format) {
    case "json":
      return renderJson(plan);
    case "markdown":
      return renderMarkdown(plan, { mode });
    case "text":
      return renderText(plan, { color: useColor(), mode });
  }
}

/** Prints the plan, saves it with `--out`, and adds it to the GitHub job summary when there is one. */
export async function emitPlan(plan: Plan, options: { format: PlanFormat; out?: string; mode: RenderMode }): Promise<void> {
  out(render(plan, options.format, options.mode));
  if (options.out) await writeFileAtomic(options.out, renderJson(plan));
  const summary = process.env.GITHUB_STEP_SUMMARY;
  if (summary) await appendFile(summary, `${renderMarkdown(plan, { mode: options.mode })}\n`);
}
