import { Publisher, RabbitConnection } from '@model-service/messaging';
import { MetricsRegistry } from '@model-service/util';
import { serviceAppModule } from '@model-service/platform';
import { DynamicModule, Module } from '@nestjs/common';

import { ExchangeSimulatorEnv } from './config/exchange-simulator.env';
import { candleSourceFrom, SIMULATOR_SETTINGS, simulatorSettings } from './config/simulator-settings';
import { PositionsController } from './http/positions.controller';
import { SubscriptionsController } from './http/subscriptions.controller';
import { ConsumerBacklog } from './market/consumer-backlog';
import { MarketBook } from './market/market-book';
import { MarketReplay } from './market/market-replay';
import { SimClock } from './market/sim-clock';
import { ReliablePublisher } from './messaging/reliable-publisher';
import { SimulatorRuntime } from './simulator.runtime';
import { AccountStore } from './trading/account-store';
import { Ledger } from './trading/ledger';
import { OrderEngine } from './trading/order-engine';
import { PositionFeed } from './trading/position-feed';

@Module({})
export class AppModule {
  /** Throws (stopping start-up with the message) when the candle file cannot be replayed. */
  static register(config: ExchangeSimulatorEnv): DynamicModule {
    const settings = simulatorSettings(config);
    const source = candleSourceFrom(config);
    const clock = new SimClock(source.startTime);
    const book = new MarketBook(source.assets);
    const ledger = new Ledger(settings.initialBalances);
    return serviceAppModule(AppModule, {
      service: config.MODEL_SERVICE_SERVICE_NAME ?? 'exchange-simulator',
      env: ExchangeSimulatorEnv,
      config,
      controllers: [SubscriptionsController, PositionsController],
      providers: [
        { provide: SIMULATOR_SETTINGS, useValue: settings },
        { provide: SimClock, useValue: clock },
        { provide: MarketBook, useValue: book },
        { provide: Ledger, useValue: ledger },
        AccountStore,
        {
          provide: ReliablePublisher,
          useFactory: (publisher: Publisher, metrics: MetricsRegistry) => new ReliablePublisher(publisher, metrics),
          inject: [Publisher, MetricsRegistry],
        },
        {
          provide: PositionFeed,
          useFactory: (store: AccountStore, publisher: ReliablePublisher) =>
            new PositionFeed(store, publisher, settings.queues.positionUpdated, settings.positionUpdateIntervalMs),
          inject: [AccountStore, ReliablePublisher],
        },
        {
          provide: OrderEngine,
          useFactory: (store: AccountStore, publisher: ReliablePublisher, feed: PositionFeed, metrics: MetricsRegistry) =>
            new OrderEngine(
              { feeRate: settings.feeRate, slippageBps: settings.slippageBps, orderEventsQueue: settings.queues.orderEvents },
              ledger,
              book,
              clock,
              store,
              publisher,
              feed,
              metrics,
            ),
          inject: [AccountStore, ReliablePublisher, PositionFeed, MetricsRegistry],
        },
        {
          provide: ConsumerBacklog,
          useFactory: (connection: RabbitConnection) => {
            const q = settings.queues;
            return new ConsumerBacklog(connection, [q.ticker, q.orderbook, q.kline, q.orderEvents, q.positionUpdated, q.tradingSignals]);
          },
          inject: [RabbitConnection],
        },
        {
          provide: MarketReplay,
          useFactory: (publisher: Publisher, connection: RabbitConnection, engine: OrderEngine, metrics: MetricsRegistry, backlog: ConsumerBacklog) =>
            new MarketReplay(
              settings,
              source,
              book,
              clock,
              publisher,
              () => connection.isConnected(),
              (quote) => engine.onQuote(quote),
              () => engine.onMarketEnded(),
              metrics,
              () => backlog.worst(),
            ),
          inject: [Publisher, RabbitConnection, OrderEngine, MetricsRegistry, ConsumerBacklog],
        },
        SimulatorRuntime,
      ],
    });
  }
}
