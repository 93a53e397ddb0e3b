/**
 * The standard fixups of both module families. A fixup runs once per call site at start with the
 * literal of parameter `paramNo` (1-based; null/0 for a function without parameters) and returns
 * what the function receives in that position; throwing refuses the config. Fixups named for two
 * parameters (`_spve_uint`, `_12`) convert each position their name lists and leave others as
 * written.
 */
import type { FixupSite } from '@sipr/core';
import { FParam, parseSelect, pvApi } from './fparam';

export type ShapeFixup = (value: string | null, paramNo: number, site: FixupSite) => unknown;
type Conv = (text: string, site: FixupSite) => unknown;

const modeOf = (site: FixupSite) => site.compatMode ?? site.core.compatMode;

function toInt(text: string): number {
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw new Error(`"${text}" is not an integer`);
  return parseInt(text, 10);
}

const int: Conv = (t) => toInt(t);
const uint: Conv = (t) => {
  const n = toInt(t);
  if (n < 0) throw new Error(`"${t}" is not an unsigned integer`);
  return n;
};
const str: Conv = (t) => t;

/** POSIX ERE as the C fixups compile it: case-insensitive; '.' does not match newline there either */
const regex: Conv = (t) => {
  try {
    return new RegExp(t, 'i');
  } catch (e) {
    throw new Error(`bad regular expression "${t}": ${(e as Error).message}`);
  }
};

/** Kamailio's spve: a string that may hold PVs, kept as a constant when it has none. */
const spve: Conv = (t, site) => {
  if (!t.includes('$')) return FParam.str(t);
  const f = pvApi(site.core).parseFormat(t, modeOf(site));
  return f.isStatic ? FParam.str(f.text) : FParam.format(t, f);
};

/** A writable or readable PV spec, e.g. the out-variable of a function. */
const pvar: Conv = (t, site) => pvApi(site.core).parse(t, modeOf(site));

/** Kamailio's igp: an integer literal or a PV read at run time. */
const igp: Conv = (t, site) => (/^\s*[+-]?\d+\s*$/.test(t) ? FParam.int(t, parseInt(t, 10)) : FParam.pv(t, pvApi(site.core).parse(t, modeOf(site))));

/**
 * SER's fixup_var_*: a PV (not in #!SER mode), else a SER AVP, else a select, else the plain value:
 * an integer for the _int_ variants, a string that may hold PVs for the _pve_ ones.
 */
function variable(plain: 'int' | 'str' | 'pve'): Conv {
  return (t, site) => {
    const mode = modeOf(site);
    if (t.startsWith('$')) {
      const pv = pvApi(site.core);
      if (mode !== 'ser') {
        try {
          return FParam.pv(t, pv.parse(t, mode));
        } catch {
          // not a PV: SER tries an AVP next
        }
      }
      try {
        return FParam.pv(t, pv.parse(t, 'ser'), 'avp');
      } catch {
        // not an AVP either: a plain value
      }
    } else if (t.startsWith('@')) {
      try {
        return FParam.select(t, parseSelect(site.core, t));
      } catch {
        // not a select: a plain value
      }
    }
    if (plain === 'int') return FParam.int(t, toInt(t));
    return plain === 'pve' ? spve(t, site) : FParam.str(t);
  };
}

/** A fixup converting the listed positions (index 0 = param 1); `null` leaves that one as written. */
function positions(...convs: (Conv | null)[]): ShapeFixup {
  return (value, paramNo, site) => {
    const c = paramNo >= 1 ? convs[paramNo - 1] : undefined;
    return c && value !== null ? c(value, site) : value;
  };
}

/** Every position converted the same way (variadic functions). */
function all(conv: Conv): ShapeFixup {
  return (value, paramNo, site) => (paramNo >= 1 && value !== null ? conv(value, site) : value);
}

// Kamailio family (mod_fix.h)
export const fixup_str_null = positions(str);
export const fixup_str_str = positions(str, str);
export const fixup_str_all = all(str);
export const fixup_uint_null = positions(uint);
export const fixup_uint_uint = positions(uint, uint);
export const fixup_regexp_null = positions(regex);
export const fixup_pvar_null = positions(pvar);
export const fixup_pvar_pvar = positions(pvar, pvar);
export const fixup_pvar_str = positions(pvar, str);
export const fixup_pvar_str_str = positions(pvar, str, str);
export const fixup_igp_null = positions(igp);
export const fixup_igp_igp = positions(igp, igp);
export const fixup_igp_pvar = positions(igp, pvar);
export const fixup_igp_all = all(igp);
export const fixup_spve_null = positions(spve);
export const fixup_spve_spve = positions(spve, spve);
export const fixup_spve_uint = positions(spve, uint);
export const fixup_spve_str = positions(spve, str);
export const fixup_spve_all = all(spve);

// SER family (sr_module.h fparam fixups)
export const fixup_int_1 = positions(int);
export const fixup_int_2 = positions(null, int);
export const fixup_int_12 = positions(int, int);
export const fixup_str_1 = positions(str);
export const fixup_str_2 = positions(null, str);
export const fixup_str_12 = positions(str, str);
export const fixup_regex_1 = positions(regex);
export const fixup_regex_2 = positions(null, regex);
export const fixup_regex_12 = positions(regex, regex);
export const fixup_var_str_1 = positions(variable('str'));
export const fixup_var_str_2 = positions(null, variable('str'));
export const fixup_var_str_12 = positions(variable('str'), variable('str'));
export const fixup_var_int_1 = positions(variable('int'));
export const fixup_var_int_2 = positions(null, variable('int'));
export const fixup_var_int_12 = positions(variable('int'), variable('int'));
export const fixup_var_pve_str_1 = positions(variable('pve'));
export const fixup_var_pve_str_2 = positions(null, variable('pve'));
export const fixup_var_pve_str_12 = positions(variable('pve'), variable('pve'));
