import { validateEnv } from '@model-service/util';

import { candleSourceFrom, parseBalances, simulatorSettings } from './simulator-settings';
import { ExchangeSimulatorEnv } from './exchange-simulator.env';

describe('ExchangeSimulatorEnv', () => {
  it('has working defaults: generator on BTC/ETH/SOL at 10 candles/s, 100k USDT', () => {
    const env = validateEnv(ExchangeSimulatorEnv, {});
    const s = simulatorSettings(env);
    expect(env.MODEL_SERVICE_PORT).toBe(4704);
    expect(s.candlesPerSecond).toBe(10);
    expect(s.initialBalances).toEqual({ USDT: 100_000 });
    expect(s.queues.tradingSignals).toBe('model-service.trading_signals');
    const src = candleSourceFrom(env, Date.UTC(2024, 0, 1, 0, 0, 42));
    expect(src.kind).toBe('synthetic');
    expect(src.assets).toEqual(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    expect(src.startTime).toBe(Date.UTC(2024, 0, 1)); // floored to the minute
  });

  it('reads realtime speed, a queue prefix, a start time and balances', () => {
    const env = validateEnv(ExchangeSimulatorEnv, {
      SIMULATOR_SPEED: 'realtime',
      SIMULATOR_QUEUE_PREFIX: 'e2e.x.',
      SIMULATOR_START_TIME: '2030-05-01T10:00:00Z',
      SIMULATOR_INITIAL_BALANCES: 'USDT=5000,BTC=0.5',
    });
    const s = simulatorSettings(env);
    expect(s.candlesPerSecond).toBeNull();
    expect(s.queues.orderEvents).toBe('e2e.x.order-manager.order_events');
    expect(candleSourceFrom(env).startTime).toBe(Date.UTC(2030, 4, 1, 10));
    expect(parseBalances('USDT=5000,BTC=0.5')).toEqual({ USDT: 5000, BTC: 0.5 });
  });

  it.each([
    ['SIMULATOR_SPEED', 'fast'],
    ['SIMULATOR_SPEED', '-1'],
    ['SIMULATOR_TICKS_PER_CANDLE', '0'],
    ['SIMULATOR_FEE_RATE', '0.5'],
    ['SIMULATOR_INITIAL_BALANCES', 'USDT:100'],
    ['SIMULATOR_ASSETS', 'btcusdt'],
    ['SIMULATOR_KLINE_INTERVAL', '2'],
    ['SIMULATOR_START_TIME', 'yesterday'],
    ['SIMULATOR_QUEUE_PREFIX', 'a b'],
  ])('refuses %s=%s naming the variable', (name, value) => {
    expect(() => validateEnv(ExchangeSimulatorEnv, { [name]: value })).toThrow(name);
  });

  it('refuses a speed of 0 candles per second', () => {
    expect(() => simulatorSettings(validateEnv(ExchangeSimulatorEnv, { SIMULATOR_SPEED: '0' }))).toThrow('SIMULATOR_SPEED');
  });

  it('a missing candle file stops start-up naming it', () => {
    const env = validateEnv(ExchangeSimulatorEnv, { SIMULATOR_CANDLES_FILE: '/nonexistent/BTCUSDT-1m.csv' });
    expect(() => candleSourceFrom(env)).toThrow('cannot read candle file /nonexistent/BTCUSDT-1m.csv');
  });
});
