import { CLOCK, Clock, systemClock } from '@model-service/util';
import { serviceAppModule } from '@model-service/platform';
import { DynamicModule, Module } from '@nestjs/common';

import { ExitStrategyEnv } from './config/exit-strategy.env';
import { ExitEngine } from './evaluation/exit-engine.service';
import { ExitMetrics } from './evaluation/exit-metrics';
import { ExitSignalPublisher } from './evaluation/exit-signal.publisher';
import { PositionEventsPublisher } from './events/position-events.publisher';
import { ExitStrategyLifecycle } from './exit-strategy.lifecycle';
import { FallbackMonitor } from './fallback/fallback-monitor.service';
import { FallbackSources } from './fallback/fallback-sources';
import { PositionManagerSource } from './fallback/position-manager.source';
import { PositionIntake } from './intake/position-intake.service';
import { PositionStateStore } from './state/position-state.store';

export interface AppModuleOverrides {
  /** Time source for holding time and rate limits (tests). */
  clock?: Clock;
}

@Module({})
export class AppModule {
  static register(config: ExitStrategyEnv, overrides: AppModuleOverrides = {}): DynamicModule {
    return serviceAppModule(AppModule, {
      service: config.MODEL_SERVICE_SERVICE_NAME ?? 'exit-strategy',
      env: ExitStrategyEnv,
      config,
      providers: [
        { provide: CLOCK, useValue: overrides.clock ?? systemClock },
        ExitMetrics,
        PositionStateStore,
        ExitSignalPublisher,
        ExitEngine,
        PositionEventsPublisher,
        PositionIntake,
        PositionManagerSource,
        FallbackSources,
        FallbackMonitor,
        ExitStrategyLifecycle,
      ],
    });
  }
}
