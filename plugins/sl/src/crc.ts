/** CRC-16/CCITT over latin1 strings: the short, stable per-request part of the sl To-tag. */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
    t[i] = c;
  }
  return t;
})();

export function crc16(parts: readonly string[]): number {
  let crc = 0xffff;
  for (const s of parts) {
    for (let i = 0; i < s.length; i++) crc = ((crc << 8) & 0xffff) ^ TABLE[((crc >> 8) ^ s.charCodeAt(i)) & 0xff];
  }
  return ~crc & 0xffff;
}
