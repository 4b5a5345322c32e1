import { ModelEventsPublisher, Publisher } from '@model-service/messaging';
import { topology } from '@model-service/signals';
import { MetricsRegistry } from '@model-service/util';
import { serviceAppModule } from '@model-service/platform';
import { DynamicModule, Module } from '@nestjs/common';

import { TrainerEnv } from './config/trainer.env';
import { TrainerMetrics } from './health/trainer-metrics';
import { TrainingHealth } from './health/training-health';
import { ExecutionIntake } from './intake/execution-intake.service';
import { TrainerHandlers } from './intake/trainer-handlers';
import { ModelRegistry } from './models/model-registry.service';
import { TrainingOrchestrator } from './training/training-orchestrator';
import { TrainingPipeline } from './training/training-pipeline';
import { DataThresholdTrigger } from './triggers/data-threshold.trigger';
import { LiveRollbackGuard } from './triggers/live-rollback.guard';
import { QualityMonitor } from './triggers/quality-monitor';
import { ClaimsJanitor } from './triggers/claims-janitor';
import { ScheduleTrigger } from './triggers/schedule.trigger';
import { StrategyDirectory } from './triggers/strategy-directory';

@Module({})
export class AppModule {
  static register(config: TrainerEnv): DynamicModule {
    return serviceAppModule(AppModule, {
      service: config.MODEL_SERVICE_SERVICE_NAME ?? 'trainer',
      env: TrainerEnv,
      config,
      providers: [
        TrainerMetrics,
        StrategyDirectory,
        ExecutionIntake,
        {
          provide: ModelEventsPublisher,
          useFactory: (publisher: Publisher, metrics: MetricsRegistry) => new ModelEventsPublisher(publisher, topology(config.QUEUE_PREFIX).modelEventsExchange, metrics),
          inject: [Publisher, MetricsRegistry],
        },
        ModelRegistry,
        TrainingPipeline,
        TrainingOrchestrator,
        TrainerHandlers,
        ScheduleTrigger,
        ClaimsJanitor,
        DataThresholdTrigger,
        LiveRollbackGuard,
        QualityMonitor,
        TrainingHealth,
      ],
    });
  }
}
