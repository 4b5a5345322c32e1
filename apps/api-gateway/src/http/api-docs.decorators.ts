import { applyDecorators, Controller, Get, HttpCode, Post, Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiOperationOptions,
  ApiResponse,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { ApiErrorDto } from './api-error.dto';
import { API_KEY_SCHEME } from './swagger';

/** The responses and header every authenticated controller shares. */
const ApiProtected = (): ClassDecorator =>
  applyDecorators(
    ApiSecurity(API_KEY_SCHEME),
    ApiHeader({ name: 'X-Trace-Id', required: false, description: 'trace id to use (returned in the response header either way)' }),
    ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'missing or invalid X-API-Key' }),
    ApiTooManyRequestsResponse({ type: ApiErrorDto, description: 'rate limit of this API key exceeded' }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'invalid parameter; `field` names it' }),
  );

/** The controller of /api/v1/<resource>: it needs an API key, and its routes are documented under the <resource> tag. */
export const ApiV1Controller = (resource: string): ClassDecorator =>
  applyDecorators(ApiTags(resource), ApiProtected(), Controller(`api/v1/${resource}`));

export const ApiNotFound = (what: string): MethodDecorator => ApiNotFoundResponse({ type: ApiErrorDto, description: `${what} not found` });

/** What the OpenAPI document says of a route: its summary, or the summary and a longer description. */
export type RouteDoc = string | ApiOperationOptions;

/** The DTO a route answers with; `[Dto]` for an array of them. */
export type AnswerType = Type<unknown> | [Type<unknown>];

const operation = (doc: RouteDoc): MethodDecorator => ApiOperation(typeof doc === 'string' ? { summary: doc } : doc);

/** A GET route ('' for the controller's own path) and its documentation: the operation and the 200 answer. */
export const DocumentedGet = (path: string, type: AnswerType, doc: RouteDoc): MethodDecorator =>
  applyDecorators(Get(path), operation(doc), ApiResponse({ status: 200, type }));

/** A POST route answering `status` (200 when done, 202 when accepted for later) and its documentation. */
export const DocumentedPost = (path: string, status: 200 | 202, type: AnswerType, doc: RouteDoc): MethodDecorator =>
  applyDecorators(Post(path), HttpCode(status), operation(doc), ApiResponse({ status, type }));
