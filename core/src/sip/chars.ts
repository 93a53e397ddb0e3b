/** Byte classes and byte/string helpers used by the scanners (RFC 3261 25.1). */
/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1;
for (const ch of "-.!%*_+`'~") TOKEN[ch.charCodeAt(0)] = 1;

export function isTokenString(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255 || TOKEN[c] === 0) return false;
  }
  return true;
}

export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// Buffer#latin1Slice skips the encoding dispatch of Buffer#toString; it is not in @types/node.
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice(this: Buffer, s: number, e: number): string }).latin1Slice;

/** buf[s, e) as a latin1 string (one char per byte: SIP text is handled as bytes). */
export function latin1(buf: Buffer, s: number, e: number): string {
  return nativeLatin1Slice.call(buf, s, e);
}

/** Whether buf[s, e) spells `known` exactly (lets hot paths reuse constant strings). */
export function matchBytes(buf: Buffer, s: number, e: number, known: string): boolean {
  if (e - s !== known.length) return false;
  for (let i = 0; i < known.length; i++) if (buf[s + i] !== known.charCodeAt(i)) return false;
  return true;
}
