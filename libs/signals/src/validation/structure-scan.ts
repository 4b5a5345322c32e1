import { FieldProblem } from './contract-validation.error';
import { describeValue, LIMITS } from './limits';

/** Keys that could change an object's prototype when copied; never legitimate in a message. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_REPORTED = 50;

export interface ScanResult {
  problems: FieldProblem[];
  /** True when the value must not be handed to class-transformer/validators at all (too deep, too big, cyclic, non-JSON). */
  fatal: boolean;
}

export function joinPath(parent: string, key: string | number): string {
  if (typeof key === 'number' || /^\d+$/.test(key)) return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

/**
 * Walks a decoded message once and reports what no contract may contain, wherever it is: strings over
 * MAX_STRING_LENGTH, NaN/±Infinity, objects nested more than MAX_NESTING_DEPTH levels below a top-level
 * field, oversized arrays/objects, cycles, prototype keys and non-JSON values (functions, bigints, symbols).
 */
export function scanStructure(root: Record<string, unknown>): ScanResult {
  const problems: FieldProblem[] = [];
  let fatal = false;
  const ancestors = new Set<object>([root]);
  // Path segments of the value being visited; joined only when something is reported.
  const segments: (string | number)[] = [];
  const here = (): string => segments.reduce<string>((path, key) => joinPath(path, key), '');

  const report = (field: string, problem: string, isFatal: boolean): void => {
    fatal ||= isFatal;
    if (problems.length < MAX_REPORTED) problems.push({ field: field || '(body)', problems: [problem] });
  };

  const visit = (value: unknown, level: number): void => {
    switch (typeof value) {
      case 'string':
        if (value.length > LIMITS.MAX_STRING_LENGTH) {
          report(here(), `string of ${value.length} characters is longer than the ${LIMITS.MAX_STRING_LENGTH} allowed`, true);
        }
        return;
      case 'number':
        if (!Number.isFinite(value)) report(here(), `must be a finite number, got ${describeValue(value)}`, false);
        return;
      case 'boolean':
      case 'undefined':
        return;
      case 'object':
        if (value === null) return;
        break;
      default:
        report(here(), `is not a JSON value (${typeof value})`, true);
        return;
    }
    if (level > LIMITS.MAX_NESTING_DEPTH) {
      report(here(), `is nested deeper than ${LIMITS.MAX_NESTING_DEPTH} levels`, true);
      return;
    }
    if (ancestors.has(value)) {
      report(here(), 'is a circular reference', true);
      return;
    }
    ancestors.add(value);
    if (Array.isArray(value)) {
      if (value.length > LIMITS.MAX_ARRAY_LENGTH) {
        report(here(), `has ${value.length} entries, more than the ${LIMITS.MAX_ARRAY_LENGTH} allowed`, true);
      } else {
        for (let i = 0; i < value.length; i++) {
          segments.push(i);
          visit(value[i], level + 1);
          segments.pop();
        }
      }
    } else {
      visitObject(value as Record<string, unknown>, level);
    }
    ancestors.delete(value);
  };

  const visitObject = (obj: Record<string, unknown>, level: number): void => {
    const keys = Object.keys(obj);
    if (keys.length > LIMITS.MAX_OBJECT_KEYS) {
      report(here(), `has ${keys.length} keys, more than the ${LIMITS.MAX_OBJECT_KEYS} allowed`, true);
      return;
    }
    for (const key of keys) {
      if (key.length > 256) {
        report(here(), `has a key of ${key.length} characters, more than the 256 allowed`, true);
        continue;
      }
      segments.push(key);
      if (FORBIDDEN_KEYS.has(key)) report(here(), 'is a forbidden key', true);
      else visit(obj[key], level + 1);
      segments.pop();
    }
  };

  visitObject(root, 0);
  return { problems, fatal };
}
