import { queueNamesFromEnv } from './queue-names';

describe('queueNamesFromEnv', () => {
  it('production names without a prefix', () => {
    expect(queueNamesFromEnv({})).toMatchObject({
      ticker: 'ws-gateway.ticker',
      tradingSignals: 'model-service.trading_signals',
      modelEventsExchange: 'model-service.model_events',
      modelEventsReplicaQueue: 'model-service.model_events.signal-generator',
      positionEventsExchange: 'model-service.position_events',
      positionEventsReplicaQueue: 'model-service.position_events.signal-generator',
    });
  });

  it('prefixes every queue and exchange, the ones it binds included', () => {
    const n = queueNamesFromEnv({ SIGNAL_GENERATION_QUEUE_PREFIX: 't1.' });
    expect(Object.values(n).every((name) => name.startsWith('t1.'))).toBe(true);
  });

  it('an exchange override names the exchange outright; the private queues (and their dead-letter queues) stay prefixed', () => {
    const n = queueNamesFromEnv({
      SIGNAL_GENERATION_QUEUE_PREFIX: 't2.',
      SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE: 'model-service.model_events',
      SIGNAL_GENERATION_POSITION_EVENTS_EXCHANGE: 'other.position_events',
    });
    expect(n).toMatchObject({
      modelEventsExchange: 'model-service.model_events',
      modelEventsReplicaQueue: 't2.model-service.model_events.signal-generator',
      positionEventsExchange: 'other.position_events',
      positionEventsReplicaQueue: 't2.model-service.position_events.signal-generator',
      marketDataExchange: 't2.model-service.market_data',
    });
  });
});
