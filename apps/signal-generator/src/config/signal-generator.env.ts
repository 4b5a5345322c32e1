import { BaseServiceEnv, EnvBoolean, EnvNumber, EnvString } from '@model-service/util';
import { IsIn, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

import { IsTradingStrategies } from '../strategies/trading-strategies.validator';

/** Environment of the signal-generator app; every variable is listed with its default in .env.example. */
export class SignalGeneratorEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4701;


  /** SIGNAL_GENERATION_QUEUE_PREFIX is the old name of QUEUE_PREFIX. */
  static override readonly renamedVariables = { SIGNAL_GENERATION_QUEUE_PREFIX: 'QUEUE_PREFIX' };

  // --- strategies ------------------------------------------------------------------------------

  /**
   * JSON (array of strategies, or `{ "strategies": [...] }`), the path of a JSON file, or a comma-separated
   * list of strategy ids (the original service's form; each gets the default settings). Unset = built-in defaults.
   * Checked at start-up; a bad strategy stops the app naming the strategy and the field.
   */
  @EnvString({ optional: true }) @IsTradingStrategies()
  TRADING_STRATEGIES?: string;

  /** Assets of strategies given only by id (comma-separated). */
  @EnvString() @IsString() @Matches(/^[A-Z0-9]{2,20}(,[A-Z0-9]{2,20})*$/, { message: 'SIGNAL_GENERATION_DEFAULT_ASSETS must be a comma-separated list of symbols like BTCUSDT,ETHUSDT' })
  SIGNAL_GENERATION_DEFAULT_ASSETS = 'BTCUSDT,ETHUSDT';

  /** Warm-up signals (heuristics) while a strategy has no active model; false = such strategies stay idle. */
  @EnvBoolean()
  WARMUP_MODE_ENABLED = true;

  /** Default seconds between warm-up signals of one strategy and asset (a strategy's frequency_seconds overrides it). */
  @EnvNumber() @IsNumber() @Min(0.001, { message: 'WARMUP_SIGNAL_FREQUENCY must be > 0 seconds' }) @Max(86_400)
  WARMUP_SIGNAL_FREQUENCY = 60;

  /**
   * Seconds a strategy may stay in warm-up without a promoted model; after that it emits no warm-up signals
   * (a model promoted later still switches it to model mode). Counted from its first warm-up start, kept in
   * the database across restarts. Unset = unlimited; a strategy's warmup_max_duration_seconds overrides it.
   */
  @EnvNumber({ type: 'number', min: 1, max: 315_360_000, optional: true })
  WARMUP_MAX_DURATION_SECONDS?: number;

  // --- automatic asset selection ---------------------------------------------------------------

  /** Strategies without their own `assets` trade the pairs of the coins the account holds (account_balances). */
  @EnvBoolean()
  AUTO_SELECT_ASSETS = false;

  /** A coin is selected when its available balance is worth at least this many USDT (priced from market data). */
  @EnvNumber({ type: 'number', min: 0 })
  AUTO_SELECT_MIN_BALANCE_USDT = 10;

  /** Quote currencies (valued at par with USDT) each selected coin is paired with. */
  @EnvString() @IsString() @Matches(/^[A-Z0-9]{2,10}(,[A-Z0-9]{2,10})*$/, { message: 'AUTO_SELECT_QUOTE_CURRENCIES must be a comma-separated list like USDT,USDC,BUSD' })
  AUTO_SELECT_QUOTE_CURRENCIES = 'USDT,USDC,BUSD';

  /** Seconds a computed selection is reused before the balances are read again. */
  @EnvNumber({ type: 'number', min: 0.1, max: 86_400 })
  AUTO_SELECT_CACHE_TTL_SECONDS = 300;

  /** Traded when balances are missing, unreadable, or hold nothing worth the minimum. */
  @EnvString() @IsString() @Matches(/^[A-Z0-9]{2,20}(,[A-Z0-9]{2,20})*$/, { message: 'AUTO_SELECT_FALLBACK_ASSETS must be a comma-separated list of symbols like BTCUSDT,ETHUSDT' })
  AUTO_SELECT_FALLBACK_ASSETS = 'BTCUSDT,ETHUSDT';

  /** Seconds a held coin without a known price yet is waited for (its pairs are subscribed) before it is left out. */
  @EnvNumber({ type: 'number', min: 0, max: 3_600 })
  AUTO_SELECT_PRICE_WAIT_SECONDS = 30;

  // --- guards ----------------------------------------------------------------------------------

  /** Signals per minute the token bucket refills (global, and per strategy unless a strategy sets its own). */
  @EnvNumber() @IsNumber() @Min(0.001, { message: 'SIGNAL_GENERATION_RATE_LIMIT must be > 0 per minute' }) @Max(10_000_000)
  SIGNAL_GENERATION_RATE_LIMIT = 60;

  /** Signals the token bucket allows back to back (its capacity; 0 counts as 1). */
  @EnvNumber({ type: 'integer', min: 0, max: 10_000_000 })
  SIGNAL_GENERATION_BURST_ALLOWANCE = 10;

  @EnvBoolean()
  SIGNAL_GENERATION_SKIP_IF_OPEN_ORDER = true;

  @EnvBoolean()
  SIGNAL_GENERATION_CHECK_OPPOSITE_ORDERS_ONLY = false;

  /** Read account_balances and shrink or skip signals the account cannot pay for. */
  @EnvBoolean()
  SIGNAL_GENERATION_BALANCE_CHECK_ENABLED = true;

  /** Fraction of the available balance kept aside (fees, price moves); 0.02 = spend at most 98 %. */
  @EnvNumber({ type: 'number', min: 0, max: 0.99 })
  SIGNAL_GENERATION_BALANCE_SAFETY_MARGIN = 0.02;

  /** A BUY may grow the position to at most this fraction of (position value + available quote balance). */
  @EnvNumber({ type: 'number', min: 0.0001, max: 1 })
  MODEL_SERVICE_MAX_POSITION_SIZE_RATIO = 0.8;

  // --- market data -----------------------------------------------------------------------------

  /** Ticker / order book older than this (and klines older than this plus one interval) are stale: the signal is skipped. */
  @EnvNumber({ type: 'number', min: 0.1, max: 86_400 })
  MARKET_DATA_MAX_AGE_SECONDS = 60;

  /** Age of market data from its own timestamp (event_time) or from when it arrived here (receipt_time, for replays of old data). */
  @EnvString() @IsIn(['event_time', 'receipt_time'])
  MARKET_DATA_AGE_FROM: 'event_time' | 'receipt_time' = 'event_time';

  /** Kline interval the indicators are computed on unless a strategy sets kline_interval. */
  @EnvString() @IsIn(['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D', 'W', 'M'])
  MARKET_DATA_KLINE_INTERVAL = '1';

  /** Order book levels per side summed into orderbook_depth. */
  @EnvNumber({ type: 'integer', min: 1, max: 1000 })
  MARKET_DATA_DEPTH_LEVELS = 10;

  /**
   * Republish normalized market data on the model-service.market_data fanout exchange, so replicas that
   * are not the active consumer of ws-gateway.* (single active consumer) keep their cache current.
   */
  @EnvBoolean()
  MARKET_DATA_REPUBLISH_ENABLED = true;

  /** ws-gateway REST API, asked to subscribe the channels the strategies need; unset = not called. */
  @EnvString({ optional: true, httpUrl: true })
  WS_GATEWAY_URL?: string;

  @EnvString({ optional: true })
  WS_GATEWAY_API_KEY?: string;

  // --- scale-out -------------------------------------------------------------------------------

  /** How often a replica tries to take over strategies nobody owns (PostgreSQL advisory locks). */
  @EnvNumber({ type: 'number', min: 0.1, max: 300 })
  SIGNAL_GENERATION_OWNERSHIP_RETRY_SECONDS = 5;

  /** Replica id in logs, /health and signal metadata; unset = hostname-pid. */
  @EnvString() @IsOptional() @Matches(/^[A-Za-z0-9_.:-]{1,100}$/, { message: 'SIGNAL_GENERATION_REPLICA_ID may hold only letters, digits, _ . : -' })
  SIGNAL_GENERATION_REPLICA_ID?: string;

  // --- model mode ------------------------------------------------------------------------------

  /** Directory holding one sub-directory per model version (written by the trainer; read-only here). */
  @EnvString() @IsString() @MaxLength(1000)
  MODEL_STORAGE_PATH = './model-store';

  /** A model signal is published only when the model's calibrated P(profitable) for the chosen side is at least this. */
  @EnvNumber({ type: 'number', min: 0, max: 1 })
  MODEL_SIGNAL_MIN_CONFIDENCE = 0.55;

  /** Safety net besides the model events: seconds between reads of the active versions in model_versions. */
  @EnvNumber({ type: 'number', min: 1, max: 86_400 })
  MODEL_SYNC_INTERVAL_SECONDS = 30;

  /** Model mode: unrealized PnL % of the strategy's position above which a SELL closes it (take profit). */
  @EnvNumber({ type: 'number', min: 0.0001, max: 10_000 })
  MODEL_SERVICE_TAKE_PROFIT_PCT = 3.0;

  /**
   * Name of the model-events fanout exchange to bind to, when it must differ from
   * QUEUE_PREFIX + model-service.model_events (e.g. a publisher without the prefix).
   */
  @EnvString() @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,200}$/, { message: 'SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE may hold only letters, digits, _ . -' })
  SIGNAL_GENERATION_MODEL_EVENTS_EXCHANGE?: string;

  // --- position manager ------------------------------------------------------------------------

  /** position-manager REST API (GET /api/v1/positions/{asset}); unset = positions come from the positions table. */
  @EnvString({ optional: true, httpUrl: true })
  POSITION_MANAGER_URL?: string;

  /** X-API-Key sent to the position manager. */
  @EnvString({ optional: true })
  POSITION_MANAGER_API_KEY?: string;

  /** A position-manager request taking longer than this counts as unreachable (the positions table is used). */
  @EnvNumber({ type: 'integer', min: 10, max: 60_000 })
  POSITION_MANAGER_TIMEOUT_MS = 1_000;

  /** Cache position-manager answers (invalidated by position events). */
  @EnvBoolean()
  POSITION_CACHE_ENABLED = true;

  /** Seconds a cached position-manager answer stays valid. */
  @EnvNumber({ type: 'number', min: 0.001, max: 86_400 })
  POSITION_CACHE_TTL_SECONDS = 30;

  /** Most assets kept in the position cache (least recently used go first). */
  @EnvNumber({ type: 'integer', min: 1, max: 10_000_000 })
  POSITION_CACHE_MAX_SIZE = 1000;

  /**
   * Name of the position-events fanout exchange (position changes republished by exit-strategy), when it
   * must differ from QUEUE_PREFIX + model-service.position_events.
   */
  @EnvString() @IsOptional() @Matches(/^[A-Za-z0-9_.-]{1,200}$/, { message: 'SIGNAL_GENERATION_POSITION_EVENTS_EXCHANGE may hold only letters, digits, _ . -' })
  SIGNAL_GENERATION_POSITION_EVENTS_EXCHANGE?: string;
}
