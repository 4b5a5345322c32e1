import { MetricsRegistry } from '@model-service/util';
import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { errorBody } from './api-error';
import { ApiKeyVerifier } from './api-key-verifier';
import { ApiRequest } from './api-request';
import { isPublicRoute } from './public.decorator';

/** Requires a valid X-API-Key (constant-time check) on every route that is not public; 401 JSON otherwise. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly failures;

  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: ApiKeyVerifier,
    metrics: MetricsRegistry,
  ) {
    this.failures = metrics.counter('api_auth_failures_total', 'Requests refused for a missing or wrong X-API-Key', ['reason']);
  }

  canActivate(context: ExecutionContext): boolean {
    if (isPublicRoute(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    if (!this.verifier.enabled) {
      req.apiKeyId = 'anonymous';
      return true;
    }
    const presented = req.header('x-api-key');
    const keyId = this.verifier.verify(presented);
    if (keyId === null) {
      const missing = presented === undefined || presented === '';
      this.failures.inc({ reason: missing ? 'missing' : 'invalid' });
      throw new HttpException(
        errorBody(HttpStatus.UNAUTHORIZED, missing ? 'the X-API-Key header is required' : 'the X-API-Key header is not valid'),
        HttpStatus.UNAUTHORIZED,
      );
    }
    req.apiKeyId = keyId;
    return true;
  }
}
