import { fieldsOf } from './contract-registry';
import { BODY_FIELD, ContractValidationError, FieldProblem } from './contract-validation.error';
import { describeValue, LIMITS } from './limits';
import { joinPath, scanStructure } from './structure-scan';

/**
 * A contract class may turn a foreign wire shape into its own before validation (the market-data
 * classes turn Bybit payloads into normalized objects). It throws ContractValidationError itself.
 */
export interface WireNormalizing {
  fromWire(body: Record<string, unknown>): Record<string, unknown>;
}

function hasFromWire(cls: object): cls is WireNormalizing {
  return typeof (cls as Partial<WireNormalizing>).fromWire === 'function';
}

function bodyError(contract: string, problem: string): ContractValidationError {
  return new ContractValidationError(contract, [{ field: BODY_FIELD, problems: [problem] }]);
}

/** Buffer | string (JSON) | already-parsed value -> a plain object, or ContractValidationError on the body. */
export function decodeBody(raw: unknown, contract: string): Record<string, unknown> {
  if (raw === undefined || raw === null) throw bodyError(contract, 'body is empty');
  let value: unknown = raw;
  if (raw instanceof Uint8Array) {
    if (raw.byteLength > LIMITS.MAX_BODY_BYTES) {
      throw bodyError(contract, `body is ${raw.byteLength} bytes, more than the ${LIMITS.MAX_BODY_BYTES} allowed`);
    }
    value = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  } else if (typeof raw === 'string') {
    const bytes = raw.length > LIMITS.MAX_BODY_BYTES ? raw.length : Buffer.byteLength(raw, 'utf8');
    if (bytes > LIMITS.MAX_BODY_BYTES) {
      throw bodyError(contract, `body is ${bytes} bytes or more, more than the ${LIMITS.MAX_BODY_BYTES} allowed`);
    }
  }
  if (typeof value === 'string') {
    const text = value.charCodeAt(0) === 0xfeff ? value.slice(1) : value;
    if (text.trim() === '') throw bodyError(contract, 'body is empty');
    try {
      value = JSON.parse(text);
    } catch (e) {
      const reason = e instanceof Error ? e.message.slice(0, 160) : 'unparseable';
      throw bodyError(contract, `body is not valid JSON (${reason})`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw bodyError(contract, `body must be a JSON object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

function isPlainValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const UNKNOWN_NESTED = 'is not a known field; unknown fields here may only hold a number, string, boolean or null';

/**
 * Builds an instance of `cls` from a plain object and checks every registered field rule, recursing into
 * nested contract objects. Unknown fields are copied as they are: welcome at the top level (forward
 * compatibility), but inside a nested contract object (market_data_snapshot, performance, ...) they may only
 * hold scalars.
 */
function build(cls: new () => object, plain: Record<string, unknown>, path: string, problems: FieldProblem[], isRoot: boolean): object {
  const instance = new cls() as Record<string, unknown>;
  const fields = fieldsOf(cls);
  for (const key of Object.keys(plain)) if (key !== '__proto__') instance[key] = plain[key];
  for (const spec of fields) {
    const fieldPath = joinPath(path, spec.property);
    let value = instance[spec.property];
    if (spec.transform && value !== undefined) instance[spec.property] = value = spec.transform(value);
    let failed = false;
    for (const check of spec.checks) {
      const problem = check(value, instance);
      if (problem !== null) {
        problems.push({ field: fieldPath, problems: [problem] });
        failed = true;
      }
    }
    if (failed || !spec.nested || value === undefined || value === null) continue;
    const nestedCls = spec.nested.cls();
    if (spec.nested.array && Array.isArray(value)) {
      instance[spec.property] = value.map((item: unknown, i) => (isPlainValue(item) ? build(nestedCls, item, joinPath(fieldPath, i), problems, false) : item));
    } else if (isPlainValue(value)) {
      instance[spec.property] = build(nestedCls, value, fieldPath, problems, false);
    }
  }
  if (!isRoot) {
    const declared = new Set(fields.map((f) => f.property));
    for (const key of Object.keys(plain)) {
      if (!declared.has(key) && typeof plain[key] === 'object' && plain[key] !== null) {
        problems.push({ field: joinPath(path, key), problems: [UNKNOWN_NESTED] });
      }
    }
  }
  return instance;
}

/** Builds and validates an instance from a plain object; returns it with its problems, paths prefixed. */
export function validatePlain<T extends object>(cls: new () => T, plain: Record<string, unknown>, prefix = ''): { instance: T; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const instance = build(cls, plain, prefix, problems, true) as T;
  return { instance, problems };
}

/**
 * Decodes and validates one message. `raw` may be a Buffer or string holding JSON, or an already-parsed
 * object. Returns an instance of `cls` whose JSON form is the message (unknown top-level fields kept);
 * throws ContractValidationError naming every bad field (`(body)` for an empty, oversized or non-JSON body).
 */
export function parse<T extends object>(cls: new () => T, raw: Buffer | string | unknown): T {
  const contract = cls.name;
  const body = decodeBody(raw, contract);
  const scan = scanStructure(body);
  if (scan.fatal) throw new ContractValidationError(contract, scan.problems);
  let plain = body;
  if (hasFromWire(cls)) {
    try {
      plain = cls.fromWire(body);
    } catch (e) {
      if (e instanceof ContractValidationError) throw new ContractValidationError(contract, [...scan.problems, ...e.fields]);
      throw e;
    }
  }
  const { instance, problems } = validatePlain(cls, plain);
  const all = [...scan.problems, ...problems];
  if (all.length > 0) throw new ContractValidationError(contract, all);
  return instance;
}

/** Like parse() but returns the error instead of throwing: `{ ok: true, value }` or `{ ok: false, error }`. */
export function safeParse<T extends object>(
  cls: new () => T,
  raw: Buffer | string | unknown,
): { ok: true; value: T } | { ok: false; error: ContractValidationError } {
  try {
    return { ok: true, value: parse(cls, raw) };
  } catch (e) {
    if (e instanceof ContractValidationError) return { ok: false, error: e };
    throw e;
  }
}
