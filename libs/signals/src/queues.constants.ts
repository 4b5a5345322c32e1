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

/** The dead-letter queue of a consumed queue: `<queue>.dlq` (a name already ending in `.dlq` is returned as it is). */
export function deadLetterQueueName(queue: string): string {
  return queue.endsWith('.dlq') ? queue : `${queue}.dlq`;
}

/**
 * Queues another team's service may declare too (the neighbours' queues we read, and the signals queue the
 * order manager reads). We never declare them with arguments of our own: we use what exists (passive check)
 * and only declare a plain durable queue, as the neighbour would, when it is missing. docs/queues.md.
 */
export const SHARED_QUEUES: readonly string[] = [
  QUEUES.ORDER_EVENTS,
  QUEUES.POSITION_UPDATED,
  QUEUES.WS_TICKER,
  QUEUES.WS_ORDERBOOK,
  QUEUES.WS_KLINE,
  QUEUES.TRADING_SIGNALS,
];

/** True for a shared queue, also under a test or benchmark name prefix (`<prefix>ws-gateway.ticker`). */
export function isSharedQueue(queue: string): boolean {
  return SHARED_QUEUES.some((name) => queue === name || queue.endsWith(name));
}

/** The broker-side dead-letter exchange of a queue we own: `<queue>.dlx`, bound to `<queue>.dlq`. */
export function deadLetterExchangeName(queue: string): string {
  return `${queue}.dlx`;
}

/**
 * Every signal is published once to this fanout exchange (`<signals queue>.fanout`), which is bound to the
 * order manager's signals queue and to our `<signals queue>.records` queue: the broker, not process memory,
 * keeps a signal until its trading_signals row is committed.
 */
export function signalFanoutExchangeName(signalsQueue: string): string {
  return `${signalsQueue}.fanout`;
}

/** Our durable queue of signal records waiting to be stored in trading_signals (see signalFanoutExchangeName). */
export function signalRecordsQueueName(signalsQueue: string): string {
  return `${signalsQueue}.records`;
}

/**
 * Every queue one of our apps consumes, so each has a `<queue>.dlq`: the upstream queues, the training
 * commands and the signal records (the order manager, not we, consumes the signals queue itself).
 * `prefix` is a test or benchmark queue prefix.
 */
export function consumedQueueNames(prefix = ''): string[] {
  const consumed = [...Object.values(QUEUES).filter((q) => q !== QUEUES.TRADING_SIGNALS), signalRecordsQueueName(QUEUES.TRADING_SIGNALS)];
  return consumed.map((q) => `${prefix}${q}`);
}
