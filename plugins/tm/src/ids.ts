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

/** Inverse of branchId; null for branches tm did not make. */
export function parseBranchId(value: string | undefined): ParsedBranch | null {
  if (!value || !value.startsWith(MAGIC_COOKIE)) return null;
  const parts = value.slice(MAGIC_COOKIE.length).split('.');
  if (parts.length !== 3) return null;
  const [h, l, b] = parts;
  if (!isHex(h) || !isHex(l) || !isHex(b)) return null;
  return { hash: parseInt(h, 16), label: parseInt(l, 16), branch: parseInt(b, 16) };
}

function isHex(s: string): boolean {
  return s.length > 0 && s.length <= 8 && /^[0-9a-f]+$/.test(s);
}

/** Random hex for local to-tags and Call-IDs of locally generated requests. */
export function randomHex(bytes: number): string {
  let s = '';
  for (let i = 0; i < bytes; i++) s += ((Math.random() * 256) | 0).toString(16).padStart(2, '0');
  return s;
}
