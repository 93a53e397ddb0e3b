/**
 * Which final reply goes upstream when every branch failed: the lowest priority value wins
 * (6xx first, then 3xx, the "actionable" 4xx, other 4xx, 5xx), the first branch on ties.
 */
import type { UacBranch } from './cell';

export function replyPriority(code: number): number {
  const cls = Math.floor(code / 100);
  const xx = code % 100;
  switch (cls) {
    case 6: return 1000 + xx;
    case 3: return 3000 + xx;
    case 4: return (code === 401 || code === 407 || code === 415 || code === 420 || code === 484 ? 4000 : 4100) + xx;
    case 5: return 5000 + xx;
    default: return 10000 + code;
  }
}

/** Index of the winning branch, or -1 when no branch has a competing final reply. */
export function pickBranch(branches: readonly UacBranch[]): number {
  let best = -1;
  let bestPrio = Infinity;
  for (const b of branches) {
    if (b.dropped || b.status < 300) continue;
    const p = replyPriority(b.status);
    if (p < bestPrio) {
      bestPrio = p;
      best = b.idx;
    }
  }
  return best;
}
