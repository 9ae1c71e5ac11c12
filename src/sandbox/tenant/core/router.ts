import type { HttpMethod } from "../../types.js";
import type { ApiVersion, RouteHandler } from "./resource.js";

interface CompiledRoute {
  method: HttpMethod;
  segments: string[];
  versions: readonly ApiVersion[];
  handler: RouteHandler;
  permissions?: readonly string[];
}

export interface RouteMatch {
  handler: RouteHandler;
  params: Record<string, string>;
  permissions?: readonly string[];
}

const CAST = /^microsoft\.graph\.[A-Za-z]+$/i;

function segmentsOf(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

/** Rank: literal (3) > cast param (2) > plain param (1), compared left to right. */
function matchRoute(route: CompiledRoute, segments: readonly string[]): { params: Record<string, string>; rank: number[] } | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  const rank: number[] = [];
  for (let i = 0; i < segments.length; i++) {
    const pattern = route.segments[i] ?? "";
    const actual = segments[i] ?? "";
    if (pattern.startsWith("{") && pattern.endsWith("}")) {
      const name = pattern.slice(1, -1);
      if (name === "cast") {
        if (!CAST.test(actual)) return undefined;
        rank.push(2);
      } else {
        if (actual.startsWith("$") || CAST.test(actual)) return undefined;
        rank.push(1);
      }
      params[name] = actual;
    } else {
      if (pattern.toLowerCase() !== actual.toLowerCase()) return undefined;
      rank.push(3);
    }
  }
  return { params, rank };
}

function better(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return false;
}

/** Path patterns to handlers; the most literal match wins, so `/users/delta` beats `/users/{id}`. */
export class Router {
  private readonly routes: CompiledRoute[] = [];

  add(method: HttpMethod, path: string, versions: readonly ApiVersion[], handler: RouteHandler, permissions?: readonly string[]): void {
    const route: CompiledRoute = { method, segments: segmentsOf(path), versions, handler };
    if (permissions) route.permissions = permissions;
    this.routes.push(route);
  }

  /** The best match, `"method"` when the path exists for other methods only, or undefined. */
  match(method: HttpMethod, version: ApiVersion, path: string): RouteMatch | "method" | undefined {
    const segments = segmentsOf(path);
    let best: { route: CompiledRoute; params: Record<string, string>; rank: number[] } | undefined;
    let pathExists = false;
    for (const route of this.routes) {
      if (!route.versions.includes(version)) continue;
      const m = matchRoute(route, segments);
      if (!m) continue;
      if (route.method !== method) {
        pathExists = true;
        continue;
      }
      if (!best || better(m.rank, best.rank)) best = { route, ...m };
    }
    if (best) {
      const match: RouteMatch = { handler: best.route.handler, params: best.params };
      if (best.route.permissions) match.permissions = best.route.permissions;
      return match;
    }
    return pathExists ? "method" : undefined;
  }
}
