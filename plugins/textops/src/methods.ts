/** is_method("INVITE|BYE"): method names compared case-insensitively, as Kamailio's method ids. */
import { isKnownMethod, type RunCtx } from '@sipr/core';

export type MethodSet = ReadonlySet<string>;

export function parseMethods(text: string): MethodSet {
  if (!text) throw new Error('empty method name');
  const names = text.split(/[|,]/).map((s) => s.trim().toUpperCase());
  for (const n of names) if (!/^[A-Z0-9!%*_+`'~.-]+$/.test(n)) throw new Error(`bad method name "${n}"`);
  // a list may only name methods Kamailio knows (they are compared by id there)
  if (names.length > 1) for (const n of names) if (!isKnownMethod(n)) throw new Error(`unknown method "${n}" in list - must be only defined methods`);
  return new Set(names);
}

export function methodMatches(set: MethodSet, method: string): boolean {
  return set.has(method.toUpperCase());
}

export function isMethod(ctx: RunCtx, set: MethodSet): number {
  return methodMatches(set, ctx.msg.method) ? 1 : -1;
}
