/** IPv4/IPv6 addresses as bytes, and `ip`, `ip/bits`, `ip/mask` matching for src_ip/dst_ip conditions. */
import { isIPv4, isIPv6 } from 'node:net';

export function ipBytes(ip: string): number[] | null {
  let s = ip;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (isIPv4(s)) return s.split('.').map(Number);
  if (!isIPv6(s)) return null;
  let tail4: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (v4) {
    tail4 = v4[1].split('.').map(Number);
    s = s.slice(0, -v4[1].length) + '0:0';
  }
  const [head, rest] = s.split('::');
  const h = head ? head.split(':') : [];
  const t = rest !== undefined && rest ? rest.split(':') : [];
  const fill = rest === undefined ? [] : new Array(8 - h.length - t.length).fill('0');
  const groups = [...h, ...fill, ...t].map((g) => parseInt(g, 16));
  const out: number[] = [];
  for (const g of groups) out.push(g >> 8, g & 0xff);
  if (tail4.length) out.splice(12, 4, ...tail4);
  return out;
}

/** A compiled `ip[/bits|/mask]`; null when the text is not an address (then it is a hostname). */
export interface Net {
  readonly addr: number[];
  readonly bits: number;
}

export function parseNet(text: string): Net | null {
  const slash = text.indexOf('/');
  const addr = ipBytes(slash < 0 ? text : text.slice(0, slash));
  if (!addr) return null;
  if (slash < 0) return { addr, bits: addr.length * 8 };
  const m = text.slice(slash + 1);
  if (/^\d+$/.test(m)) {
    const bits = Number(m);
    return bits <= addr.length * 8 ? { addr, bits } : null;
  }
  const mask = ipBytes(m);
  if (!mask || mask.length !== addr.length) return null;
  let bits = 0;
  for (const b of mask) for (let k = 7; k >= 0; k--) if (b & (1 << k)) bits++;
  return { addr, bits };
}

export function netMatch(net: Net, ip: string): boolean {
  const a = ipBytes(ip);
  if (!a || a.length !== net.addr.length) return false;
  let bits = net.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i] & mask) !== (net.addr[i] & mask)) return false;
  }
  return true;
}
