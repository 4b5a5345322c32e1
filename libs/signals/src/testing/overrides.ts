/** Partial at every depth (extra keys allowed, for forward-compatibility tests); arrays are replaced, not merged. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null } & Record<string, unknown>
    : T;

/** Overrides for an example builder: any subset of fields at any depth, plus extra fields. `undefined` removes a field. */
export type Overrides<T> = DeepPartial<T> & Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** Deep-merges plain objects: override values win, nested objects merge, `undefined` deletes the key. */
export function applyOverrides<T extends object>(base: T, overrides: object | undefined): T {
  if (!overrides) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete out[key];
    else if (isPlainObject(value) && isPlainObject(out[key])) out[key] = applyOverrides(out[key] as object, value);
    else out[key] = value;
  }
  return out as T;
}
