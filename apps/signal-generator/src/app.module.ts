import { hostname } from 'node:os';

import { ConsumerHost, Publisher } from '@model-service/messaging';
import { PositionAnswer, PositionManagerClient } from '@model-service/neighbours';
import { topology, Topology } from '@model-service/signals';
import { HealthRegistry } from '@model-service/util';
import { serviceAppModule } from '@model-service/platform';
import { DynamicModule, Module } from '@nestjs/common';

import { AccountStateReader } from './account/account-state.reader';
import { QUEUE_NAMES, REPLICA_ID, SERVICE_NAME, STRATEGIES } from './app.tokens';
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
    return serviceAppModule(AppModule, {
      service,
      env: SignalGeneratorEnv,
      config,
      providers: [
        { provide: STRATEGIES, useValue: strategies },
        {
          provide: QUEUE_NAMES,
          useValue: topology(config.QUEUE_PREFIX, {
            modelEventsExchange: config.SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE,
            positionEventsExchange: config.SIGNAL_GENERATION_POSITION_EVENTS_EXCHANGE,
          }),
        },
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
          useFactory: (names: Topology, cache: MarketDataCache, publisher: Publisher, metrics: SignalMetrics, consumers: ConsumerHost) =>
            new MarketDataConsumer(
              { replicaId, republish: config.MARKET_DATA_REPUBLISH_ENABLED, republishLevels: Math.max(50, config.MARKET_DATA_DEPTH_LEVELS) },
              names,
              cache,
              publisher,
              metrics,
              consumers,
            ),
          inject: [QUEUE_NAMES, MarketDataCache, Publisher, SignalMetrics, ConsumerHost],
        },
        SignalGeneratorService,
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
      exports: [SignalGeneratorService, MarketDataCache, ModelManager, PositionRiskReader],
    });
  }
}
