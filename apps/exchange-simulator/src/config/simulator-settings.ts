import { CandleSource, loadReplaySource, SyntheticCandleSource, parseCandleFileSpecs, intervalMs } from '@model-service/candles';
import { topology, Topology } from '@model-service/signals';

import { ExchangeSimulatorEnv } from './exchange-simulator.env';

/** The simulator's configuration in the shapes its parts use (parsed once from the validated environment). */
export interface SimulatorSettings {
  queues: Topology;
  /** Candles per second, or null for real time (one candle per candle interval). */
  candlesPerSecond: number | null;
  ticksPerCandle: number;
  spreadBps: number;
  orderbookLevels: number;
  maxConsumerBacklog: number;
  feeRate: number;
  slippageBps: number;
  initialBalances: Record<string, number>;
  positionUpdateIntervalMs: number;
  positionsApiKey?: string;
  subscriptionsApiKey?: string;
}

export const SIMULATOR_SETTINGS = Symbol('SIMULATOR_SETTINGS');

export function parseBalances(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of value.split(',')) {
    const [coin, amount] = entry.split('=');
    out[coin.trim()] = Number(amount);
  }
  return out;
}

export function simulatorSettings(env: ExchangeSimulatorEnv): SimulatorSettings {
  const speed = env.SIMULATOR_SPEED === 'realtime' ? null : Number(env.SIMULATOR_SPEED);
  if (speed !== null && !(speed > 0)) throw new Error('SIMULATOR_SPEED must be > 0 candles per second or "realtime"');
  return {
    queues: topology(env.QUEUE_PREFIX),
    candlesPerSecond: speed,
    ticksPerCandle: env.SIMULATOR_TICKS_PER_CANDLE,
    spreadBps: env.SIMULATOR_SPREAD_BPS,
    orderbookLevels: env.SIMULATOR_ORDERBOOK_LEVELS,
    maxConsumerBacklog: env.SIMULATOR_MAX_CONSUMER_BACKLOG,
    feeRate: env.SIMULATOR_FEE_RATE,
    slippageBps: env.SIMULATOR_SLIPPAGE_BPS,
    initialBalances: parseBalances(env.SIMULATOR_INITIAL_BALANCES),
    positionUpdateIntervalMs: env.SIMULATOR_POSITION_UPDATE_INTERVAL_MS,
    positionsApiKey: env.POSITION_MANAGER_API_KEY,
    subscriptionsApiKey: env.WS_GATEWAY_API_KEY,
  };
}

/**
 * The market to replay: the candle files when SIMULATOR_CANDLES_FILE is set (read and checked now, so a
 * bad file stops start-up naming file and line), else the seeded generator starting at
 * SIMULATOR_START_TIME (default: now, floored to the interval).
 */
export function candleSourceFrom(env: ExchangeSimulatorEnv, now = Date.now()): CandleSource {
  if (env.SIMULATOR_CANDLES_FILE) return loadReplaySource(parseCandleFileSpecs(env.SIMULATOR_CANDLES_FILE));
  const ms = intervalMs(env.SIMULATOR_KLINE_INTERVAL);
  const start = env.SIMULATOR_START_TIME ? Date.parse(env.SIMULATOR_START_TIME) : Math.floor(now / ms) * ms;
  return new SyntheticCandleSource(env.SIMULATOR_ASSETS.split(','), env.SIMULATOR_KLINE_INTERVAL, env.SIMULATOR_SEED, start);
}
