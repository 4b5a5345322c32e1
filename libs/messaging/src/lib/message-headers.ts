/** Pure helpers for AMQP header handling: trace ids, retry counts, dead-letter and retry headers. */

export const RETRY_COUNT_HEADER = 'x-retry-count';
export const DEATH_REASON_HEADER = 'x-death-reason';
export const ORIGINAL_QUEUE_HEADER = 'x-original-queue';
export const FAILED_AT_HEADER = 'x-failed-at';
export const TRACE_ID_HEADER = 'trace_id';

/** Longest reason text put in a header: headers share one 64 KiB frame budget in amqplib, and nobody reads more. */
export const MAX_REASON_LENGTH = 512;
/** A trace id is accepted from a body or header only as 1–128 printable ASCII characters (no spaces). */
const TRACE_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
/**
 * Original headers copied onto a dead-letter or retry copy: at most this many, each value at most this big,
 * all together well inside amqplib's 64 KiB header encoding buffer (a header table over it throws at publish).
 */
const MAX_COPIED_HEADERS = 64;
const MAX_COPIED_HEADER_CHARS = 1_024;
const MAX_COPIED_HEADERS_TOTAL = 16 * 1_024;
/** Set afresh on every copy, never copied from the original. */
const OWN_HEADERS = new Set([DEATH_REASON_HEADER, ORIGINAL_QUEUE_HEADER, FAILED_AT_HEADER, TRACE_ID_HEADER]);

export type Headers = Record<string, unknown>;

/** True for a usable trace id: a string of 1–128 printable ASCII characters. */
export function isValidTraceId(value: unknown): value is string {
  return typeof value === 'string' && TRACE_ID_PATTERN.test(value);
}

function headerTraceId(value: unknown): string | undefined {
  if (isValidTraceId(value)) return value;
  if (Buffer.isBuffer(value) && value.length <= 128) {
    const text = value.toString('latin1');
    return isValidTraceId(text) ? text : undefined;
  }
  return undefined;
}

/**
 * Trace id of a message: `trace_id` in the body first, then the `trace_id` / `x-trace-id` header; only a
 * valid one (isValidTraceId) is taken, so a hostile value is never copied into headers or logs.
 */
export function traceIdOf(body: unknown, headers: Headers | undefined): string | undefined {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const fromBody = (body as Record<string, unknown>)['trace_id'];
    if (isValidTraceId(fromBody)) return fromBody;
  }
  if (!headers) return undefined;
  return headerTraceId(headers[TRACE_ID_HEADER]) ?? headerTraceId(headers['x-trace-id']);
}

/** Rough encoded size of a header value; Infinity for what we do not copy (deep or odd values). */
function headerSize(value: unknown, depth = 0): number {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return 8;
  if (typeof value === 'string') return value.length;
  if (Buffer.isBuffer(value)) return value.length;
  if (value instanceof Date) return 8;
  if (depth > 4 || typeof value !== 'object') return Infinity;
  let size = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    size += k.length + headerSize(v, depth + 1);
    if (size > MAX_COPIED_HEADER_CHARS) return Infinity;
  }
  return size;
}

/**
 * The original headers worth carrying onto a copy: at most MAX_COPIED_HEADERS, each small, none of ours
 * (they are set afresh). A neighbour's oversized header would otherwise make every republish fail.
 */
export function copyableHeaders(original: Headers | undefined): Headers {
  const out: Headers = {};
  if (!original) return out;
  let n = 0;
  let total = 0;
  for (const [key, value] of Object.entries(original)) {
    if (n >= MAX_COPIED_HEADERS) break;
    if (key.length > 128 || key === '__proto__' || OWN_HEADERS.has(key)) continue;
    const size = key.length + headerSize(value);
    if (size > MAX_COPIED_HEADER_CHARS + 128 || total + size > MAX_COPIED_HEADERS_TOTAL) continue;
    out[key] = value;
    total += size;
    n++;
  }
  return out;
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

/**
 * Small original headers plus why, where from and when the message was dead-lettered. With
 * `minimal`, only our four headers (the fallback when a publish with the copied ones failed).
 */
export function deadLetterHeaders(original: Headers | undefined, info: DeadLetterInfo, minimal = false): Headers {
  return {
    ...(minimal ? {} : copyableHeaders(original)),
    [DEATH_REASON_HEADER]: truncate(info.reason, MAX_REASON_LENGTH),
    [ORIGINAL_QUEUE_HEADER]: truncate(info.queue, 256),
    [FAILED_AT_HEADER]: info.failedAt.toISOString(),
    [TRACE_ID_HEADER]: isValidTraceId(info.traceId) ? info.traceId : 'invalid',
  };
}

/** Small original headers with the retry counter set, for the copy republished after a failed attempt. */
export function retryHeaders(original: Headers | undefined, retryCount: number, traceId: string): Headers {
  return { ...copyableHeaders(original), [RETRY_COUNT_HEADER]: retryCount, [TRACE_ID_HEADER]: traceId };
}

/** The message body as text for a log line, cut at maxBytes so one huge poison message cannot flood the log. */
export function bodyForLog(content: Buffer, maxBytes: number): { body: string; body_bytes: number; body_truncated?: true } {
  if (content.length <= maxBytes) return { body: content.toString('utf8'), body_bytes: content.length };
  return { body: content.subarray(0, maxBytes).toString('utf8'), body_bytes: content.length, body_truncated: true };
}
