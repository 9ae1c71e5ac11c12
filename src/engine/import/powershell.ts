/**
 * Microsoft Graph PowerShell SDK output (`Get-MgIdentityConditionalAccessPolicy | ConvertTo-Json`):
 * the SDK's models have PascalCase properties (`DisplayName`, `Conditions.Users.IncludeUsers`) and
 * keep whatever they do not model, `@odata.type` included, in `AdditionalProperties`. Converted back
 * to Graph's camelCase JSON; an object `ConvertTo-Json` cut at its `-Depth` (nested objects written
 * as their .NET type name) is refused, since the cut-off values are lost.
 */
import type { JsonObject, JsonValue } from "../../model/document.js";
import { isJsonObject } from "../../model/json.js";

/** `ConvertTo-Json` writes an object deeper than `-Depth` (default 2) as its type name. */
const TRUNCATED = /^Microsoft\.Graph\.PowerShell\.Models\.\w+$/;

/**
 * True when the object's own keys are the SDK's: an `AdditionalProperties` bag, or mostly PascalCase
 * keys including `Id` or `DisplayName` (every Graph entity the SDK writes has them; another tool's
 * PascalCase settings file, such as `{ "TermsOfUse": … }`, does not).
 */
export function isPowerShellObject(object: JsonObject): boolean {
  const keys = Object.keys(object).filter((k) => !k.startsWith("@"));
  if (keys.includes("AdditionalProperties")) return true;
  if (!keys.includes("Id") && !keys.includes("DisplayName")) return false;
  const pascal = keys.filter((k) => /^[A-Z]/.test(k)).length;
  return pascal > keys.length / 2;
}

/** `IncludeUsers` → `includeUsers`, `IPRanges` → `ipRanges`, `Id` → `id`. */
export function camelCase(key: string): string {
  const lead = /^[A-Z]+/.exec(key)?.[0] ?? "";
  if (lead.length === 0) return key;
  // An acronym keeps its last capital when a lower-case word follows it (`IPRanges` → `ipRanges`).
  const keep = lead.length > 1 && lead.length < key.length && /[a-z]/.test(key[lead.length] ?? "") ? 1 : 0;
  return lead.slice(0, lead.length - keep).toLowerCase() + key.slice(lead.length - keep);
}

export type PowerShellResult = { ok: true; value: JsonObject } | { ok: false; reason: string };

/** The SDK object as Graph JSON, or why it cannot be. */
export function fromPowerShell(object: JsonObject): PowerShellResult {
  const truncated: string[] = [];
  const convert = (value: JsonValue, path: string): JsonValue => {
    if (typeof value === "string" && TRUNCATED.test(value)) truncated.push(path || "(root)");
    if (Array.isArray(value)) return value.map((v, i) => convert(v, `${path}[${i}]`));
    if (!isJsonObject(value)) return value;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) {
      if (key === "AdditionalProperties" && isJsonObject(child)) {
        // Graph's own names (and annotations) the SDK did not model: already camelCase.
        for (const [extra, v] of Object.entries(child)) out[extra] ??= convert(v, path ? `${path}.${extra}` : extra);
        continue;
      }
      const name = key.startsWith("@") ? key : camelCase(key);
      out[name] = convert(child, path ? `${path}.${name}` : name);
    }
    return out;
  };
  const value = convert(object, "") as JsonObject;
  if (truncated.length > 0) {
    return {
      ok: false,
      reason: `PowerShell SDK output cut short by ConvertTo-Json's -Depth (${truncated.slice(0, 3).join(", ")}${truncated.length > 3 ? ", …" : ""} written as a type name): export again with ConvertTo-Json -Depth 20`,
    };
  }
  return { ok: true, value };
}
