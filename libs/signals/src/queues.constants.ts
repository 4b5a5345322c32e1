/** Every queue this system reads or writes. Nothing else in the repository spells these names. */
export const QUEUES = {
  TRADING_SIGNALS: 'model-service.trading_signals',
  ORDER_EVENTS: 'order-manager.order_events',
  POSITION_UPDATED: 'position-manager.position_updated',
  WS_TICKER: 'ws-gateway.ticker',
  WS_ORDERBOOK: 'ws-gateway.orderbook',
  WS_KLINE: 'ws-gateway.kline',
  TRAINING_COMMANDS: 'model-service.training_commands',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Our fanout exchanges; each interested process binds its own queue. */
export const EXCHANGES = {
  MODEL_EVENTS: 'model-service.model_events',
  MARKET_DATA: 'model-service.market_data',
  POSITION_EVENTS: 'model-service.position_events',
} as const;
export type ExchangeName = (typeof EXCHANGES)[keyof typeof EXCHANGES];

/** The dead-letter queue of a consumed queue: `<queue>.dlq`. */
export function deadLetterQueueName(queue: string): string {
  return `${queue}.dlq`;
}
