import { MetricsRegistry, ObservabilityController } from '@model-service/util';
import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';

import { errorBody } from './api-error';
import { ApiKeyVerifier } from './api-key-verifier';
import { ApiRequest } from './api-request';
import { IS_PUBLIC } from './public.decorator';
import { TokenBucketLimiter } from './token-bucket';

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  if (context.getType() !== 'http') return true;
  // /health and /metrics come from the util lib's controller and stay open (probes and scrapers).
  if (context.getClass() === ObservabilityController) return true;
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

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
    if (isPublic(this.reflector, context)) return true;
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

/** Token bucket per API key; 429 JSON with Retry-After when a key's bucket is empty. Runs after ApiKeyGuard. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limited;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: TokenBucketLimiter,
    metrics: MetricsRegistry,
  ) {
    this.limited = metrics.counter('api_rate_limited_total', 'Requests refused by the per-key rate limit');
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.limiter.enabled || isPublic(this.reflector, context)) return true;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const result = this.limiter.take(req.apiKeyId ?? 'anonymous');
    res.setHeader('X-RateLimit-Limit', String(this.limiter.limit));
    res.setHeader('X-RateLimit-Remaining', String(result.remaining));
    if (result.allowed) return true;
    this.limited.inc();
    const retryAfter = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
    res.setHeader('Retry-After', String(retryAfter));
    throw new HttpException(
      errorBody(HttpStatus.TOO_MANY_REQUESTS, `rate limit exceeded for this API key; retry in ${retryAfter} s`),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
