import { FieldProblem } from '../validation/contract-validation.error';
import { CheckField, NumberBounds, numberProblem, Presence } from '../validation/field-rules';
import { describeValue } from '../validation/limits';
import { joinPath } from '../validation/structure-scan';
import { parseIsoTimestamp } from '../validation/timestamp';

/**
 * Bybit v5 public-stream messages (`tickers.{symbol}`, `orderbook.{depth}.{symbol}`, `kline.{interval}.{symbol}`)
 * arrive bare (`{ topic, type, ts, data }`) or inside the ws-gateway envelope
 * (`{ event_type, topic, payload | data, timestamp?, received_at }`) where the payload is either the whole
 * Bybit message or one item of its `data` (the gateway adds `topic` to it). This file finds topic, data and
 * time in any of those shapes; the Normalized* classes turn them into numbers.
 */

const DECIMAL = /^-?\d{1,40}(\.\d{1,40})?([eE][+-]?\d{1,3})?$/;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A Bybit number: a decimal string ("16493.50") or a JS number; "" counts as absent. undefined when absent/invalid. */
export function decimalValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && DECIMAL.test(v)) return Number(v);
  return undefined;
}

export function decimalProblem(v: unknown, bounds: NumberBounds): string | null {
  if (typeof v === 'string' && !DECIMAL.test(v)) return `must be a decimal number, got ${describeValue(v)}`;
  if (typeof v !== 'string' && typeof v !== 'number') return `must be a decimal number, got ${describeValue(v)}`;
  return numberProblem(Number(v), bounds);
}

/** A Bybit numeric field: decimal string or number within bounds; an empty string counts as absent when optional. */
export function DecimalField(bounds: NumberBounds & Presence = {}): PropertyDecorator {
  return CheckField('decimal', (v) => (v === '' && bounds.optional ? null : decimalProblem(v, bounds)), bounds);
}

/** Epoch milliseconds as a non-negative integer (number or digit string). */
export function epochMsValue(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d{1,16}$/.test(v)) return Number(v);
  return undefined;
}

/** A non-negative integer (number or digit string): epoch ms by default, or update ids / sequence numbers. */
export function EpochMsField(p: Presence & { what?: string } = {}): PropertyDecorator {
  const what = p.what ?? 'epoch milliseconds';
  return CheckField('nonNegativeInteger', (v) => (epochMsValue(v) === undefined ? `must be ${what}, got ${describeValue(v)}` : null), p);
}

/** Epoch ms or ISO 8601 (the gateway writes ISO strings, Bybit writes ms). */
function instantValue(v: unknown): number | undefined {
  if (typeof v === 'string' && !/^\d+$/.test(v)) return parseIsoTimestamp(v) ?? undefined;
  return epochMsValue(v);
}

/** Where the parts of one market-data message are, whatever its wrapping. */
export interface WireFrame {
  topic: unknown;
  topicPath: string;
  /** Bybit's `type` (snapshot | delta) when the message carries it. */
  type: unknown;
  typePath: string;
  data: unknown;
  dataPath: string;
  /** Message time in epoch ms (Bybit `ts`, else the envelope's `timestamp` or `received_at`). */
  ts: number | undefined;
  problems: FieldProblem[];
}

export function unwrapMarketMessage(body: Record<string, unknown>): WireFrame {
  const problems: FieldProblem[] = [];
  let container = body;
  let prefix = '';
  let dataKey = body['payload'] !== undefined ? 'payload' : 'data';
  let data = body[dataKey];
  if (isObject(data) && typeof data['topic'] === 'string' && data['data'] !== undefined) {
    container = data;
    prefix = dataKey;
    dataKey = 'data';
    data = data['data'];
  }
  const dataPath = joinPath(prefix, dataKey);
  if (data === undefined || data === null) {
    problems.push({ field: dataPath, problems: ['is required (Bybit `data` or the gateway envelope `payload`)'] });
  }

  const candidates: [unknown, string][] = [
    [container['topic'], joinPath(prefix, 'topic')],
    [isObject(data) ? data['topic'] : undefined, joinPath(dataPath, 'topic')],
    [body['topic'], 'topic'],
  ];
  const [topic, topicPath] = candidates.find(([v]) => v !== undefined) ?? [undefined, 'topic'];
  const typeCandidates: [unknown, string][] = [
    [container['type'], joinPath(prefix, 'type')],
    [isObject(data) ? data['type'] : undefined, joinPath(dataPath, 'type')],
    [body['type'], 'type'],
  ];
  const [type, typePath] = typeCandidates.find(([v]) => v !== undefined) ?? [undefined, 'type'];

  if (body['event_type'] !== undefined && (typeof body['event_type'] !== 'string' || body['event_type'].length > 64)) {
    problems.push({ field: 'event_type', problems: [`must be a string of at most 64 characters, got ${describeValue(body['event_type'])}`] });
  }
  let ts: number | undefined;
  const timeFields: [unknown, string][] = [
    [container['ts'], joinPath(prefix, 'ts')],
    [body['timestamp'], 'timestamp'],
    [body['received_at'], 'received_at'],
  ];
  for (const [value, path] of timeFields) {
    if (value === undefined || value === null) continue;
    const ms = instantValue(value);
    if (ms === undefined) problems.push({ field: path, problems: [`must be epoch milliseconds or an ISO 8601 date-time, got ${describeValue(value)}`] });
    else ts ??= ms;
  }
  return { topic, topicPath, type, typePath, data, dataPath, ts, problems };
}

/** Checks the topic against `pattern` and returns its capture groups (or undefined, recording a problem). */
export function matchTopic(frame: WireFrame, pattern: RegExp, shape: string, problems: FieldProblem[]): RegExpExecArray | undefined {
  const m = typeof frame.topic === 'string' ? pattern.exec(frame.topic) : null;
  if (!m) {
    const problem = frame.topic === undefined ? `is required (${shape})` : `must be ${shape}, got ${describeValue(frame.topic)}`;
    problems.push({ field: frame.topicPath, problems: [problem] });
    return undefined;
  }
  return m;
}

/** Drops undefined values so the normalized object serialises without them. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/** True for a body that is already a normalized market-data object (republished on our market_data exchange). */
export function isNormalizedShape(body: Record<string, unknown>): boolean {
  return typeof body['asset'] === 'string' && body['topic'] === undefined && body['payload'] === undefined && body['data'] === undefined;
}
