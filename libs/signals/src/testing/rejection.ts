import { ContractValidationError } from '../validation/contract-validation.error';
import { parse } from '../validation/parse';

/**
 * Parses `raw` as `cls` and returns the ContractValidationError it must raise; throws (failing the
 * calling test) if parsing succeeds or fails with anything else. `rejectionOf(X, body).fieldNames`.
 */
export function rejectionOf(cls: new () => object, raw: unknown): ContractValidationError {
  let value: unknown;
  try {
    value = parse(cls, raw);
  } catch (e) {
    if (e instanceof ContractValidationError) return e;
    throw new Error(`${cls.name}: expected ContractValidationError, got ${String(e)}`);
  }
  throw new Error(`${cls.name}: expected a rejection, but parsed ${JSON.stringify(value).slice(0, 300)}`);
}

/** An object nested `levels` deep: `{ a: { a: ... { a: 1 } } }` with `levels` objects. */
export function nestedObject(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = { a: 1 };
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}
