import { PublishError } from '@model-service/messaging';
import { RecordConflictError, RecordNotFoundError } from '@model-service/repositories';
import { currentTraceId, Logger } from '@model-service/util';
import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

import { ApiErrorBody, errorBody } from './api-error';

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).error === 'string' &&
    typeof (value as ApiErrorBody).message === 'string' &&
    typeof (value as ApiErrorBody).status_code === 'number'
  );
}

/** Nest's own error bodies ({ statusCode, message: string | string[], error }) carry the text under message. */
function nestMessage(response: unknown, fallback: string): string {
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown } | null)?.message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : fallback;
}

/**
 * Errors of the HTTP stack below Nest (body-parser, raw-body: http-errors objects with `status`,
 * `expose` and a `type` such as entity.too.large) keep their 4xx status with a message of our own.
 */
export function httpStackError(exception: unknown): ApiErrorBody | null {
  if (typeof exception !== 'object' || exception === null) return null;
  const { status, type, expose } = exception as { status?: unknown; type?: unknown; expose?: unknown };
  if (typeof status !== 'number' || status < 400 || status >= 500 || expose !== true) return null;
  switch (type) {
    case 'entity.too.large':
      return errorBody(HttpStatus.PAYLOAD_TOO_LARGE, 'request body is too large');
    case 'entity.parse.failed':
      return errorBody(HttpStatus.BAD_REQUEST, 'request body is not valid JSON', { error: 'malformed_json' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return errorBody(HttpStatus.UNSUPPORTED_MEDIA_TYPE, 'request body encoding or charset is not supported');
    default:
      return errorBody(status, 'request could not be read');
  }
}

/** PostgreSQL cancelled the statement (statement_timeout, code 57014) or the client gave up waiting (query_timeout). */
function isStatementTimeout(exception: unknown): boolean {
  if (typeof exception !== 'object' || exception === null) return false;
  const { code, message } = exception as { code?: unknown; message?: unknown };
  return code === '57014' || (typeof message === 'string' && /^Query read timeout$/.test(message));
}

/** Maps any error to the JSON error body (ApiErrorBody) with the request's trace id; never leaks internals on 500. */
export function toErrorBody(exception: unknown): ApiErrorBody {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (isApiErrorBody(response)) return response;
    return errorBody(status, nestMessage(response, exception.message));
  }
  const stack = httpStackError(exception);
  if (stack) return stack;
  if (isStatementTimeout(exception)) {
    return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the database did not answer in time; narrow the request or retry later', {
      error: 'database_timeout',
    });
  }
  if (exception instanceof RecordNotFoundError) return errorBody(HttpStatus.NOT_FOUND, exception.message);
  if (exception instanceof RecordConflictError) return errorBody(HttpStatus.CONFLICT, exception.message);
  if (exception instanceof PublishError) {
    return errorBody(HttpStatus.SERVICE_UNAVAILABLE, 'the message broker did not accept the message; retry later', {
      error: 'message_broker_unavailable',
    });
  }
  return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'internal error');
}

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('ApiExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    if (body.status_code >= 500) {
      this.log.error('request failed', { error: exception instanceof Error ? exception : String(exception), status: body.status_code });
    }
    const traceId = currentTraceId();
    if (res.headersSent) return;
    res.status(body.status_code).json(traceId ? { ...body, trace_id: traceId } : body);
  }
}
