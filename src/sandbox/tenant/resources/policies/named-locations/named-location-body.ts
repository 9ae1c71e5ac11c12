/**
 * Named locations (`ipNamedLocation`, `countryNamedLocation`): body checks as the Conditional Access
 * service does them, and the stored → GET shape. CIDR and country-code rules follow the Entra docs
 * (IPv4 prefixes /8 and longer, ISO 3166-1 alpha-2 codes); the numbered messages are the sandbox's.
 */
import { isIP } from "node:net";
import { GraphHttpError } from "../../../core/errors.js";
import { isRecord } from "../../../core/entity.js";
import { checkShape, odataTypeName, unknownPropertyMessage, type ApiVersion } from "../schema/shape.js";
import { fillDefaults, projectForVersion } from "../schema/project.js";

type Json = Record<string, unknown>;

export const NAMED_LOCATION_TYPES = ["ipNamedLocation", "countryNamedLocation"] as const;
export const NAMED_LOCATION_READ_ONLY = ["id", "createdDateTime", "modifiedDateTime", "deletedDateTime"] as const;

function caError(message: string): GraphHttpError {
  return new GraphHttpError(400, "BadRequest", message);
}

export function namedLocationSchemaError(): GraphHttpError {
  return caError("1007: Incoming NamedLocation object is null or does not match the schema of NamedLocation type.");
}

function cidrError(cidr: string): GraphHttpError {
  return caError(`1003: Invalid IP range: '${cidr}'. Specify a valid IPv4 or IPv6 range in CIDR notation (IPv4 prefix /8 or longer).`);
}

function countryError(code: string): GraphHttpError {
  return caError(`1004: Invalid country or region code: '${code}'. Use two-letter ISO 3166-1 alpha-2 codes.`);
}

/** Checks one CIDR range of the given family. */
export function isValidCidr(cidr: string, family: 4 | 6): boolean {
  const [address, prefix, ...rest] = cidr.split("/");
  if (rest.length > 0 || address === undefined || prefix === undefined || !/^\d{1,3}$/.test(prefix)) return false;
  if (isIP(address) !== family) return false;
  const bits = Number(prefix);
  return family === 4 ? bits >= 8 && bits <= 32 : bits >= 8 && bits <= 128;
}

function checkIpRanges(ranges: unknown): void {
  if (!Array.isArray(ranges) || ranges.length === 0) throw namedLocationSchemaError();
  for (const range of ranges) {
    if (!isRecord(range)) throw namedLocationSchemaError();
    const type = typeof range["@odata.type"] === "string" ? odataTypeName(range["@odata.type"]) : "";
    const cidr = range["cidrAddress"];
    if (typeof cidr !== "string") throw namedLocationSchemaError();
    if (type === "iPv4CidrRange" && !isValidCidr(cidr, 4)) throw cidrError(cidr);
    if (type === "iPv6CidrRange" && !isValidCidr(cidr, 6)) throw cidrError(cidr);
  }
}

function checkCountries(location: Json): void {
  const countries = location["countriesAndRegions"];
  if (!Array.isArray(countries) || countries.length === 0) throw namedLocationSchemaError();
  for (const code of countries) {
    if (typeof code !== "string" || !/^[A-Z]{2}$/.test(code)) throw countryError(String(code));
  }
}

function strip(body: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    if (!(NAMED_LOCATION_READ_ONLY as readonly string[]).includes(key)) out[key] = value;
  }
  return out;
}

function shapeAndRules(candidate: Json, version: ApiVersion): Json {
  const shaped = checkShape(candidate, "namedLocation", { version, includeUnknownEnumMembers: true });
  if (!shaped.ok) {
    const p = shaped.problem;
    if (p.kind === "unknownProperty") throw new GraphHttpError(400, "BadRequest", unknownPropertyMessage(p.property, p.type));
    throw namedLocationSchemaError();
  }
  const value = shaped.value;
  const type = typeof value["@odata.type"] === "string" ? odataTypeName(value["@odata.type"]) : "";
  if (!(NAMED_LOCATION_TYPES as readonly string[]).includes(type)) throw namedLocationSchemaError();
  if (typeof value["displayName"] !== "string" || value["displayName"].trim() === "") throw namedLocationSchemaError();
  if (type === "ipNamedLocation") checkIpRanges(value["ipRanges"]);
  else checkCountries(value);
  return value;
}

/** POST body → stored properties (without id and timestamps). Throws GraphHttpError. */
export function prepareNamedLocationCreate(body: unknown, version: ApiVersion): Json {
  if (!isRecord(body) || typeof body["@odata.type"] !== "string") throw namedLocationSchemaError();
  const value = shapeAndRules(strip(body), version);
  if (odataTypeName(String(value["@odata.type"])) === "countryNamedLocation") {
    value["includeUnknownCountriesAndRegions"] ??= false;
    value["countryLookupMethod"] ??= "clientIpAddress";
  } else {
    value["isTrusted"] ??= false;
  }
  return value;
}

/** PATCH: `@odata.type` is required and must match the stored type; arrays replace. */
export function prepareNamedLocationUpdate(existing: Json, body: unknown, version: ApiVersion): Json {
  if (!isRecord(body) || typeof body["@odata.type"] !== "string") throw namedLocationSchemaError();
  if (odataTypeName(body["@odata.type"]) !== odataTypeName(String(existing["@odata.type"]))) throw namedLocationSchemaError();
  const merged = { ...strip(existing), ...strip(body) };
  return shapeAndRules(merged, version);
}

export function renderNamedLocation(stored: Json, version: ApiVersion): Json {
  const filled = fillDefaults(stored, "namedLocation", version, ["deletedDateTime"]);
  const { id, ...rest } = projectForVersion(filled, "namedLocation", version, true);
  return { "@odata.type": rest["@odata.type"], id, ...rest };
}
