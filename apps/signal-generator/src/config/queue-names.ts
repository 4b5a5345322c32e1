import { EXCHANGES, QUEUES } from '@model-service/signals';

/** The broker names this app uses, each with the configured prefix (empty in production). */
export interface QueueNames {
  ticker: string;
  orderbook: string;
  kline: string;
  tradingSignals: string;
  /** Fanout exchange the active market-data consumer republishes normalized ticks on. */
  marketDataExchange: string;
  /** Name prefix of this replica's private queue bound to marketDataExchange. */
  marketDataReplicaQueue: string;
  /** Fanout exchange of model events (trainer, api-gateway): every replica binds its own queue. */
  modelEventsExchange: string;
  /** Name prefix of this replica's private queue bound to modelEventsExchange (its dead-letter queue is `<name>.dlq`). */
  modelEventsReplicaQueue: string;
  /** Fanout exchange of position changes (republished by exit-strategy): invalidates the position cache. */
  positionEventsExchange: string;
  positionEventsReplicaQueue: string;
}

/** Exchange names that replace the prefixed defaults (a publisher that does not use the prefix). */
export interface ExchangeOverrides {
  modelEventsExchange?: string;
  positionEventsExchange?: string;
}

export function queueNames(prefix = '', overrides: ExchangeOverrides = {}): QueueNames {
  return {
    ticker: `${prefix}${QUEUES.WS_TICKER}`,
    orderbook: `${prefix}${QUEUES.WS_ORDERBOOK}`,
    kline: `${prefix}${QUEUES.WS_KLINE}`,
    tradingSignals: `${prefix}${QUEUES.TRADING_SIGNALS}`,
    marketDataExchange: `${prefix}${EXCHANGES.MARKET_DATA}`,
    marketDataReplicaQueue: `${prefix}${EXCHANGES.MARKET_DATA}.signal-generator`,
    modelEventsExchange: overrides.modelEventsExchange ?? `${prefix}${EXCHANGES.MODEL_EVENTS}`,
    // Always prefixed, so an isolated copy bound to a shared exchange never shares its dead-letter queue.
    modelEventsReplicaQueue: `${prefix}${EXCHANGES.MODEL_EVENTS}.signal-generator`,
    positionEventsExchange: overrides.positionEventsExchange ?? `${prefix}${EXCHANGES.POSITION_EVENTS}`,
    positionEventsReplicaQueue: `${prefix}${EXCHANGES.POSITION_EVENTS}.signal-generator`,
  };
}

/** The names of a configured app (prefix and exchange overrides from the environment). */
export function queueNamesFromEnv(env: {
  SIGNAL_GENERATION_QUEUE_PREFIX?: string;
  SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE?: string;
  SIGNAL_GENERATION_POSITION_EVENTS_EXCHANGE?: string;
}): QueueNames {
  return queueNames(env.SIGNAL_GENERATION_QUEUE_PREFIX, {
    modelEventsExchange: env.SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE,
    positionEventsExchange: env.SIGNAL_GENERATION_POSITION_EVENTS_EXCHANGE,
  });
}
