/** IPv4/IPv6 CIDR membership for IP named locations. */
function toBigInt(ip: string): { bits: number; value: bigint } | undefined {
  if (ip.includes(".") && !ip.includes(":")) {
    const parts = ip.split(".").map(Number);
    if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
    return { bits: 32, value: parts.reduce((acc, p) => (acc << 8n) | BigInt(p), 0n) };
  }
  if (!ip.includes(":")) return undefined;
  const [head = "", tail] = ip.split("::");
  const h = head ? head.split(":") : [];
  const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill("0"), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { bits: 128, value: groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const [base = "", prefixText] = cidr.split("/");
  const a = toBigInt(ip);
  const b = toBigInt(base);
  if (!a || !b || a.bits !== b.bits) return false;
  const prefix = prefixText === undefined ? a.bits : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > a.bits) return false;
  const shift = BigInt(a.bits - prefix);
  return a.value >> shift === b.value >> shift;
}

/** An address inside a CIDR range (its first host), for generated scenarios. */
export function addressIn(cidr: string): string {
  const [base = "", prefix] = cidr.split("/");
  if (prefix === undefined || Number(prefix) >= (base.includes(":") ? 127 : 31)) return base;
  if (base.includes(":")) return base.endsWith("::") ? `${base}1` : base;
  const parts = base.split(".").map(Number);
  parts[3] = Math.min(254, (parts[3] ?? 0) + 1);
  return parts.join(".");
}
