/**
 * Collects bind parameters while a statement is assembled from fixed SQL fragments:
 * `params.add(value)` returns the placeholder (`$3`), so no value is ever spliced into SQL text.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** PostgreSQL accepts at most 65,535 bind parameters in one statement. */
export const MAX_BIND_PARAMETERS = 65_535;

/** Rows per multi-row INSERT: the wanted size, capped so rows × columns stays within the limit. */
export function rowsPerStatement(columns: number, wanted: number): number {
  if (columns < 1) throw new RangeError('columns must be >= 1');
  return Math.max(1, Math.min(wanted, Math.floor(MAX_BIND_PARAMETERS / columns)));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (size < 1) throw new RangeError('chunk size must be >= 1');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type Granularity = 'hour' | 'day' | 'week';
export const GRANULARITIES: readonly Granularity[] = ['hour', 'day', 'week'];

export function assertGranularity(value: string): asserts value is Granularity {
  if (!(GRANULARITIES as readonly string[]).includes(value)) {
    throw new RangeError(`granularity must be one of ${GRANULARITIES.join(', ')}; got ${JSON.stringify(value)}`);
  }
}

/** Page of a filtered list plus the total matching rows. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
