/**
 * search_hf(hf, re, flags) and subst_hf(hf, subst, flags): a regex or a substitution on the bodies
 * of one header's fields; flags pick the fields: a (all, default), f (first), l (last).
 */
import type { Header, RunCtx, SipMsg } from '@sipr/core';
import { matches, replacement, type Subst } from './subst';

export type Which = 'a' | 'f' | 'l';

export function whichFixup(value: string | null): Which {
  const v = value ?? '';
  if (v === '') return 'a';
  if (v !== 'a' && v !== 'f' && v !== 'l') throw new Error(`unknown flag "${v}" (a, f or l)`);
  return v;
}

function fields(msg: SipMsg, key: string, which: Which): Header[] {
  const all = msg.headerAll(key) as Header[];
  if (which === 'f') return all.slice(0, 1);
  if (which === 'l') return all.slice(-1);
  return all;
}

const bodyOf = (msg: SipMsg, h: Header) => msg.buf.toString('latin1', h.valueStart, h.valueEnd);

export function searchHf(ctx: RunCtx, key: string, re: RegExp, which: Which): number {
  const msg = ctx.msg as SipMsg;
  for (const h of fields(msg, key, which)) {
    re.lastIndex = 0;
    if (re.test(bodyOf(msg, h))) return 1;
  }
  return -1;
}

export function substHf(ctx: RunCtx, key: string, s: Subst, which: Which): number {
  const msg = ctx.msg as SipMsg;
  let rc = -1;
  for (const h of fields(msg, key, which)) {
    for (const m of matches(s, bodyOf(msg, h))) {
      const at = h.valueStart + m.index;
      msg.replaceRange(at, at + m[0].length, replacement(s, m, ctx));
      rc = 1;
    }
  }
  return rc;
}
