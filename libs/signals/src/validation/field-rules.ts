import { Transform, Type } from 'class-transformer';
import { isUUID, IsOptional, ValidateBy, ValidateNested, ValidationArguments } from 'class-validator';

import { Check, registerCheck, registerNested, registerTransform } from './contract-registry';
import { describeValue, LIMITS } from './limits';
import { parseIsoTimestamp } from './timestamp';

/**
 * Property decorators for contract fields. Each is a class-validator rule (so the classes also work with
 * `validate()` and Nest's ValidationPipe) that reports one precise problem: "is required", "must be > 0, got
 * number -1", ... parse() prefixes the field path.
 */

/** Whether a field may be missing (`optional`) or explicitly null (`nullable`). */
export interface Presence {
  optional?: boolean;
  nullable?: boolean;
}

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

function rule(name: string, check: Check, presence: Presence = {}): PropertyDecorator {
  const full: Check = (value, object) => {
    if (value === undefined) {
      if (presence.optional) return null;
      return presence.nullable ? 'is required (null is allowed)' : 'is required';
    }
    if (value === null) return presence.optional || presence.nullable ? null : 'must not be null';
    return check(value, object);
  };
  const classValidatorRule = ValidateBy({
    name,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => full(value, args?.object ?? {}) === null,
      // class-validator lists messages without paths, so name the property here (parse() adds full paths itself).
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'value'} ${full(args?.value, args?.object ?? {}) ?? 'is invalid'}`,
    },
  });
  return (target, key) => {
    classValidatorRule(target, key);
    registerCheck(target, key, full);
  };
}

/** Bounds for numeric fields; every number must also be finite. */
export interface NumberBounds {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  integer?: boolean;
}

/** The problem with a number, or null. Shared by the wire-format (decimal string) rules. */
export function numberProblem(v: unknown, b: NumberBounds): string | null {
  if (typeof v !== 'number') return `must be a number, got ${describeValue(v)}`;
  if (!Number.isFinite(v)) return `must be a finite number, got ${describeValue(v)}`;
  if (b.integer && !Number.isInteger(v)) return `must be an integer, got ${v}`;
  if (b.gt !== undefined && !(v > b.gt)) return `must be > ${b.gt}, got ${v}`;
  if (b.gte !== undefined && !(v >= b.gte)) return `must be >= ${b.gte}, got ${v}`;
  if (b.lt !== undefined && !(v < b.lt)) return `must be < ${b.lt}, got ${v}`;
  if (b.lte !== undefined && !(v <= b.lte)) return `must be <= ${b.lte}, got ${v}`;
  return null;
}

/** A finite JS number within bounds (NaN and ±Infinity are always rejected). */
export function NumberField(opts: NumberBounds & Presence = {}): PropertyDecorator {
  return rule('finiteNumber', (v) => numberProblem(v, opts), opts);
}

export interface StringRule extends Presence {
  max: number;
  min?: number;
  pattern?: RegExp;
  /** Shown instead of the raw pattern, e.g. "an upper-case symbol like BTCUSDT". */
  patternHint?: string;
}

export function stringProblem(v: unknown, r: StringRule): string | null {
  if (typeof v !== 'string') return `must be a string, got ${describeValue(v)}`;
  const min = r.min ?? 1;
  if (v.length < min) return min === 1 ? 'must not be empty' : `must be at least ${min} characters`;
  if (v.length > r.max) return `must be at most ${r.max} characters, got ${v.length}`;
  if (r.pattern && !r.pattern.test(v)) return `must be ${r.patternHint ?? `like ${r.pattern}`}, got ${describeValue(v)}`;
  return null;
}

export function StringField(r: StringRule): PropertyDecorator {
  return rule('boundedString', (v) => stringProblem(v, r), r);
}

export const ASSET_PATTERN = /^[A-Z0-9]{2,20}$/;
const OPAQUE_ID = /^[\x21-\x7e]+$/;

/** A trading pair such as BTCUSDT: 2-20 upper-case letters or digits. */
export function AssetField(p: Presence = {}): PropertyDecorator {
  return StringField({ ...p, max: 20, pattern: ASSET_PATTERN, patternHint: 'an upper-case symbol like BTCUSDT' });
}

/** An opaque identifier from another system: 1-128 printable ASCII characters, no spaces. */
export function IdField(p: Presence = {}): PropertyDecorator {
  return StringField({ ...p, max: LIMITS.MAX_ID_LENGTH, pattern: OPAQUE_ID, patternHint: 'printable ASCII without spaces' });
}

export function StrategyIdField(p: Presence = {}): PropertyDecorator {
  return StringField({ ...p, max: LIMITS.MAX_STRATEGY_ID_LENGTH });
}

export function UuidField(p: Presence = {}): PropertyDecorator {
  return rule(
    'uuid',
    (v) => (typeof v === 'string' && v.length <= 36 && isUUID(v) ? null : `must be a UUID, got ${describeValue(v)}`),
    p,
  );
}

/** An ISO 8601 date-time string (see parseIsoTimestamp). */
export function TimestampField(p: Presence = {}): PropertyDecorator {
  return rule(
    'isoTimestamp',
    (v) =>
      typeof v === 'string' && parseIsoTimestamp(v) !== null
        ? null
        : `must be an ISO 8601 date-time like 2026-01-01T12:00:00.000Z, got ${describeValue(v)}`,
    p,
  );
}

export function EnumField(values: readonly string[], p: Presence = {}): PropertyDecorator {
  return rule(
    'oneOf',
    (v) => (typeof v === 'string' && values.includes(v) ? null : `must be one of ${values.join(', ')}, got ${describeValue(v)}`),
    p,
  );
}

export function BooleanField(p: Presence = {}): PropertyDecorator {
  return rule('boolean', (v) => (typeof v === 'boolean' ? null : `must be true or false, got ${describeValue(v)}`), p);
}

function isObjectValue(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Free-form JSON object (metadata): an object, at most MAX_FREE_FORM_KEYS keys; depth and strings are bounded by parse(). */
export function FreeFormObjectField(p: Presence = {}): PropertyDecorator {
  return rule(
    'freeFormObject',
    (v) => {
      if (!isObjectValue(v)) return `must be an object, got ${describeValue(v)}`;
      const n = Object.keys(v).length;
      return n > LIMITS.MAX_FREE_FORM_KEYS ? `must have at most ${LIMITS.MAX_FREE_FORM_KEYS} keys, got ${n}` : null;
    },
    p,
  );
}

/** A flat map of names to finite numbers or null (technical indicators). */
export function NumberMapField(p: Presence = {}): PropertyDecorator {
  return rule(
    'numberMap',
    (v) => {
      if (!isObjectValue(v)) return `must be an object of numbers, got ${describeValue(v)}`;
      const entries = Object.entries(v);
      if (entries.length > LIMITS.MAX_FREE_FORM_KEYS) return `must have at most ${LIMITS.MAX_FREE_FORM_KEYS} keys, got ${entries.length}`;
      for (const [key, value] of entries) {
        if (key.length === 0 || key.length > 64) return `key ${describeValue(key)} must be 1-64 characters`;
        if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
          return `entry "${key}" must be a finite number or null, got ${describeValue(value)}`;
        }
      }
      return null;
    },
    p,
  );
}

/** A nested contract object, validated with its own class rules. */
export function NestedField(cls: () => new () => object, p: Presence = {}): PropertyDecorator {
  const shape = rule('object', (v) => (isObjectValue(v) ? null : `must be an object, got ${describeValue(v)}`), p);
  return compose(
    Type(cls),
    ValidateNested({ message: 'must be an object' }),
    ...(p.optional || p.nullable ? [IsOptional()] : []),
    shape,
    (target, key) => registerNested(target, key, { cls, array: false }),
  );
}

/** An array of nested contract objects. */
export function NestedArrayField(cls: () => new () => object, bounds: { min?: number; max: number }): PropertyDecorator {
  const min = bounds.min ?? 0;
  const shape = rule('objectArray', (v) => {
    if (!Array.isArray(v)) return `must be an array, got ${describeValue(v)}`;
    if (v.length < min) return `must have at least ${min} entries, got ${v.length}`;
    if (v.length > bounds.max) return `must have at most ${bounds.max} entries, got ${v.length}`;
    const bad = v.findIndex((item) => !isObjectValue(item));
    return bad >= 0 ? `entry [${bad}] must be an object, got ${describeValue(v[bad])}` : null;
  });
  return compose(
    Type(cls),
    ValidateNested({ each: true, message: 'must be an object' }),
    shape,
    (target, key) => registerNested(target, key, { cls, array: true }),
  );
}

/** Lower-cases a short string before validation ("Buy" -> "buy"); other values pass unchanged. */
export function LowerCase(): PropertyDecorator {
  const lower = (value: unknown): unknown => (typeof value === 'string' && value.length <= 32 ? value.toLowerCase() : value);
  return compose(
    Transform(({ value }) => lower(value)),
    (target, key) => registerTransform(target, key, lower),
  );
}

/**
 * The problem with price levels `[price, size][]`, or null: at most `max` levels, price > 0, size >= 0, each
 * number checked by `numberCheck` (numberProblem for JS numbers; the wire format passes its decimal-string check).
 */
export function levelsProblem(v: unknown, max: number, numberCheck: (v: unknown, b: NumberBounds) => string | null): string | null {
  if (!Array.isArray(v)) return `must be an array of [price, size], got ${describeValue(v)}`;
  if (v.length > max) return `must have at most ${max} levels, got ${v.length}`;
  for (let i = 0; i < v.length; i++) {
    const level: unknown = v[i];
    if (!Array.isArray(level) || level.length !== 2) return `level [${i}] must be [price, size], got ${describeValue(level)}`;
    const problem = numberCheck(level[0], { gt: 0 }) ?? numberCheck(level[1], { gte: 0 });
    if (problem) return `level [${i}] ${problem}`;
  }
  return null;
}

/** Price levels `[price, size][]` as JS numbers: price > 0, size >= 0. */
export function LevelsField(max: number): PropertyDecorator {
  return rule('priceLevels', (v) => levelsProblem(v, max, numberProblem));
}

/** Wrap an arbitrary check as a rule (for cross-field constraints). */
export function CheckField(name: string, check: Check, p: Presence = {}): PropertyDecorator {
  return rule(name, check, p);
}
