import { PublishError } from '@model-service/messaging';
import { RecordConflictError, RecordNotFoundError } from '@model-service/repositories';
import { HttpException, NotFoundException, PayloadTooLargeException } from '@nestjs/common';

import { fieldError } from './api-error';
import { toErrorBody } from './api-exception.filter';

describe('toErrorBody', () => {
  it.each([
    [new RecordNotFoundError('model version v not found'), { status_code: 404, error: 'not_found', message: 'model version v not found' }],
    [new RecordConflictError('already archived'), { status_code: 409, error: 'conflict', message: 'already archived' }],
    [new PublishError('x', 3, new Error('down')), { status_code: 503, error: 'message_broker_unavailable' }],
    [new NotFoundException('Cannot GET /nope'), { status_code: 404, error: 'not_found', message: 'Cannot GET /nope' }],
    [new PayloadTooLargeException(), { status_code: 413, error: 'payload_too_large' }],
    [new HttpException('teapot', 418), { status_code: 418, error: 'http_error', message: 'teapot' }],
    [fieldError('limit', 'limit too big'), { status_code: 400, error: 'validation_error', field: 'limit', message: 'limit too big' }],
  ])('maps %s', (err, expected) => {
    expect(toErrorBody(err)).toMatchObject(expected);
  });

  it('never leaks the text of an unexpected error', () => {
    expect(toErrorBody(new Error('password=hunter2 at db.ts:12'))).toEqual({
      status_code: 500,
      error: 'internal_error',
      message: 'internal error',
    });
  });
});
