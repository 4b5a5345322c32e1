import { LIMITS, scanStructure } from '@model-service/signals';
import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';

/** A class with class-validator decorators describing a message. */
export type MessageSchema = new () => object;

/** Turns the raw body into the handler's message or throws; a thrown error's `fields` (if any) name the bad fields. */
/** Turns a message body into a value: called with the body's parsed JSON (a Buffer only when called directly). */
export type MessageParser<T = unknown> = (raw: unknown) => T | Promise<T>;

export type DecodeResult<T> =
  | { ok: true; value: T; parsed: unknown }
  | { ok: false; reason: string; parsed: unknown };

export interface DecodeOptions<T> {
  schema?: MessageSchema;
  parse?: MessageParser<T>;
  /** Bodies larger than this are refused before JSON.parse (default: the contracts' LIMITS.MAX_BODY_BYTES). */
  maxBodyBytes?: number;
}

function tooLarge(content: Buffer, maxBodyBytes: number): DecodeResult<never> | undefined {
  if (content.length <= maxBodyBytes) return undefined;
  return { ok: false, reason: `body is ${content.length} bytes, more than the ${maxBodyBytes} allowed`, parsed: undefined };
}

/** Shape limits every contract shares (depth, string length, __proto__, ...), for bodies decoded without signals' parse. */
function shapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const root = Array.isArray(value) ? { '(array)': value } : (value as Record<string, unknown>);
  const scan = scanStructure(root);
  if (scan.problems.length === 0) return undefined;
  return scan.problems
    .slice(0, 5)
    .map((p) => `${p.field}: ${p.problems.join(', ')}`)
    .join('; ');
}

/** class-validator errors as `path: rule, rule` lines, nested properties joined with dots. */
export function formatValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.values(error.constraints ?? {});
    if (constraints.length > 0) lines.push(`${path}: ${constraints.join(', ')}`);
    const children = error.children ?? [];
    if (children.length > 0) lines.push(...formatValidationErrors(children, path));
    else if (constraints.length === 0) lines.push(`${path}: invalid`);
  }
  return lines;
}

function describeField(item: unknown): string {
  if (typeof item === 'string') return item;
  if (item !== null && typeof item === 'object') {
    const rec = item as Record<string, unknown>;
    const name = rec['field'] ?? rec['property'] ?? rec['path'];
    const detail = rec['message'] ?? rec['reason'] ?? rec['constraints'] ?? rec['errors'];
    if (typeof name === 'string') {
      const text = Array.isArray(detail) ? detail.join(', ') : typeof detail === 'object' && detail ? Object.values(detail).join(', ') : detail;
      return text === undefined ? name : `${name}: ${String(text)}`;
    }
  }
  return JSON.stringify(item);
}

/** Reason text for an error thrown by a parser: its message plus each listed bad field. */
export function describeParseFailure(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const fields = err !== null && typeof err === 'object' ? (err as { fields?: unknown }).fields : undefined;
  if (Array.isArray(fields) && fields.length > 0) {
    const listed = fields.map(describeField).join('; ');
    return message && !message.includes(listed) ? `${message} [${listed}]` : listed;
  }
  if (fields && typeof fields === 'object') {
    const listed = Object.entries(fields as Record<string, unknown>).map(([k, v]) => `${k}: ${describeField(v)}`);
    if (listed.length > 0) return `${message} [${listed.join('; ')}]`;
  }
  return message || 'invalid message';
}

function tryJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * The synchronous part of decoding: not empty, not over the size limit, valid JSON. Enough when there is no
 * schema or parser (the handler then checks the shape itself).
 */
export function decodeJson(content: Buffer, maxBodyBytes: number = LIMITS.MAX_BODY_BYTES): DecodeResult<unknown> {
  if (content.length === 0) return { ok: false, reason: 'empty body', parsed: undefined };
  const big = tooLarge(content, maxBodyBytes);
  if (big) return big;
  const text = content.toString('utf8');
  const json = tryJson(text);
  if (json.ok) return { ok: true, value: json.value, parsed: json.value };
  if (text.trim().length === 0) return { ok: false, reason: 'empty body', parsed: undefined };
  return { ok: false, reason: `body is not valid JSON: ${json.error}`, parsed: undefined };
}

/**
 * Decodes a message body: not empty, JSON, then the parser or the class-validator schema.
 * `parsed` is the JSON value when the body was JSON (used for the trace id of an invalid message).
 */
export async function decodeMessage<T>(content: Buffer, options: DecodeOptions<T> = {}): Promise<DecodeResult<T>> {
  const maxBodyBytes = options.maxBodyBytes ?? LIMITS.MAX_BODY_BYTES;
  const json = decodeJson(content, maxBodyBytes);
  if (options.parse) {
    if (!json.ok) return json as DecodeResult<T>;
    // The parser gets the parsed JSON (it accepts a value as well as a Buffer), so the body is parsed once and
    // `parsed` keeps the body's own fields, e.g. the trace_id a normalizer would otherwise drop.
    try {
      return { ok: true, value: await options.parse(json.value), parsed: json.value };
    } catch (err) {
      return { ok: false, reason: describeParseFailure(err), parsed: json.value };
    }
  }
  if (!json.ok || !options.schema) return json as DecodeResult<T>;
  const parsed = json.value;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, reason: 'body must be a JSON object', parsed };
  }
  // Before class-transformer sees it: a __proto__ key, deep nesting or a huge string is refused unread.
  const shape = shapeProblem(parsed);
  if (shape) return { ok: false, reason: `invalid shape: ${shape}`, parsed };
  let errors: ValidationError[];
  let instance: object;
  try {
    instance = plainToInstance(options.schema, parsed as Record<string, unknown>);
    errors = await validate(instance, { forbidUnknownValues: true, validationError: { target: false, value: false } });
  } catch (err) {
    return { ok: false, reason: `validation failed: ${err instanceof Error ? err.message : String(err)}`, parsed };
  }
  if (errors.length > 0) {
    return { ok: false, reason: `invalid fields: ${formatValidationErrors(errors).join('; ')}`, parsed };
  }
  return { ok: true, value: instance as T, parsed };
}
