import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { MetricsRegistry } from '@model-service/util';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerModuleOptions,
  ThrottlerRequest,
  ThrottlerStorage,
} from '@nestjs/throttler';
import type { Response } from 'express';

import { errorBody } from './api-error';
import { ApiKeyVerifier } from './api-key-verifier';
import { ApiRequest } from './api-request';
import { isPublicRoute } from './public.decorator';

/** Every request from one client address, public routes included. */
export const CLIENT_THROTTLER = 'client';
/** Requests from one client address that carry a missing or wrong key on a protected route. */
export const AUTH_FAILURE_THROTTLER = 'auth_failures';
/** Requests made with one API key, per minute and within any one second. */
export const API_KEY_THROTTLER = 'api_key';
export const API_KEY_BURST_THROTTLER = 'api_key_burst';

export interface RateLimitSettings {
  /** Requests per minute per client address (0 = off). */
  clientPerMinute: number;
  /** Failed authentications per minute per client address before that address is refused for a minute (0 = off). */
  authFailuresPerMinute: number;
  /** Requests per minute per API key (0 = off). */
  keyPerMinute: number;
  /** Requests per second per API key. */
  keyPerSecond: number;
}

const MINUTE_MS = 60_000;

/**
 * The @nestjs/throttler configuration: one global counter per (throttler, tracker), not per route.
 * The storage is throttler's in-memory one; a shared storage (e.g. Redis) can replace it so that
 * replicas share the limits.
 */
export function throttlerOptions(settings: RateLimitSettings, verifier: ApiKeyVerifier): ThrottlerModuleOptions {
  const reflector = new Reflector();
  const failsAuth = (context: ExecutionContext): boolean => {
    if (!verifier.enabled || isPublicRoute(reflector, context)) return false;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    return verifier.verify(req.header('x-api-key')) === null;
  };
  const keyOf = (req: Record<string, unknown>): string => String(req['apiKeyId'] ?? 'anonymous');
  const notKeyed = (context: ExecutionContext): boolean => isPublicRoute(reflector, context);
  return {
    generateKey: (_context, tracker, name) => `${name}:${tracker}`,
    setHeaders: false,
    throttlers: [
      { name: CLIENT_THROTTLER, ttl: MINUTE_MS, limit: settings.clientPerMinute },
      { name: AUTH_FAILURE_THROTTLER, ttl: MINUTE_MS, limit: settings.authFailuresPerMinute, blockDuration: MINUTE_MS, skipIf: (c) => !failsAuth(c) },
      { name: API_KEY_THROTTLER, ttl: MINUTE_MS, limit: settings.keyPerMinute, getTracker: keyOf, skipIf: notKeyed },
      { name: API_KEY_BURST_THROTTLER, ttl: 1_000, limit: settings.keyPerSecond, getTracker: keyOf, skipIf: notKeyed },
    ],
  };
}

/**
 * A ThrottlerGuard that applies only the named throttlers (so one guard can run before authentication
 * and another after it) and answers in this API's shape: 429 JSON with Retry-After, and
 * X-RateLimit-Limit/Remaining/Reset of the tightest limit on every response.
 */
@Injectable()
abstract class NamedThrottlerGuard extends ThrottlerGuard {
  protected abstract readonly applies: ReadonlySet<string>;
  private readonly limited;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    metrics: MetricsRegistry,
  ) {
    super(options, storage, reflector);
    this.limited = metrics.counter('api_rate_limited_total', 'Requests refused by a rate limit', ['limit']);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = props;
    const name = throttler.name ?? 'default';
    if (!this.applies.has(name) || limit <= 0) return true;
    const req = context.switchToHttp().getRequest<ApiRequest>();
    const res = context.switchToHttp().getResponse<Response>();
    const key = generateKey(context, await getTracker(req, context), name);
    const hit = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    const remaining = Math.max(0, limit - hit.totalHits);
    const shown = res.getHeader('X-RateLimit-Remaining');
    if (shown === undefined || remaining < Number(shown)) {
      res.setHeader('X-RateLimit-Limit', String(limit));
      res.setHeader('X-RateLimit-Remaining', String(remaining));
      res.setHeader('X-RateLimit-Reset', String(Math.max(0, hit.timeToExpire)));
    }
    if (!hit.isBlocked) return true;
    const retryAfter = Math.max(1, hit.timeToBlockExpire);
    res.setHeader('Retry-After', String(retryAfter));
    res.setHeader('X-RateLimit-Remaining', '0');
    this.limited.inc({ limit: name });
    throw new HttpException(
      errorBody(HttpStatus.TOO_MANY_REQUESTS, `${describe(name)}; retry in ${retryAfter} s`, { error: 'rate_limited' }),
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

function describe(throttler: string): string {
  switch (throttler) {
    case AUTH_FAILURE_THROTTLER:
      return 'too many requests with a missing or wrong X-API-Key from this client';
    case CLIENT_THROTTLER:
      return 'rate limit exceeded for this client';
    default:
      return 'rate limit exceeded for this API key';
  }
}

/** Runs before authentication: per-client limit on every request, and on failed keys. */
@Injectable()
export class ClientThrottlerGuard extends NamedThrottlerGuard {
  protected readonly applies = new Set([CLIENT_THROTTLER, AUTH_FAILURE_THROTTLER]);
}

/** Runs after authentication: per-key limits. */
@Injectable()
export class ApiKeyThrottlerGuard extends NamedThrottlerGuard {
  protected readonly applies = new Set([API_KEY_THROTTLER, API_KEY_BURST_THROTTLER]);
}
