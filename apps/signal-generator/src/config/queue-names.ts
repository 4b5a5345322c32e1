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
}

export function queueNames(prefix = ''): QueueNames {
  return {
    ticker: `${prefix}${QUEUES.WS_TICKER}`,
    orderbook: `${prefix}${QUEUES.WS_ORDERBOOK}`,
    kline: `${prefix}${QUEUES.WS_KLINE}`,
    tradingSignals: `${prefix}${QUEUES.TRADING_SIGNALS}`,
    marketDataExchange: `${prefix}${EXCHANGES.MARKET_DATA}`,
    marketDataReplicaQueue: `${prefix}${EXCHANGES.MARKET_DATA}.signal-generator`,
  };
}
