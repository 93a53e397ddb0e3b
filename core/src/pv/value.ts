import type { PvValue } from './types';

/** String face of a value; null stays null. */
export function pvStr(v: PvValue): string | null {
  return v === null ? null : typeof v === 'string' ? v : String(v);
}

/**
 * Strict int conversion as Kamailio's str2sint: optional sign then digits only; anything else
 * (including '') is not an int.
 */
export function strictInt(s: string): number | null {
  if (!/^[+-]?\d+$/.test(s)) return null;
  return Number(s) | 0;
}
