import { hostname } from 'node:os';

import { MessagingModule, Publisher } from '@model-service/messaging';
import { PositionAnswer, PositionManagerClient } from '@model-service/neighbours';
import { RepositoriesModule } from '@model-service/repositories';
import { HealthRegistry, MetricsRegistry, ObservabilityModule } from '@model-service/util';
import { DynamicModule, Module } from '@nestjs/common';

import { AccountStateReader } from './account/account-state.reader';
import { BroadcastListener } from './events/broadcast-listener';
import { QUEUE_NAMES, REPLICA_ID, SERVICE_NAME, STRATEGIES } from './app.tokens';
import { QueueNames, queueNamesFromEnv } from './config/queue-names';
import { SignalGeneratorEnv } from './config/signal-generator.env';
import { MarketDataCache } from './market-data/market-data-cache';
import { MarketDataConsumer } from './market-data/market-data.consumer';
import { ModelManager } from './model/model-manager.service';
import { PositionCache } from './risk/position-cache';
import { PositionEventsSubscriber } from './risk/position-events.subscriber';
import { PositionRiskReader } from './risk/position-risk.reader';
import { SignalGeneratorService } from './runner/signal-generator.service';
import { SignalMetrics } from './runner/signal-metrics';
import { strategyDefaultsFrom } from './strategies/strategy-config';
import { parseStrategies } from './strategies/strategy-config.parser';

@Module({})
export class AppModule {
  static register(config: SignalGeneratorEnv): DynamicModule {
    const service = config.MODEL_SERVICE_SERVICE_NAME ?? 'signal-generator';
    const replicaId = config.SIGNAL_GENERATION_REPLICA_ID ?? `${hostname()}-${process.pid}`;
    // Already validated with the environment; parsing again only fills in the defaults.
    const strategies = parseStrategies(config.TRADING_STRATEGIES, strategyDefaultsFrom(config));
    return {
      module: AppModule,
      imports: [
        ObservabilityModule.forRoot({ service }),
        RepositoriesModule.forRoot({
          url: config.DATABASE_URL,
          schema: config.DATABASE_SCHEMA,
          applicationName: service,
          statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
        }),
        MessagingModule.forRoot({ url: config.RABBITMQ_URL, name: `${service}-publisher` }),
      ],
      providers: [
        { provide: SignalGeneratorEnv, useValue: config },
        { provide: STRATEGIES, useValue: strategies },
        { provide: QUEUE_NAMES, useValue: queueNamesFromEnv(config) },
        { provide: REPLICA_ID, useValue: replicaId },
        { provide: SERVICE_NAME, useValue: service },
        SignalMetrics,
        AccountStateReader,
        {
          provide: MarketDataCache,
          useFactory: () =>
            new MarketDataCache({
              maxAgeMs: config.MARKET_DATA_MAX_AGE_SECONDS * 1000,
              depthLevels: config.MARKET_DATA_DEPTH_LEVELS,
              ageFrom: config.MARKET_DATA_AGE_FROM,
            }),
        },
        {
          provide: MarketDataConsumer,
          useFactory: (names: QueueNames, cache: MarketDataCache, publisher: Publisher, metrics: SignalMetrics, registry: MetricsRegistry, health: HealthRegistry) =>
            new MarketDataConsumer(
              {
                url: config.RABBITMQ_URL,
                connectionName: `${service}-consumer`,
                prefetch: config.RABBITMQ_PREFETCH,
                maxRetries: config.RABBITMQ_MAX_RETRIES,
                replicaId,
                republish: config.MARKET_DATA_REPUBLISH_ENABLED,
                republishLevels: Math.max(50, config.MARKET_DATA_DEPTH_LEVELS),
                stallAfterMs: config.RABBITMQ_CONSUMER_STALL_SECONDS * 1000,
              },
              names,
              cache,
              publisher,
              metrics,
              registry,
              health,
            ),
          inject: [QUEUE_NAMES, MarketDataCache, Publisher, SignalMetrics, MetricsRegistry, HealthRegistry],
        },
        SignalGeneratorService,
        {
          provide: BroadcastListener,
          useFactory: (registry: MetricsRegistry, health: HealthRegistry) => new BroadcastListener(
              { url: config.RABBITMQ_URL, connectionName: `${service}-events`, stallAfterMs: config.RABBITMQ_CONSUMER_STALL_SECONDS * 1000 },
              registry,
              health,
            ),
          inject: [MetricsRegistry, HealthRegistry],
        },
        {
          provide: PositionRiskReader,
          useFactory: (metrics: SignalMetrics, health: HealthRegistry) => {
            const client = config.POSITION_MANAGER_URL
              ? new PositionManagerClient({ baseUrl: config.POSITION_MANAGER_URL, apiKey: config.POSITION_MANAGER_API_KEY, timeoutMs: config.POSITION_MANAGER_TIMEOUT_MS })
              : null;
            const cache = new PositionCache<PositionAnswer>({
              enabled: config.POSITION_CACHE_ENABLED,
              ttlMs: config.POSITION_CACHE_TTL_SECONDS * 1000,
              maxSize: config.POSITION_CACHE_MAX_SIZE,
            });
            const reader = new PositionRiskReader(client, cache, {
              looked: (source) => metrics.positionLookup(source),
              degradedChanged: (degraded) => metrics.setPositionManagerDegraded(degraded),
            });
            health.registerInfo('position_manager', () => reader.status());
            return reader;
          },
          inject: [SignalMetrics, HealthRegistry],
        },
        PositionEventsSubscriber,
        ModelManager,
      ],
      exports: [SignalGeneratorEnv, SignalGeneratorService, MarketDataCache, ModelManager, PositionRiskReader],
    };
  }
}
