import { applyDecorators } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiSecurity,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

import { ApiErrorDto } from './api-error.dto';
import { API_KEY_SCHEME } from './swagger';

/** The responses and header every authenticated controller shares. */
export const ApiProtected = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    ApiSecurity(API_KEY_SCHEME),
    ApiHeader({ name: 'X-Trace-Id', required: false, description: 'trace id to use (returned in the response header either way)' }),
    ApiUnauthorizedResponse({ type: ApiErrorDto, description: 'missing or invalid X-API-Key' }),
    ApiTooManyRequestsResponse({ type: ApiErrorDto, description: 'rate limit of this API key exceeded' }),
    ApiBadRequestResponse({ type: ApiErrorDto, description: 'invalid parameter; `field` names it' }),
  );

export const ApiNotFound = (what: string): MethodDecorator => ApiNotFoundResponse({ type: ApiErrorDto, description: `${what} not found` });
