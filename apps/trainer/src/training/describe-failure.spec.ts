import { TrainingError } from '@model-service/ml';

import { describeFailure } from './training-orchestrator';

function errno(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(message), { code });
}

describe('describeFailure', () => {
  it.each<[string, unknown, string]>([
    ['NaN loss from the ml lib', new TrainingError('nan_loss', 'loss NaN at epoch 3, batch 1'), 'nan_loss: loss NaN at epoch 3, batch 1'],
    ['bad data', new TrainingError('invalid_input', 'label at row 4 is 2, expected 0 or 1'), 'invalid_input: label at row 4 is 2, expected 0 or 1'],
    ['disk full', errno('ENOSPC', 'ENOSPC: no space left on device, write'), 'disk_full: ENOSPC: no space left on device, write'],
    ['read-only store', errno('EROFS', 'EROFS: read-only file system'), 'storage_not_writable: EROFS: read-only file system'],
    ['anything else', new Error('connection terminated'), 'connection terminated'],
    ['an error-like object from another realm', { message: 'worker gone' }, 'worker gone'],
    ['a string', 'boom', 'boom'],
  ])('%s', (_name, err, expected) => {
    expect(describeFailure(err)).toBe(expected);
  });
});
