import { DynamicModule, Global, Module } from '@nestjs/common';

import { HealthRegistry } from './health.registry';
import { MetricsRegistry } from './metrics.registry';
import { ObservabilityController } from './observability.controller';

/** /health and /metrics for an app; inject HealthRegistry and MetricsRegistry to contribute. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: { service: string; controller?: boolean }): DynamicModule {
    const health = new HealthRegistry();
    health.service = options.service;
    return {
      module: ObservabilityModule,
      controllers: options.controller === false ? [] : [ObservabilityController],
      providers: [{ provide: HealthRegistry, useValue: health }, MetricsRegistry],
      exports: [HealthRegistry, MetricsRegistry],
    };
  }
}
