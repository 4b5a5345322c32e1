import { BadRequestException, HttpStatus } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** The JSON body of every error this API answers with. */
export interface ApiErrorBody {
  status_code: number;
  /** Stable machine-readable code: validation_error, unauthorized, not_found, conflict, rate_limited, ... */
  error: string;
  message: string;
  /** The request field at fault (validation errors). */
  field?: string;
  details?: Array<{ field: string; messages: string[] }>;
  trace_id?: string;
}

const CODES: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'bad_request',
  [HttpStatus.UNAUTHORIZED]: 'unauthorized',
  [HttpStatus.FORBIDDEN]: 'forbidden',
  [HttpStatus.NOT_FOUND]: 'not_found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'method_not_allowed',
  [HttpStatus.CONFLICT]: 'conflict',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'payload_too_large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'unsupported_media_type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'rate_limited',
  [HttpStatus.INTERNAL_SERVER_ERROR]: 'internal_error',
  [HttpStatus.SERVICE_UNAVAILABLE]: 'service_unavailable',
};

export function errorCodeFor(status: number): string {
  return CODES[status] ?? 'http_error';
}

export function errorBody(status: number, message: string, extra: Partial<ApiErrorBody> = {}): ApiErrorBody {
  return { status_code: status, error: errorCodeFor(status), message, ...extra };
}

/** A 400 naming the field at fault. */
export function fieldError(field: string, message: string): BadRequestException {
  return new BadRequestException(
    errorBody(HttpStatus.BAD_REQUEST, message, { error: 'validation_error', field, details: [{ field, messages: [message] }] }),
  );
}

/** class-validator errors (nested ones with dotted paths) as [{ field, messages }]. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): Array<{ field: string; messages: string[] }> {
  return errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], field)];
  });
}

/** The ValidationPipe's exceptionFactory: a 400 whose `field` names the first bad field and whose message says why. */
export function validationException(errors: ValidationError[]): BadRequestException {
  const details = flattenValidationErrors(errors);
  const first = details[0] ?? { field: 'request', messages: ['request is invalid'] };
  return new BadRequestException(
    errorBody(HttpStatus.BAD_REQUEST, details.map((d) => d.messages.join('; ')).join('; '), {
      error: 'validation_error',
      field: first.field,
      details,
    }),
  );
}
