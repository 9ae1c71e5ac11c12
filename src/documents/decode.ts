/**
 * Turning file bytes into text, refusing what is not text. YAML documents must be UTF-8 (a BOM is
 * tolerated); imported Graph JSON may also be UTF-16 LE/BE (PowerShell's `Out-File` default), with or
 * without a BOM.
 */

export type Decoded =
  | { ok: true; text: string; encoding: "utf-8" | "utf-16le" | "utf-16be"; bom: boolean }
  | { ok: false; reason: string };

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Strict UTF-8 (an optional BOM is dropped). Invalid byte sequences are refused with their offset. */
export function decodeUtf8(bytes: Uint8Array): Decoded {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const body = bom ? bytes.subarray(3) : bytes;
  try {
    return { ok: true, text: utf8.decode(body), encoding: "utf-8", bom };
  } catch {
    const at = firstInvalidUtf8(body) + (bom ? 3 : 0);
    return { ok: false, reason: `invalid UTF-8 at byte ${at}` };
  }
}

/** UTF-8 or UTF-16 (LE/BE, with or without BOM), detected from the BOM or the pattern of zero bytes. */
export function decodeAnyText(bytes: Uint8Array): Decoded {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decode16(bytes.subarray(2), "utf-16le", true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decode16(bytes.subarray(2), "utf-16be", true);
  const guess = guessUtf16(bytes);
  if (guess) return decode16(bytes, guess, false);
  return decodeUtf8(bytes);
}

function decode16(bytes: Uint8Array, encoding: "utf-16le" | "utf-16be", bom: boolean): Decoded {
  if (bytes.length % 2 !== 0) return { ok: false, reason: `invalid ${encoding.toUpperCase()}: odd number of bytes` };
  try {
    const text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes);
    return { ok: true, text, encoding, bom };
  } catch {
    return { ok: false, reason: `invalid ${encoding.toUpperCase()} (unpaired surrogate)` };
  }
}

/** JSON text starts with ASCII (`{`, `[`, whitespace): in UTF-16 every other byte of it is zero. */
function guessUtf16(bytes: Uint8Array): "utf-16le" | "utf-16be" | undefined {
  const n = Math.min(bytes.length - (bytes.length % 2), 64);
  if (n < 4) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero === pairs && evenZero === 0) return "utf-16le";
  if (evenZero === pairs && oddZero === 0) return "utf-16be";
  return undefined;
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    if (len > 1 && !canDecode(bytes.subarray(i, i + len))) return i;
    i += len;
  }
  return i;
}

function canDecode(chunk: Uint8Array): boolean {
  try {
    utf8.decode(chunk);
    return true;
  } catch {
    return false;
  }
}
