import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The layer rule of ARCHITECTURE.md ("Layers"), read from the import statements of src/ with the
 * TypeScript parser: type-only imports count like the others. A new top-level folder of src/ must
 * be given its place in LAYERS before this passes.
 */

/** Bottom first: a folder may import only folders before it. */
const LAYERS = ["facts", "model", "files", "graph", "config", "kinds", "documents", "git", "state", "conditional-access", "guards", "render", "engine", "cli"] as const;
/** Outside the order: imports nothing of src/ but facts/, and only cli/ imports it. */
const SANDBOX = "sandbox";
/** Folders that do no I/O (ARCHITECTURE.md): no file system, processes, network, Graph, git or state. */
const PURE = ["facts", "model", "conditional-access", "guards", "render", "engine/plan", "engine/impact"];
const IO_MODULES = ["node:fs", "node:fs/promises", "node:child_process", "node:net", "node:http", "node:https", "node:http2", "node:worker_threads", "simple-git"];
const IO_FOLDERS = ["graph", "git", "state", "sandbox"];
/**
 * Files outside src/git that may run git themselves: the demo script plays the administrator at a
 * terminal (`git commit -am …` typed by a person), not the tool.
 */
const RAW_GIT_ALLOWED = ["cli/demo.ts"];

const root = resolve(import.meta.dirname, "..", "..");
const src = join(root, "src");

interface Import {
  /** The importing file, relative to src/ with `/`. */
  from: string;
  /** The module specifier as written. */
  specifier: string;
  /** Resolved path relative to src/ (`../scripts/x.ts` when outside), for relative specifiers. */
  target?: string;
  typeOnly: boolean;
  dynamic: boolean;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function posix(path: string): string {
  return path.split(sep).join("/");
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const from = posix(relative(src, file));
  const out: Import[] = [];
  const add = (node: ts.Node, specifier: string, typeOnly: boolean, dynamic: boolean): void => {
    const target = specifier.startsWith(".") ? posix(relative(src, resolve(dirname(file), specifier))).replace(/\.js$/, ".ts") : undefined;
    out.push({ from, specifier, ...(target !== undefined ? { target } : {}), typeOnly, dynamic, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.importClause?.isTypeOnly === true, false);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, node.isTypeOnly, false);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      add(node, node.moduleReference.expression.text, node.isTypeOnly, false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      add(node, node.arguments[0].text, false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node, node.argument.literal.text, true, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const files = sourceFiles(src);
const imports = files.flatMap(importsOf);
const folderOf = (path: string): string => path.split("/")[0] ?? "";
const where = (i: Import): string => `src/${i.from}:${i.line} imports ${i.specifier}`;
const inFolder = (path: string, folder: string): boolean => path === folder || path.startsWith(`${folder}/`);

describe("layers of src/ (ARCHITECTURE.md)", () => {
  it("reads the import statements it checks", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.some((i) => i.from === "engine/planning.ts" && i.target?.startsWith("kinds/"))).toBe(true);
    expect(imports.some((i) => i.typeOnly)).toBe(true);
  });

  it("every top-level folder of src/ has its place in the layer order", () => {
    const folders = new Set(files.map((f) => folderOf(posix(relative(src, f)))));
    const placed = new Set<string>([...LAYERS, SANDBOX]);
    expect([...folders].filter((f) => !placed.has(f) || f.endsWith(".ts"))).toEqual([]);
  });

  it("a folder imports only folders below it (type-only imports too), so no two folders import each other", () => {
    const rank = new Map<string, number>(LAYERS.map((name, i) => [name, i]));
    const wrong = imports.filter((i) => {
      if (i.target === undefined) return false;
      const a = folderOf(i.from);
      const b = folderOf(i.target);
      if (a === b || a === SANDBOX || b === SANDBOX) return false;
      return !((rank.get(b) ?? Infinity) < (rank.get(a) ?? -Infinity));
    });
    expect(wrong.map(where)).toEqual([]);
  });

  it("the sandbox imports nothing of src/ outside itself but data-only facts/, and only cli/ imports the sandbox", () => {
    const out = imports.filter((i) => folderOf(i.from) === SANDBOX && i.target !== undefined && ![SANDBOX, "facts"].includes(folderOf(i.target)));
    const into = imports.filter((i) => folderOf(i.from) !== SANDBOX && i.target !== undefined && folderOf(i.target) === SANDBOX && folderOf(i.from) !== "cli");
    expect([...out, ...into].map(where)).toEqual([]);
  });

  it("facts/ is data only: it imports nothing and declares no function or class", () => {
    const problems: string[] = [];
    for (const file of files.filter((f) => folderOf(posix(relative(src, f))) === "facts")) {
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
      const visit = (node: ts.Node): void => {
        if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node) || ts.isFunctionLike(node) || ts.isClassLike(node)) {
          problems.push(`${posix(relative(root, file))}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${ts.SyntaxKind[node.kind]}`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(problems).toEqual([]);
  });

  it("shipped code imports nothing from scripts/, test/ or bench/", () => {
    expect(imports.filter((i) => i.target?.startsWith("../")).map(where)).toEqual([]);
  });

  it("pure folders do no I/O: no file system, process, network or git module, no graph/, git/, state/ or sandbox/", () => {
    const wrong = imports.filter((i) => {
      if (!PURE.some((folder) => inFolder(i.from, folder))) return false;
      if (IO_MODULES.includes(i.specifier)) return true;
      return i.target !== undefined && IO_FOLDERS.includes(folderOf(i.target));
    });
    expect(wrong.map(where)).toEqual([]);
  });

  it("raw git runs only in src/git/ (simple-git, git/run-git, or a child process named git)", () => {
    const wrong = imports.filter((i) => !inFolder(i.from, "git") && (i.specifier === "simple-git" || i.target === "git/run-git.ts")).map(where);
    const spawnsGit = /\b(?:spawn|spawnSync|exec|execSync|execFile|execFileSync)\(\s*["'`]git\b/;
    for (const file of files) {
      const path = posix(relative(src, file));
      if (inFolder(path, "git") || RAW_GIT_ALLOWED.includes(path)) continue;
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, n) => {
          if (spawnsGit.test(line)) wrong.push(`src/${path}:${n + 1} runs git`);
        });
    }
    expect(wrong).toEqual([]);
  });

  it("no file imports itself back at run time through a cycle (static imports that are not type-only)", () => {
    const edges = new Map<string, string[]>();
    for (const i of imports) {
      if (i.target === undefined || i.typeOnly || i.dynamic) continue;
      edges.set(i.from, [...(edges.get(i.from) ?? []), i.target]);
    }
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === "done") return;
      if (state.get(node) === "open") {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(" → "));
        return;
      }
      state.set(node, "open");
      for (const next of edges.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, "done");
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it("code comments cite only the repository's own docs: every docs/<name>.md named exists, no design file from outside", () => {
    const wrong: string[] = [];
    for (const file of [...files, ...sourceFiles(join(root, "scripts"))]) {
      const path = posix(relative(root, file));
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, n) => {
          for (const cited of line.matchAll(/\bdocs\/[\w-]+\.md\b/g)) if (!existsSync(join(root, cited[0]))) wrong.push(`${path}:${n + 1} cites ${cited[0]}`);
          if (/DESIGN\.md|GRAPH-FACTS|STYLE\.md/.test(line)) wrong.push(`${path}:${n + 1} cites a file outside the repository`);
        });
    }
    expect(wrong).toEqual([]);
  });

  it("every barrel (an index.ts of re-exports only) is imported from outside its folder", () => {
    const unused: string[] = [];
    for (const file of files.filter((f) => f.endsWith(`${sep}index.ts`))) {
      const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
      if (!source.statements.every((s) => ts.isExportDeclaration(s) || ts.isImportDeclaration(s))) continue;
      const path = posix(relative(src, file));
      const folder = dirname(path);
      const outside = imports.some((i) => i.target === path && !inFolder(i.from, folder));
      const inTests = sourceFiles(join(root, "test")).some((t) => readFileSync(t, "utf8").includes(`src/${path.replace(/\.ts$/, ".js")}`));
      if (!outside && !inTests) unused.push(`src/${path}`);
    }
    expect(unused).toEqual([]);
  });
});
