/** Hard limits every contract shares; parse() enforces them before any field rule runs. */
export const LIMITS = {
  /** A raw message body (Buffer or string) larger than this is rejected before JSON parsing. */
  MAX_BODY_BYTES: 1024 * 1024,
  /** No string anywhere in a message may be longer than this. */
  MAX_STRING_LENGTH: 10_000,
  /** Nesting allowed below a top-level field (free-form metadata, unknown extra fields). */
  MAX_NESTING_DEPTH: 8,
  /** Longest array accepted anywhere in a message. */
  MAX_ARRAY_LENGTH: 10_000,
  /** Most keys one object may have. */
  MAX_OBJECT_KEYS: 1_000,
  /** Most keys a free-form object (metadata, technical_indicators) may have at its top level. */
  MAX_FREE_FORM_KEYS: 100,
  /** Longest identifier (event_id, order_id, position_id, trace_id, versions). */
  MAX_ID_LENGTH: 128,
  /** Longest strategy id. */
  MAX_STRATEGY_ID_LENGTH: 100,
} as const;

/** Short, log-safe rendering of an offending value for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}${value.length > 40 ? ` (${value.length} chars)` : ''}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}
