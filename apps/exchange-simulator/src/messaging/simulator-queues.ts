import { QUEUES } from '@model-service/signals';

/** The queues the simulator consumes and publishes, each with the configured prefix (empty in production). */
export interface SimulatorQueues {
  tradingSignals: string;
  orderEvents: string;
  positionUpdated: string;
  ticker: string;
  orderbook: string;
  kline: string;
}

export function simulatorQueues(prefix = ''): SimulatorQueues {
  return {
    tradingSignals: `${prefix}${QUEUES.TRADING_SIGNALS}`,
    orderEvents: `${prefix}${QUEUES.ORDER_EVENTS}`,
    positionUpdated: `${prefix}${QUEUES.POSITION_UPDATED}`,
    ticker: `${prefix}${QUEUES.WS_TICKER}`,
    orderbook: `${prefix}${QUEUES.WS_ORDERBOOK}`,
    kline: `${prefix}${QUEUES.WS_KLINE}`,
  };
}
