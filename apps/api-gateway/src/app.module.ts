import { ModelEventsPublisher, Publisher } from '@model-service/messaging';
import { consumedQueueNames, topology } from '@model-service/signals';
import { Clock, CLOCK, HealthRegistry, MetricsRegistry, systemClock } from '@model-service/util';
import { serviceModules } from '@model-service/platform';
import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';

import { ApiGatewayEnv } from './config/api-gateway.env';
import { WindowLimitPipe } from './common/window-limit.pipe';
import { MESSAGING_TARGETS, MessagingTargets } from './events/messaging-targets';
import { TrainingCommandsSender } from './events/training-commands.sender';
import { ApiExceptionFilter } from './http/api-exception.filter';
import { ApiKeyVerifier, parseApiKeys } from './http/api-key-verifier';
import { ApiKeyGuard } from './http/auth.guards';
import { ApiKeyThrottlerGuard, ClientThrottlerGuard, throttlerOptions } from './http/rate-limits';
import { createValidationPipe } from './http/validation.pipe';
import { TraceMiddleware } from './http/trace.middleware';
import { ModelStorage } from './models/model-storage';
import { ModelsController } from './models/models.controller';
import { ModelsService } from './models/models.service';
import { AppsHealthSource } from './monitoring/apps-health.source';
import { DeadLetterDepthsSource } from './monitoring/dead-letter-depths.source';
import { HealthDetails } from './monitoring/health-details';
import { MonitoringController } from './monitoring/monitoring.controller';
import { MonitoringService } from './monitoring/monitoring.service';
import { OpsMonitoringController } from './monitoring/ops-monitoring.controller';
import { SignalFlowService } from './monitoring/signal-flow.service';
import { SignalsController } from './signals/signals.controller';
import { ModeComparisonService } from './strategies/mode-comparison.service';
import { SkipCountsSource } from './strategies/skip-counts.source';
import { StrategiesController } from './strategies/strategies.controller';
import { StrategiesService } from './strategies/strategies.service';
import { TrainingController } from './training/training.controller';
import { TrainingService } from './training/training.service';

/** What tests (and only tests) change: a schema of their own, a fake clock (unique broker names come from QUEUE_PREFIX). */
export interface ApiGatewayOptions {
  schema?: string;
  clock?: Clock;
  /** Consumed queues whose DLQ depths are shown (default: every queue our apps consume). */
  deadLetterQueues?: string[];
}

@Module({})
export class AppModule implements NestModule {
  static register(config: ApiGatewayEnv, options: ApiGatewayOptions = {}): DynamicModule {
    const service = config.MODEL_SERVICE_SERVICE_NAME ?? 'api-gateway';
    const clock = options.clock ?? systemClock;
    const verifier = new ApiKeyVerifier(parseApiKeys(config.MODEL_SERVICE_API_KEY));
    return {
      module: AppModule,
      imports: [
        // Named after the service so operators (and the start-up test) can find its broker connection.
        ...serviceModules(service, config, { health: 'public', publisherMaxRetries: 2, schema: options.schema }),
        ThrottlerModule.forRoot(
          throttlerOptions(
            {
              clientPerMinute: config.MODEL_SERVICE_API_CLIENT_RATE_LIMIT,
              authFailuresPerMinute: config.MODEL_SERVICE_API_AUTH_FAILURE_LIMIT,
              keyPerMinute: config.MODEL_SERVICE_API_RATE_LIMIT,
              keyPerSecond: config.MODEL_SERVICE_API_RATE_LIMIT > 0 ? config.MODEL_SERVICE_API_RATE_LIMIT_BURST : 0,
            },
            verifier,
          ),
        ),
      ],
      controllers: [ModelsController, TrainingController, MonitoringController, OpsMonitoringController, StrategiesController, SignalsController],
      providers: [
        { provide: ApiGatewayEnv, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: MESSAGING_TARGETS, useValue: topology(config.QUEUE_PREFIX) },
        { provide: ApiKeyVerifier, useValue: verifier },
        { provide: ModelStorage, useValue: new ModelStorage(config.MODEL_STORAGE_PATH) },
        { provide: SkipCountsSource, useValue: new SkipCountsSource(config.SIGNAL_GENERATOR_URL, clock) },
        {
          provide: AppsHealthSource,
          useFactory: (health: HealthRegistry) =>
            new AppsHealthSource(health, [
              { service: 'signal-generator', variable: 'SIGNAL_GENERATOR_URL', url: config.SIGNAL_GENERATOR_URL },
              { service: 'trainer', variable: 'TRAINER_URL', url: config.TRAINER_URL },
              { service: 'exit-strategy', variable: 'EXIT_STRATEGY_URL', url: config.EXIT_STRATEGY_URL },
            ]),
          inject: [HealthRegistry],
        },
        { provide: DeadLetterDepthsSource, useValue: new DeadLetterDepthsSource(config.RABBITMQ_URL, options.deadLetterQueues ?? consumedQueueNames(config.QUEUE_PREFIX), clock) },
        // In this order: client limits (failed keys included), then the key, then per-key limits.
        { provide: APP_GUARD, useClass: ClientThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
        { provide: APP_PIPE, useValue: createValidationPipe() },
        { provide: APP_PIPE, useValue: new WindowLimitPipe(config.MODEL_SERVICE_API_MAX_WINDOW_DAYS, clock) },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        TraceMiddleware,
        {
          provide: ModelEventsPublisher,
          useFactory: (publisher: Publisher, targets: MessagingTargets, metrics: MetricsRegistry) =>
            new ModelEventsPublisher(publisher, targets.modelEventsExchange, metrics),
          inject: [Publisher, MESSAGING_TARGETS, MetricsRegistry],
        },
        TrainingCommandsSender,
        ModelsService,
        TrainingService,
        MonitoringService,
        StrategiesService,
        ModeComparisonService,
        HealthDetails,
        SignalFlowService,
      ],
      exports: [ApiGatewayEnv],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(TraceMiddleware).forRoutes('*');
  }
}
