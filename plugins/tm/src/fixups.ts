/** tm's own fixups (the standard ones come from @sipr/compat): route names checked at start. */
import type { FixupSite, RouteKind } from '@sipr/core';
import type { ShapeFixup } from '@sipr/compat';

/** A route name that must exist in the config (t_on_failure("X") needs failure_route[X]). */
export function routeName(kind: RouteKind, label: string, position = 1): ShapeFixup {
  return (value: string | null, paramNo: number, site: FixupSite) => {
    if (paramNo !== position || value === null) return value;
    if (site.core.script && !site.core.script.has(kind, value)) throw new Error(`${label}[${value}] is not defined`);
    return value;
  };
}
