/** ISO 8601 UTC text of a date, or null. */
export function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Like iso() for values that are never null. */
export function isoRequired(value: Date | string): string {
  return iso(value) ?? String(value);
}
