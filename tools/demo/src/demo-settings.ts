/** The apps the demo runs, in start order (the simulator first: it is everyone's neighbour). */
export const DEMO_APPS = ['exchange-simulator', 'trainer', 'exit-strategy', 'signal-generator', 'api-gateway'] as const;
export type DemoApp = (typeof DEMO_APPS)[number];

export const STANDARD_PORTS: Record<DemoApp, number> = {
  'api-gateway': 4700,
  'signal-generator': 4701,
  trainer: 4702,
  'exit-strategy': 4703,
  'exchange-simulator': 4704,
};

export interface DemoPlan {
  databaseUrl: string;
  rabbitUrl: string;
  ports: Record<DemoApp, number>;
  queuePrefix: string;
  modelDir: string;
  /** SIMULATOR_CANDLES_FILE, or null for the generator. */
  candles: string | null;
  /** Symbols traded (the generator's, or the candle files'). */
  assets: string[];
  speed: number;
  apiKey: string;
  initialBalanceUsdt: number;
}

/**
 * Variables the demo always sets itself (they wire the apps together); every other variable already in
 * the environment wins over the demo's setting, so `MODEL_QUALITY_THRESHOLD_ACCURACY=0.6 npm run demo`
 * tunes a run.
 */
export const WIRING_VARIABLES = new Set([
  'DATABASE_URL',
  'RABBITMQ_URL',
  'MODEL_SERVICE_PORT',
  'MODEL_SERVICE_SERVICE_NAME',
  'QUEUE_PREFIX',
  // The old names of QUEUE_PREFIX: a stale one in the user's environment must not reach an app.
  'SIMULATOR_QUEUE_PREFIX',
  'SIGNAL_GENERATION_QUEUE_PREFIX',
  'TRAINER_QUEUE_PREFIX',
  'EXIT_STRATEGY_QUEUE_PREFIX',
  'SIMULATOR_CANDLES_FILE',
  'SIMULATOR_SPEED',
  'POSITION_MANAGER_URL',
  'WS_GATEWAY_URL',
  'SIGNAL_GENERATOR_URL',
  'TRAINER_URL',
  'EXIT_STRATEGY_URL',
  'MODEL_STORAGE_PATH',
  'LOG_FORMAT',
]);

/** The demo's promotion gate: smaller validation sets and a lower accuracy floor than production's 200 rows / 0.75. */
export const DEMO_MIN_VALIDATION_ROWS = 60;
export const DEMO_ACCURACY_THRESHOLD = 0.55;
/** A quarter of each run's rows are held out (production: a fifth), so early runs reach the gate's row count. */
export const DEMO_VALIDATION_FRACTION = 0.25;

/**
 * Three warm-up strategies (one per heuristic) on every asset, signalling every second per asset: with
 * 10 candles a second that is a decision every 10 simulated minutes, and enough executions within a
 * five-minute run for retraining at 200, 400, 600 ... executions of a strategy.
 */
export function demoStrategies(assets: string[]): Array<Record<string, unknown>> {
  const common = { assets, frequency_seconds: 1, min_amount: 50, max_amount: 600, risk: { rate_limit_per_minute: 600, burst_allowance: 30 } };
  return [
    { id: 'momentum_v1', heuristic: 'momentum', randomness: 0.2, ...common },
    { id: 'mean_reversion_v1', heuristic: 'mean_reversion', randomness: 0.2, ...common },
    { id: 'random_explorer_v1', heuristic: 'random', randomness: 1, ...common },
  ];
}

/**
 * Each app's demo environment: the simulator at `speed` candles per second, fast warm-up signals, a small
 * MODEL_TRAINING_MIN_DATASET_SIZE with data-threshold retraining, tight exit rules so exits of several kinds
 * happen within minutes, a model store under tmp/. The promotion threshold stays at its default.
 */
export function demoEnvironments(plan: DemoPlan): Record<DemoApp, Record<string, string>> {
  const url = (app: DemoApp) => `http://127.0.0.1:${plan.ports[app]}`;
  const p = plan.queuePrefix;
  const common = (app: DemoApp): Record<string, string> => ({
    DATABASE_URL: plan.databaseUrl,
    RABBITMQ_URL: plan.rabbitUrl,
    MODEL_SERVICE_PORT: String(plan.ports[app]),
    MODEL_SERVICE_SERVICE_NAME: app,
    ...(p ? { QUEUE_PREFIX: p } : {}),
    LOG_FORMAT: 'json',
    NODE_ENV: 'development',
  });
  return {
    'exchange-simulator': {
      ...common('exchange-simulator'),
      ...(plan.candles ? { SIMULATOR_CANDLES_FILE: plan.candles } : { SIMULATOR_ASSETS: plan.assets.join(',') }),
      SIMULATOR_SPEED: String(plan.speed),
      SIMULATOR_INITIAL_BALANCES: `USDT=${plan.initialBalanceUsdt}`,
      SIMULATOR_POSITION_UPDATE_INTERVAL_MS: '500',
      POSITION_MANAGER_API_KEY: plan.apiKey,
      WS_GATEWAY_API_KEY: plan.apiKey,
    },
    trainer: {
      ...common('trainer'),
      MODEL_STORAGE_PATH: plan.modelDir,
      MODEL_TRAINING_MIN_DATASET_SIZE: '100',
      MODEL_TRAINING_DATA_THRESHOLD: '200',
      MODEL_TRAINING_EPOCHS: '40',
      MODEL_TRAINING_BATCH_SIZE: '64',
      MODEL_TRAINING_LEARNING_RATE: '0.005',
      MODEL_TRAINING_MAX_DURATION_SECONDS: '120',
      // Labels: the price move over 10 one-minute candles of simulated time (executions carry simulated
      // time). The embargo is on signal (wall-clock) time, where 10 candles pass in about a second.
      MODEL_TRAINING_LABEL_HORIZON_SECONDS: '600',
      MODEL_TRAINING_EMBARGO_SECONDS: '2',
      // A short demo cannot collect 1000 rows: the gate judges smaller validation sets (said at start).
      MODEL_PROMOTION_MIN_VALIDATION_ROWS: String(DEMO_MIN_VALIDATION_ROWS),
      MODEL_TRAINING_VALIDATION_FRACTION: String(DEMO_VALIDATION_FRACTION),
      MODEL_QUALITY_THRESHOLD_ACCURACY: String(DEMO_ACCURACY_THRESHOLD),
      MODEL_QUALITY_CHECK_INTERVAL_SECONDS: '15',
      MODEL_QUALITY_CHECK_MIN_SAMPLES: '30',
    },
    'exit-strategy': {
      ...common('exit-strategy'),
      POSITION_MANAGER_URL: url('exchange-simulator'),
      POSITION_MANAGER_API_KEY: plan.apiKey,
      EXIT_STRATEGY_COOLDOWN_SECONDS: '2',
      EXIT_STRATEGY_RATE_LIMIT: '60',
      EXIT_STRATEGY_FALLBACK_AFTER_SECONDS: '30',
      TAKE_PROFIT_THRESHOLD_PCT: '1.2',
      TAKE_PROFIT_PARTIAL_EXIT: 'true',
      TAKE_PROFIT_PARTIAL_AMOUNT_PCT: '50',
      TAKE_PROFIT_SECOND_THRESHOLD_PCT: '2.5',
      STOP_LOSS_THRESHOLD_PCT: '1.0',
      TRAILING_STOP_ENABLED: 'true',
      TRAILING_STOP_ACTIVATION_PCT: '0.6',
      TRAILING_STOP_DISTANCE_PCT: '0.4',
      TIME_BASED_EXIT_ENABLED: 'true',
      TIME_BASED_EXIT_MAX_HOURS: '3',
      TIME_BASED_EXIT_PROFIT_TARGET_PCT: '0.3',
    },
    'signal-generator': {
      ...common('signal-generator'),
      TRADING_STRATEGIES: JSON.stringify(demoStrategies(plan.assets)),
      SIGNAL_GENERATION_DEFAULT_ASSETS: plan.assets.join(','),
      SIGNAL_GENERATION_RATE_LIMIT: '600',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '50',
      // Replayed market data carries simulated time: judge its age by when it arrived.
      MARKET_DATA_AGE_FROM: 'receipt_time',
      MARKET_DATA_MAX_AGE_SECONDS: '30',
      WS_GATEWAY_URL: url('exchange-simulator'),
      WS_GATEWAY_API_KEY: plan.apiKey,
      MODEL_STORAGE_PATH: plan.modelDir,
    },
    'api-gateway': {
      ...common('api-gateway'),
      MODEL_SERVICE_API_KEY: plan.apiKey,
      MODEL_STORAGE_PATH: plan.modelDir,
      SIGNAL_GENERATOR_URL: url('signal-generator'),
      // The dashboard's Apps panel asks every app's /health through the gateway.
      TRAINER_URL: url('trainer'),
      EXIT_STRATEGY_URL: url('exit-strategy'),
    },
  };
}

/** The demo's setting, unless the user's environment sets the variable (wiring variables always come from the demo). */
export function withUserOverrides(demo: Record<string, string>, userEnv: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = { ...demo };
  for (const [key, value] of Object.entries(userEnv)) {
    if (value === undefined || WIRING_VARIABLES.has(key)) continue;
    if (key in demo) out[key] = value;
  }
  return out;
}
