import { MetricsController, ObservabilityController, PublicHealthController } from '@model-service/util';
import { ExecutionContext, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

export const IS_PUBLIC = 'api-gateway:public';

/** Marks a route that needs no X-API-Key (and has no per-key rate limit). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** True for routes that need no key: non-HTTP contexts, /health and /metrics (probes, scrapers), @Public() routes. */
export function isPublicRoute(reflector: Reflector, context: ExecutionContext): boolean {
  if (context.getType() !== 'http') return true;
  const cls = context.getClass();
  if (cls === ObservabilityController || cls === PublicHealthController || cls === MetricsController) return true;
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}
