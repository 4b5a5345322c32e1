/** Warm-up heuristics a strategy can use while it has no model. */
export const HEURISTICS = ['momentum', 'mean_reversion', 'random'] as const;
export type Heuristic = (typeof HEURISTICS)[number];

/**
 * What makes a strategy decide: `schedule` = a timer every frequency_seconds per asset;
 * `market_data` = each ticker of the asset, at most once per frequency_seconds.
 */
export const TRIGGERS = ['schedule', 'market_data'] as const;
export type Trigger = (typeof TRIGGERS)[number];

export const KLINE_INTERVAL_VALUES = ['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D', 'W', 'M'] as const;

export interface StrategyRiskLimits {
  /** A BUY may grow the position to at most this fraction of (position value + available quote balance). */
  max_position_size_ratio: number;
  /** This strategy's own token bucket: refill per minute and capacity. */
  rate_limit_per_minute: number;
  burst_allowance: number;
  /** Fraction of the available balance kept aside when sizing. */
  balance_safety_margin: number;
}

/** One strategy after validation, every default filled in. */
export interface StrategyConfig {
  id: string;
  assets: string[];
  /** The strategy lists its own assets: the automatic asset selection does not apply to it. */
  assets_pinned: boolean;
  /** Seconds of warm-up without a promoted model after which it emits no warm-up signals; null = unlimited. */
  warmup_max_duration_seconds: number | null;
  heuristic: Heuristic;
  /** 0..1: probability that a decision explores (side drawn by the balanced sampler) instead of following the heuristic. */
  randomness: number;
  /** Seconds between signals of one asset. */
  frequency_seconds: number;
  /** Quote-currency amount bounds of a signal. */
  min_amount: number;
  max_amount: number;
  trigger: Trigger;
  kline_interval: string;
  risk: StrategyRiskLimits;
  enabled: boolean;
  /** May SELL without holding a position of its own (the exchange account allows shorts); default false. */
  short_selling: boolean;
}

/** Values a strategy takes when it does not set them (from the environment). */
export interface StrategyDefaults {
  frequencySeconds: number;
  assets: string[];
  klineInterval: string;
  maxPositionSizeRatio: number;
  rateLimitPerMinute: number;
  burstAllowance: number;
  balanceSafetyMargin: number;
  minAmount: number;
  maxAmount: number;
  warmupMaxDurationSeconds: number | null;
}

export const DEFAULT_MIN_AMOUNT = 10;
export const DEFAULT_MAX_AMOUNT = 100;

/** The environment fields the defaults come from (a SignalGeneratorEnv, or a partial one while it is validated). */
export interface StrategyDefaultsSource {
  WARMUP_SIGNAL_FREQUENCY?: unknown;
  SIGNAL_GENERATION_DEFAULT_ASSETS?: unknown;
  MARKET_DATA_KLINE_INTERVAL?: unknown;
  MODEL_SERVICE_MAX_POSITION_SIZE_RATIO?: unknown;
  SIGNAL_GENERATION_RATE_LIMIT?: unknown;
  SIGNAL_GENERATION_BURST_ALLOWANCE?: unknown;
  SIGNAL_GENERATION_BALANCE_SAFETY_MARGIN?: unknown;
  WARMUP_MAX_DURATION_SECONDS?: unknown;
}

function num(v: unknown, fallback: number, ok: (n: number) => boolean): number {
  return typeof v === 'number' && Number.isFinite(v) && ok(v) ? v : fallback;
}

/**
 * Strategy defaults from the environment. A bad environment value is reported under its own name by
 * the env validation, so here it falls back to the built-in default instead of failing twice.
 */
export function strategyDefaultsFrom(env: StrategyDefaultsSource): StrategyDefaults {
  const assets =
    typeof env.SIGNAL_GENERATION_DEFAULT_ASSETS === 'string' && /^[A-Z0-9]{2,20}(,[A-Z0-9]{2,20})*$/.test(env.SIGNAL_GENERATION_DEFAULT_ASSETS)
      ? env.SIGNAL_GENERATION_DEFAULT_ASSETS.split(',')
      : ['BTCUSDT', 'ETHUSDT'];
  const interval = (KLINE_INTERVAL_VALUES as readonly unknown[]).includes(env.MARKET_DATA_KLINE_INTERVAL)
    ? (env.MARKET_DATA_KLINE_INTERVAL as string)
    : '1';
  return {
    frequencySeconds: num(env.WARMUP_SIGNAL_FREQUENCY, 60, (n) => n > 0),
    assets,
    klineInterval: interval,
    maxPositionSizeRatio: num(env.MODEL_SERVICE_MAX_POSITION_SIZE_RATIO, 0.8, (n) => n > 0 && n <= 1),
    rateLimitPerMinute: num(env.SIGNAL_GENERATION_RATE_LIMIT, 60, (n) => n > 0),
    burstAllowance: num(env.SIGNAL_GENERATION_BURST_ALLOWANCE, 10, (n) => n >= 0),
    balanceSafetyMargin: num(env.SIGNAL_GENERATION_BALANCE_SAFETY_MARGIN, 0.02, (n) => n >= 0 && n < 1),
    minAmount: DEFAULT_MIN_AMOUNT,
    maxAmount: DEFAULT_MAX_AMOUNT,
    warmupMaxDurationSeconds: typeof env.WARMUP_MAX_DURATION_SECONDS === 'number' && env.WARMUP_MAX_DURATION_SECONDS >= 1 ? env.WARMUP_MAX_DURATION_SECONDS : null,
  };
}

/** Strategies used when TRADING_STRATEGIES is unset: one per heuristic on the default assets. */
export function builtInStrategies(): Array<Record<string, unknown>> {
  return [
    { id: 'momentum_v1', heuristic: 'momentum', randomness: 0.1 },
    { id: 'mean_reversion_v1', heuristic: 'mean_reversion', randomness: 0.1 },
    { id: 'random_explorer_v1', heuristic: 'random', randomness: 1 },
  ];
}

/** Heuristic for a strategy given only by id (the original service's comma-separated TRADING_STRATEGIES). */
export function heuristicFromId(id: string): Heuristic {
  const lower = id.toLowerCase();
  if (/revers/.test(lower)) return 'mean_reversion';
  if (/momentum|trend/.test(lower)) return 'momentum';
  return 'random';
}
