import { DEATH_REASON_HEADER, FAILED_AT_HEADER, ORIGINAL_QUEUE_HEADER, RETRY_COUNT_HEADER, TRACE_ID_HEADER } from '../message-headers';

/**
 * What an operator needs to know about one message in a dead-letter queue, whichever way it got there:
 * - our republish (the consumer copied it with `x-death-reason`, `x-original-queue`, `x-failed-at`, `trace_id`);
 * - the broker's dead-lettering (a `nack(requeue=false)` into the queue's dead-letter exchange, or an
 *   expiry / length limit), which adds `x-death` entries and `x-first-death-*` headers instead.
 */
export interface DeadLetterRecord {
  /** The queue the message failed on (where a redrive sends it back), or null when neither header says. */
  originalQueue: string | null;
  reason: string;
  /** ISO 8601, or null when unknown. */
  failedAt: string | null;
  traceId: string | null;
  via: 'republish' | 'broker' | 'unknown';
  /** Retries made before it was dead-lettered (our `x-retry-count`), 0 when none. */
  retryCount: number;
  /** Times the broker dead-lettered it from its original queue (x-death count), 0 for our republish. */
  deathCount: number;
}

/** Headers a redrive drops: our dead-letter and retry bookkeeping and the broker's death records. */
const DEAD_LETTER_HEADERS = new Set([DEATH_REASON_HEADER, ORIGINAL_QUEUE_HEADER, FAILED_AT_HEADER, RETRY_COUNT_HEADER, 'x-death']);
const TRACE_ID = /^[\x21-\x7e]{1,128}$/;
const MAX_TEXT = 512;

type Headers = Record<string, unknown>;

function text(value: unknown, max = MAX_TEXT): string | null {
  let s: string | null = null;
  if (typeof value === 'string') s = value;
  else if (Buffer.isBuffer(value)) s = value.toString('utf8');
  if (s === null || s.length === 0) return null;
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function count(value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** AMQP timestamps arrive as seconds (a number), a Date, or amqplib's typed value `{ '!': 'timestamp', value }`. */
function isoTime(value: unknown): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value !== null && typeof value === 'object' && 'value' in value) return isoTime((value as { value: unknown }).value);
  const seconds = count(value);
  return seconds > 0 ? new Date(seconds * 1000).toISOString() : null;
}

function traceIdOfBody(body: Buffer): string | null {
  if (body.length > 1024 * 1024) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    const id = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)['trace_id'] : undefined;
    return typeof id === 'string' && TRACE_ID.test(id) ? id : null;
  } catch {
    return null;
  }
}

function headerTraceId(headers: Headers): string | null {
  for (const key of [TRACE_ID_HEADER, 'x-trace-id']) {
    const id = text(headers[key], 129);
    if (id !== null && TRACE_ID.test(id)) return id;
  }
  return null;
}

/** The broker's death records (x-death: newest first, one entry per queue and reason with a count). */
function deathsOf(headers: Headers): Headers[] {
  const deaths = headers['x-death'];
  return Array.isArray(deaths) ? deaths.filter((d): d is Headers => d !== null && typeof d === 'object') : [];
}

export function describeDeadLetter(headersIn: Headers | undefined, body: Buffer): DeadLetterRecord {
  const headers = headersIn ?? {};
  const traceId = headerTraceId(headers) ?? traceIdOfBody(body);
  const retryCount = count(headers[RETRY_COUNT_HEADER]);
  const ours = text(headers[ORIGINAL_QUEUE_HEADER], 255);
  if (ours !== null || headers[DEATH_REASON_HEADER] !== undefined) {
    return {
      originalQueue: ours,
      reason: text(headers[DEATH_REASON_HEADER]) ?? 'unknown',
      failedAt: text(headers[FAILED_AT_HEADER], 64),
      traceId,
      via: 'republish',
      retryCount,
      deathCount: 0,
    };
  }
  // Broker dead-lettering: x-first-death-* name the original queue; the oldest x-death entry says the same.
  const deaths = deathsOf(headers);
  const oldest = deaths[deaths.length - 1];
  const queue = text(headers['x-first-death-queue'], 255) ?? text(oldest?.['queue'], 255);
  if (queue !== null || oldest !== undefined) {
    const why = text(headers['x-first-death-reason'], 64) ?? text(oldest?.['reason'], 64) ?? 'unknown';
    const deathCount = deaths.reduce((n, d) => n + count(d['count']), 0);
    return {
      originalQueue: queue,
      reason: `dead-lettered by the broker (${why})`,
      failedAt: isoTime(deaths[0]?.['time']),
      traceId,
      via: 'broker',
      retryCount,
      deathCount,
    };
  }
  return { originalQueue: null, reason: 'unknown', failedAt: null, traceId, via: 'unknown', retryCount, deathCount: 0 };
}

/**
 * Headers for a message sent back to its original queue: the original ones, without our dead-letter and
 * retry bookkeeping and without the broker's death records, so the consumer counts its retries from zero.
 */
export function redriveHeaders(headers: Headers | undefined): Headers {
  const out: Headers = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (DEAD_LETTER_HEADERS.has(key) || key.startsWith('x-first-death-') || key.startsWith('x-last-death-')) continue;
    out[key] = value;
  }
  return out;
}
