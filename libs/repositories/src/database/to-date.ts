/** A Date from an ISO string or Date; an unparseable value is an error, never an Invalid Date row. */
export function toDate(value: string | Date): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new TypeError(`invalid timestamp: ${String(value)}`);
  return date;
}

export function toDateOrNull(value: string | Date | null | undefined): Date | null {
  return value === null || value === undefined ? null : toDate(value);
}
