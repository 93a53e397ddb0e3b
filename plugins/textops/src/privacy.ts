/** is_privacy(value): the Privacy header (RFC 3323/3325) lists that value. */
import type { RunCtx } from '@sipr/core';

const VALUES = ['header', 'session', 'user', 'none', 'critical', 'id', 'history'];

export function privacyFixup(value: string | null): string {
  const v = (value ?? '').trim().toLowerCase();
  if (!VALUES.includes(v)) throw new Error(`invalid privacy value "${value}"`);
  return v;
}

export function isPrivacy(ctx: RunCtx, value: string): number {
  for (const h of ctx.msg.headerAll('privacy')) {
    for (const tok of h.value.split(/[;,]/)) if (tok.trim().toLowerCase() === value) return 1;
  }
  return -1;
}
