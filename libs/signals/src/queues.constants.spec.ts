import { consumedQueueNames, deadLetterExchangeName, deadLetterQueueName, EXCHANGES, isSharedQueue, QUEUES } from './queues.constants';

describe('queue names', () => {
  it('match the names the neighbouring services publish to and read from', () => {
    expect(QUEUES).toEqual({
      TRADING_SIGNALS: 'model-service.trading_signals',
      ORDER_EVENTS: 'order-manager.order_events',
      POSITION_UPDATED: 'position-manager.position_updated',
      WS_TICKER: 'ws-gateway.ticker',
      WS_ORDERBOOK: 'ws-gateway.orderbook',
      WS_KLINE: 'ws-gateway.kline',
      TRAINING_COMMANDS: 'model-service.training_commands',
    });
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
    const expected = [
      'order-manager.order_events',
      'position-manager.position_updated',
      'ws-gateway.ticker',
      'ws-gateway.orderbook',
      'ws-gateway.kline',
      'model-service.training_commands',
      'model-service.trading_signals.records',
    ];
    expect(consumedQueueNames()).toEqual(expected);
    expect(consumedQueueNames('t1.')).toEqual(expected.map((q) => `t1.${q}`));
  });
});
