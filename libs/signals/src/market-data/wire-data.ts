import { ContractValidationError, FieldProblem } from '../validation/contract-validation.error';
import { validatePlain } from '../validation/parse';
import { isObject, WireFrame } from './bybit-wire';

/**
 * The frame's `data` object validated against the wire class `cls`; its problems are added to `problems` and
 * also returned. Data that is not an object ends the message: ContractValidationError for `contract` with the
 * problems so far.
 */
export function validateWireData<T extends object>(
  frame: WireFrame,
  cls: new () => T,
  contract: string,
  problems: FieldProblem[],
): { data: T; dataProblems: FieldProblem[] } {
  if (!isObject(frame.data)) {
    if (frame.data != null) problems.push({ field: frame.dataPath, problems: ['must be an object'] });
    throw new ContractValidationError(contract, problems);
  }
  const { instance, problems: dataProblems } = validatePlain(cls, frame.data, frame.dataPath);
  problems.push(...dataProblems);
  return { data: instance, dataProblems };
}
