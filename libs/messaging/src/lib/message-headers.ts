/** Pure helpers for AMQP header handling: trace ids, retry counts, dead-letter and retry headers. */

export const RETRY_COUNT_HEADER = 'x-retry-count';
export const DEATH_REASON_HEADER = 'x-death-reason';
export const ORIGINAL_QUEUE_HEADER = 'x-original-queue';
export const FAILED_AT_HEADER = 'x-failed-at';
export const TRACE_ID_HEADER = 'trace_id';

/** Longest reason text put in a header; the broker accepts more but nobody reads a 10 MB header. */
const MAX_REASON_LENGTH = 4_000;

export type Headers = Record<string, unknown>;

/** The dead-letter queue that belongs to a consumed queue. */
export function deadLetterQueueFor(queue: string): string {
  return `${queue}.dlq`;
}

function headerText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (Buffer.isBuffer(value)) return value.length > 0 ? value.toString('utf8') : undefined;
  return undefined;
}

/** Trace id of a message: `trace_id` in the body first, then the `trace_id` / `x-trace-id` header. */
export function traceIdOf(body: unknown, headers: Headers | undefined): string | undefined {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const fromBody = (body as Record<string, unknown>)['trace_id'];
    if (typeof fromBody === 'string' && fromBody.length > 0) return fromBody;
  }
  if (!headers) return undefined;
  return headerText(headers[TRACE_ID_HEADER]) ?? headerText(headers['x-trace-id']);
}

/** How many times the message was already retried (0 for a first delivery or a garbled header). */
export function retryCountOf(headers: Headers | undefined): number {
  const raw = headers?.[RETRY_COUNT_HEADER];
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'bigint') n = Number(raw);
  else if (typeof raw === 'string' && /^\d+$/.test(raw.trim())) n = Number(raw.trim());
  else return 0;
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

export interface DeadLetterInfo {
  reason: string;
  queue: string;
  traceId: string;
  failedAt: Date;
}

/** Original headers plus why, where from and when the message was dead-lettered. */
export function deadLetterHeaders(original: Headers | undefined, info: DeadLetterInfo): Headers {
  return {
    ...(original ?? {}),
    [DEATH_REASON_HEADER]: truncate(info.reason, MAX_REASON_LENGTH),
    [ORIGINAL_QUEUE_HEADER]: info.queue,
    [FAILED_AT_HEADER]: info.failedAt.toISOString(),
    [TRACE_ID_HEADER]: info.traceId,
  };
}

/** Original headers with the retry counter set, for the copy republished after a failed attempt. */
export function retryHeaders(original: Headers | undefined, retryCount: number, traceId: string): Headers {
  return { ...(original ?? {}), [RETRY_COUNT_HEADER]: retryCount, [TRACE_ID_HEADER]: traceId };
}

/** The message body as text for a log line, cut at maxBytes so one huge poison message cannot flood the log. */
export function bodyForLog(content: Buffer, maxBytes: number): { body: string; body_bytes: number; body_truncated?: true } {
  if (content.length <= maxBytes) return { body: content.toString('utf8'), body_bytes: content.length };
  return { body: content.subarray(0, maxBytes).toString('utf8'), body_bytes: content.length, body_truncated: true };
}
