import { topology } from './topology';

describe('topology', () => {
  it('production names without a prefix', () => {
    expect(topology()).toEqual({
      ticker: 'ws-gateway.ticker',
      orderbook: 'ws-gateway.orderbook',
      kline: 'ws-gateway.kline',
      tradingSignals: 'model-service.trading_signals',
      orderEvents: 'order-manager.order_events',
      positionUpdated: 'position-manager.position_updated',
      trainingCommands: 'model-service.training_commands',
      signalFanoutExchange: 'model-service.trading_signals.fanout',
      signalRecords: 'model-service.trading_signals.records',
      marketDataExchange: 'model-service.market_data',
      marketDataReplicaQueue: 'model-service.market_data.signal-generator',
      modelEventsExchange: 'model-service.model_events',
      modelEventsReplicaQueue: 'model-service.model_events.signal-generator',
      positionEventsExchange: 'model-service.position_events',
      positionEventsReplicaQueue: 'model-service.position_events.signal-generator',
    });
  });

  it('prefixes every queue and exchange, the ones it binds included', () => {
    const n = topology('t1.');
    expect(Object.values(n).every((name) => name.startsWith('t1.'))).toBe(true);
    expect(n.positionUpdated).toBe('t1.position-manager.position_updated');
  });

  it('an exchange override names the exchange outright; the private queues (and their dead-letter queues) stay prefixed', () => {
    const n = topology('t2.', { modelEventsExchange: 'model-service.model_events', positionEventsExchange: 'other.position_events' });
    expect(n).toMatchObject({
      modelEventsExchange: 'model-service.model_events',
      modelEventsReplicaQueue: 't2.model-service.model_events.signal-generator',
      positionEventsExchange: 'other.position_events',
      positionEventsReplicaQueue: 't2.model-service.position_events.signal-generator',
      marketDataExchange: 't2.model-service.market_data',
    });
  });
});
