/** Run flags raised by drop/exit/return/break and 0-returning functions (cfg-language.md §5.1). */
export const RunFlag = {
  EXIT: 1,
  RETURN: 2,
  BREAK: 4,
  DROP: 8,
} as const;

/** Max nesting of route(X) calls. */
export const MAX_ROUTE_DEPTH = 100;
