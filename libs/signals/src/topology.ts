import { EXCHANGES, QUEUES, signalFanoutExchangeName, signalRecordsQueueName } from './queues.constants';

/**
 * Every broker name one copy of the system uses, each carrying the same prefix (QUEUE_PREFIX: empty in
 * production, a unique string in tests, benchmarks and the demo, so isolated copies share one broker).
 * Dead-letter queues are `deadLetterQueueName(queue)`.
 */
export interface Topology {
  ticker: string;
  orderbook: string;
  kline: string;
  tradingSignals: string;
  orderEvents: string;
  positionUpdated: string;
  trainingCommands: string;
  /** Fanout exchange every signal is published to (bound to the signals queue and the records queue). */
  signalFanoutExchange: string;
  /** Our queue of signal records waiting to be stored in trading_signals. */
  signalRecords: string;
  /** Fanout exchange the active market-data consumer republishes normalized ticks on. */
  marketDataExchange: string;
  /** Name prefix of a signal-generator replica's private queue bound to marketDataExchange. */
  marketDataReplicaQueue: string;
  /** Fanout exchange of model events (trainer, api-gateway): every signal-generator replica binds its own queue. */
  modelEventsExchange: string;
  /** Name prefix of a signal-generator replica's private queue bound to modelEventsExchange. */
  modelEventsReplicaQueue: string;
  /** Fanout exchange of position changes (republished by exit-strategy): invalidates signal-generator's position cache. */
  positionEventsExchange: string;
  positionEventsReplicaQueue: string;
}

/** Exchanges named outright instead of `<prefix><default>` (a publisher that does not use the prefix). */
export interface ExchangeOverrides {
  modelEventsExchange?: string;
  positionEventsExchange?: string;
}

/** The one builder of queue and exchange names; `prefix` is QUEUE_PREFIX. */
export function topology(prefix = '', overrides: ExchangeOverrides = {}): Topology {
  const p = (name: string): string => `${prefix}${name}`;
  return {
    ticker: p(QUEUES.WS_TICKER),
    orderbook: p(QUEUES.WS_ORDERBOOK),
    kline: p(QUEUES.WS_KLINE),
    tradingSignals: p(QUEUES.TRADING_SIGNALS),
    orderEvents: p(QUEUES.ORDER_EVENTS),
    positionUpdated: p(QUEUES.POSITION_UPDATED),
    trainingCommands: p(QUEUES.TRAINING_COMMANDS),
    signalFanoutExchange: signalFanoutExchangeName(p(QUEUES.TRADING_SIGNALS)),
    signalRecords: signalRecordsQueueName(p(QUEUES.TRADING_SIGNALS)),
    marketDataExchange: p(EXCHANGES.MARKET_DATA),
    marketDataReplicaQueue: p(`${EXCHANGES.MARKET_DATA}.signal-generator`),
    modelEventsExchange: overrides.modelEventsExchange ?? p(EXCHANGES.MODEL_EVENTS),
    // Always prefixed, so an isolated copy bound to a shared exchange never shares its dead-letter queue.
    modelEventsReplicaQueue: p(`${EXCHANGES.MODEL_EVENTS}.signal-generator`),
    positionEventsExchange: overrides.positionEventsExchange ?? p(EXCHANGES.POSITION_EVENTS),
    positionEventsReplicaQueue: p(`${EXCHANGES.POSITION_EVENTS}.signal-generator`),
  };
}
