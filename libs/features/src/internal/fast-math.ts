/**
 * Module-local aliases of the Math / Number functions used in per-row and per-element loops.
 * Inside a Node `vm` context (which is how jest runs every test) each `Math.x` / `Number.x` is a
 * global lookup through the context's interceptor, ~50-100× slower than a property load; outside
 * jest the aliases cost nothing. Behaviour is identical.
 */
export const { abs, cos, log, log1p, max, sin, sqrt } = Math;
export const numberIsFinite = Number.isFinite;
export const numberIsNaN = Number.isNaN;
export const asNumber = Number;
export const dateParse = Date.parse;
export const NAN = Number.NaN;
