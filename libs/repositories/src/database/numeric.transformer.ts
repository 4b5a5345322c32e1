import { ValueTransformer } from 'typeorm';

/**
 * PostgreSQL `numeric` arrives from `pg` as a string (it may exceed a double's precision). Money and
 * prices in this service are computed with JS numbers, so they are parsed here, in one place, on purpose:
 * a value that is not a number is an error, never a silent NaN.
 */
export function parseNumeric(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return value;
  const trimmed = value.trim();
  if (trimmed === 'NaN') return Number.NaN;
  const parsed = Number(trimmed);
  if (trimmed === '' || Number.isNaN(parsed)) {
    throw new TypeError(`not a numeric value: ${JSON.stringify(value)}`);
  }
  return parsed;
}

/** Like parseNumeric for NOT NULL columns: null is an error. */
export function parseRequiredNumeric(value: string | number | null | undefined): number {
  const parsed = parseNumeric(value);
  if (parsed === null) throw new TypeError('numeric value is null');
  return parsed;
}

/** PostgreSQL bigint / count(*) arrive as strings; counts here always fit in a double. */
export function parseCount(value: string | number | null | undefined): number {
  return parseNumeric(value) ?? 0;
}

/** Column transformer for `numeric` columns: JS number in, JS number out (null stays null). */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => parseNumeric(value),
};
