/** One bad field of a message and everything wrong with it. */
export interface FieldProblem {
  /** Dotted path from the message root, e.g. `market_data_snapshot.price`, `data[0].open`; `(body)` for the body itself. */
  field: string;
  problems: string[];
}

/** The field name used for problems with the body as a whole (empty, not JSON, too large, not an object). */
export const BODY_FIELD = '(body)';

const MAX_FIELDS_IN_MESSAGE = 20;

/** Merges problems of the same field, keeping first-seen order and dropping duplicate texts. */
export function mergeProblems(list: FieldProblem[]): FieldProblem[] {
  const byField = new Map<string, string[]>();
  for (const { field, problems } of list) {
    const existing = byField.get(field) ?? [];
    for (const p of problems) if (!existing.includes(p)) existing.push(p);
    byField.set(field, existing);
  }
  return [...byField].map(([field, problems]) => ({ field, problems }));
}

/**
 * Thrown by parse() and the market-data normalizers when a message breaks its contract.
 * `fields` names every bad field; the message lists them too (first 20), ready for a log line or a DLQ header.
 */
export class ContractValidationError extends Error {
  readonly fields: FieldProblem[];

  constructor(
    readonly contract: string,
    fields: FieldProblem[],
  ) {
    const merged = mergeProblems(fields);
    const listed = merged
      .slice(0, MAX_FIELDS_IN_MESSAGE)
      .map((f) => `${f.field}: ${f.problems.join('; ')}`)
      .join(' | ');
    const more = merged.length > MAX_FIELDS_IN_MESSAGE ? ` | … and ${merged.length - MAX_FIELDS_IN_MESSAGE} more fields` : '';
    super(`Invalid ${contract}: ${listed}${more}`);
    this.name = 'ContractValidationError';
    this.fields = merged;
  }

  /** True when `field` (exact path) is among the bad fields. */
  hasField(field: string): boolean {
    return this.fields.some((f) => f.field === field);
  }

  /** The bad field paths, in order. */
  get fieldNames(): string[] {
    return this.fields.map((f) => f.field);
  }
}
