/**
 * Transaction identifiers. Forwarded requests carry `z9hG4bK<hash>.<label>.<branch>` (hex) in
 * their top Via so a reply finds its transaction and branch without a search; hash/label is also
 * the (index, label) pair of t_suspend/t_continue and the RPCs.
 */
export const MAGIC_COOKIE = 'z9hG4bK';
export const TABLE_SIZE = 65536;

/** Hash of Call-ID and CSeq number into the table's 16-bit index space (FNV-1a). */
export function tmHash(callId: string, cseqNum: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < callId.length; i++) h = Math.imul(h ^ callId.charCodeAt(i), 0x01000193);
  for (let i = 0; i < cseqNum.length; i++) h = Math.imul(h ^ cseqNum.charCodeAt(i), 0x01000193);
  return (h >>> 0) & (TABLE_SIZE - 1);
}

export function branchId(hash: number, label: number, branch: number): string {
  return `${MAGIC_COOKIE}${hash.toString(16)}.${label.toString(16)}.${branch.toString(16)}`;
}

export interface ParsedBranch {
  hash: number;
  label: number;
  branch: number;
}

/**
 * Inverse of branchId; null for branches tm did not make. Scans the characters in place: it runs
 * for every reply, so no substrings, arrays or regular expressions.
 */
export function parseBranchId(value: string | undefined): ParsedBranch | null {
  if (!value || !value.startsWith(MAGIC_COOKIE)) return null;
  let hash = 0;
  let label = 0;
  let n = 0;
  let part = 0;
  let digits = 0;
  for (let i = MAGIC_COOKIE.length; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || part === 2) return null;
      if (part === 0) hash = n;
      else label = n;
      part++;
      n = 0;
      digits = 0;
      continue;
    }
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (d < 0 || ++digits > 8) return null;
    n = n * 16 + d;
  }
  if (part !== 2 || digits === 0) return null;
  return { hash, label, branch: n };
}

/** Random hex for local to-tags and Call-IDs of locally generated requests. */
export function randomHex(bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += ((Math.random() * 256) | 0).toString(16).padStart(2, '0');
  return s;
}
