/**
 * Document names (docs/design.md §2): the stable key of an object within its kind and its file name. A name
 * is a lower-case slug, so it is safe as a file name on every OS and cannot climb out of the folder.
 */

/** Lower-case slug of at most 128 characters, without ".." and not ending in "." (Windows drops it). */
export const NAME_PATTERN_SOURCE = "^(?!.*\\.\\.)(?!.*\\.$)[a-z0-9][a-z0-9._-]{0,127}$";
export const NAME_PATTERN = new RegExp(NAME_PATTERN_SOURCE);

/** Why `name` is not a valid document name, or undefined when it is. */
export function nameProblem(name: unknown): string | undefined {
  if (typeof name !== "string") return "name must be a string";
  if (name.length === 0) return "name must not be empty";
  if (name.includes("/") || name.includes("\\")) return `invalid name "${name}": must not contain a path separator`;
  if (name.includes("..")) return `invalid name "${name}": must not contain ".."`;
  if (name.length > 128) return `invalid name "${name.slice(0, 40)}…": longer than 128 characters`;
  if (name.endsWith(".")) return `invalid name "${name}": must not end with "."`;
  if (!NAME_PATTERN.test(name)) {
    return `invalid name "${name}": use lower-case letters, digits, ".", "_" and "-", starting with a letter or digit`;
  }
  return undefined;
}

export function isValidName(name: unknown): name is string {
  return nameProblem(name) === undefined;
}

/** A valid name from free text: the same slug export gives a display name (one definition). */
export { slugify } from "../kinds/naming.js";

/** `base`, or `base-2`, `base-3`, … : the first that is not in `taken` (which it then joins). */
export function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) {
    const suffix = `-${i}`;
    name = `${base.slice(0, 128 - suffix.length)}${suffix}`;
  }
  taken.add(name);
  return name;
}
