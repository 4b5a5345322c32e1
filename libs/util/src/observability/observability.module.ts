import { DynamicModule, Global, Module, Type } from '@nestjs/common';

import { HealthRegistry } from './health.registry';
import { MetricsController } from './metrics.controller';
import { MetricsRegistry } from './metrics.registry';
import { ObservabilityController } from './observability.controller';
import { PublicHealth } from './public-health';
import { PublicHealthController } from './public-health.controller';

export interface ObservabilityOptions {
  service: string;
  /** Serve /health and /metrics (default true). */
  controller?: boolean;
  /**
   * 'detailed' (default): /health shows every check and info section (internal ports).
   * 'public': /health, /health/ready, /health/live in the original service's shape, cached, no error
   * text (a port reachable by untrusted callers); the detailed report stays available through HealthRegistry.
   */
  health?: 'detailed' | 'public';
}

/** /health and /metrics for an app; inject HealthRegistry, PublicHealth and MetricsRegistry to contribute. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions): DynamicModule {
    const health = new HealthRegistry();
    health.service = options.service;
    const publicHealth = new PublicHealth(health);
    const controllers: Type[] =
      options.controller === false ? [] : options.health === 'public' ? [PublicHealthController, MetricsController] : [ObservabilityController];
    return {
      module: ObservabilityModule,
      controllers,
      providers: [{ provide: HealthRegistry, useValue: health }, { provide: PublicHealth, useValue: publicHealth }, MetricsRegistry],
      exports: [HealthRegistry, PublicHealth, MetricsRegistry],
    };
  }
}
