/**
 * Documents of a kind with relationships (groups: members and owners) made while the kind is still
 * read, one object at a time, when nothing read later can change them (ARCHITECTURE.md, export):
 * every reference of the object names an object already read (a user, or an object of the kind
 * itself, named from its list before the relationships are read). An object with a reference to
 * anything else (an id only a directory look-up after the read can name, a permission) waits for
 * the end of the read, as before.
 */
import type { IdResolver, ResolvedId } from "../../kinds/references.js";
import type { KindDescriptor } from "../../kinds/types.js";
import type { JsonValue } from "../../model/document.js";
import type { ReferencePrefix } from "../../kinds/types.js";
import type { DirectoryIndex } from "./directory-index.js";
import type { RawObject } from "./read-kind.js";

function text(value: JsonValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * A read kind's objects into the index, as references name them: by the kind's reference key
 * (users: userPrincipalName), else by document name (role assignments are named later).
 */
export function addKindToIndex(index: DirectoryIndex, descriptor: KindDescriptor, objects: readonly RawObject[], names: ReadonlyMap<string, string>): void {
  if (descriptor.nameFromReferences) return;
  const prefix = descriptor.reference?.prefix;
  const key = descriptor.reference?.key;
  for (const object of objects) {
    const name = key !== undefined ? text(object.body[key]) : (names.get(object.id) ?? object.id);
    if (prefix && name) index.add(prefix, name, object.id, text(object.body.appId));
  }
}

/**
 * Resolves through the index of the kinds read so far and remembers whether every answer was a
 * managed object: then the final index (the same entries, plus look-ups of unknown ids) gives the
 * same document. An unknown id, a display name or a permission makes the document not final.
 */
export class FinalAnswers implements IdResolver {
  complete = true;

  constructor(private readonly index: DirectoryIndex) {}

  resolveId(id: string, targets: readonly ReferencePrefix[], by: "id" | "appId"): ResolvedId | undefined {
    const resolved = this.index.resolveId(id, targets, by);
    if (resolved === undefined || !("prefix" in resolved)) this.complete = false;
    return resolved;
  }

  permissionName(resource: string, type: string, id: string): string | undefined {
    this.complete = false;
    return this.index.permissionName(resource, type, id);
  }
}

/** Whether a kind's documents can be made object by object during its read. */
export function streamable(descriptor: KindDescriptor): boolean {
  return !descriptor.nameFromReferences && !descriptor.singleton && (descriptor.relationships?.length ?? 0) > 0;
}
