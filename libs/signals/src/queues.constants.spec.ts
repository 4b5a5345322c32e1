import { consumedQueueNames, deadLetterExchangeName, deadLetterQueueName, EXCHANGES, isSharedQueue, QUEUES } from './queues.constants';

/**
 * The names the neighbouring services publish to and read from, by constant, and whether one of our apps
 * consumes the queue (the order manager, not we, reads the signals queue).
 */
const QUEUE_CONTRACT: ReadonlyArray<readonly [keyof typeof QUEUES, string, 'consumed' | 'not consumed']> = [
  ['TRADING_SIGNALS', 'model-service.trading_signals', 'not consumed'],
  ['ORDER_EVENTS', 'order-manager.order_events', 'consumed'],
  ['POSITION_UPDATED', 'position-manager.position_updated', 'consumed'],
  ['WS_TICKER', 'ws-gateway.ticker', 'consumed'],
  ['WS_ORDERBOOK', 'ws-gateway.orderbook', 'consumed'],
  ['WS_KLINE', 'ws-gateway.kline', 'consumed'],
  ['TRAINING_COMMANDS', 'model-service.training_commands', 'consumed'],
];

describe('queue names', () => {
  it('match the names the neighbouring services publish to and read from', () => {
    expect(QUEUES).toEqual(Object.fromEntries(QUEUE_CONTRACT.map(([constant, name]) => [constant, name])));
    expect(EXCHANGES).toEqual({
      MODEL_EVENTS: 'model-service.model_events',
      MARKET_DATA: 'model-service.market_data',
      POSITION_EVENTS: 'model-service.position_events',
    });
  });

  it.each([
    [QUEUES.ORDER_EVENTS, 'order-manager.order_events.dlq'],
    [QUEUES.WS_TICKER, 'ws-gateway.ticker.dlq'],
    ['test.q-1a2b', 'test.q-1a2b.dlq'],
  ])('dead-letters %s to %s', (queue, dlq) => {
    expect(deadLetterQueueName(queue)).toBe(dlq);
  });
});

describe('queue ownership', () => {
  it.each([
    [QUEUES.WS_TICKER, true],
    [`it42.${QUEUES.ORDER_EVENTS}`, true],
    [`p1${QUEUES.POSITION_UPDATED}`, true],
    [QUEUES.TRADING_SIGNALS, true],
    [QUEUES.TRAINING_COMMANDS, false],
    [`${EXCHANGES.MODEL_EVENTS}.signal-generator`, false],
    ['test.consumer.abc', false],
  ])('%s shared with a neighbour: %s', (queue, shared) => {
    expect(isSharedQueue(queue)).toBe(shared);
  });

  it('names the dead-letter exchange after the queue', () => {
    expect(deadLetterExchangeName(QUEUES.TRAINING_COMMANDS)).toBe('model-service.training_commands.dlx');
  });
});

describe('consumedQueueNames', () => {
  it('lists every queue our apps consume (not the signals queue, which the order manager reads), with an optional prefix', () => {
    const consumed = QUEUE_CONTRACT.filter(([, , use]) => use === 'consumed').map(([, name]) => name);
    const expected = [...consumed, 'model-service.trading_signals.records'];
    expect(consumedQueueNames()).toEqual(expected);
    expect(consumedQueueNames('t1.')).toEqual(expected.map((q) => `t1.${q}`));
  });
});
