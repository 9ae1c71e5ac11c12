export { renderText, type TextOptions } from "./text.js";
export { renderMarkdown, commentMarker, GITHUB_COMMENT_LIMIT, type MarkdownOptions } from "./markdown.js";
export { renderJson, parsePlanJson, stableStringify } from "./json.js";
export { mermaidGraph } from "./mermaid.js";
export { summaryLine } from "./summary-line.js";
export { redact, redactAt, REDACTED } from "./redact.js";
export type { RenderMode } from "./change-lines.js";
