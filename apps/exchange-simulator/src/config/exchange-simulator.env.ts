import { BaseServiceEnv, EnvNumber, EnvString } from '@model-service/util';
import { IsIn, IsOptional, Matches } from 'class-validator';

/**
 * Environment of the exchange-simulator app (a stand-in for ws-gateway, order-manager and
 * position-manager); every variable is listed with its default in .env.example.
 */
export class ExchangeSimulatorEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4704;


  /** SIMULATOR_QUEUE_PREFIX is the old name of QUEUE_PREFIX. */
  static override readonly renamedVariables = { SIMULATOR_QUEUE_PREFIX: 'QUEUE_PREFIX' };

  // --- market -----------------------------------------------------------------------------------

  /**
   * CSV candles to replay instead of the built-in generator: `path`, `SYMBOL=path`, or several of
   * those comma-separated. Layout: open time, open, high, low, close, volume[, turnover]; header
   * optional; times in ms or s. Without SYMBOL= the symbol comes from the file name (BTCUSDT-1m.csv).
   */
  @EnvString({ optional: true })
  SIMULATOR_CANDLES_FILE?: string;

  /** Assets of the built-in generator (comma-separated; known: BTCUSDT, ETHUSDT, SOLUSDT, others get generic parameters). */
  @EnvString() @Matches(/^[A-Z0-9]{2,20}(,[A-Z0-9]{2,20})*$/, { message: 'SIMULATOR_ASSETS must be a comma-separated list of symbols like BTCUSDT,ETHUSDT' })
  SIMULATOR_ASSETS = 'BTCUSDT,ETHUSDT,SOLUSDT';

  /** Seed of the built-in generator: the same seed gives the same market. */
  @EnvNumber({ type: 'integer', min: 0, max: 2 ** 31 - 1 })
  SIMULATOR_SEED = 42;

  /** Kline interval of the built-in generator (a Bybit interval: 1, 3, 5, 15, 30, 60, ... minutes). */
  @EnvString() @IsIn(['1', '3', '5', '15', '30', '60', '120', '240', '360', '720', 'D'])
  SIMULATOR_KLINE_INTERVAL = '1';

  /** Simulated time of the generator's first candle (ISO 8601); unset = now, floored to the interval. */
  @EnvString() @IsOptional() @Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, { message: 'SIMULATOR_START_TIME must be an ISO 8601 date-time with a zone, e.g. 2024-01-01T00:00:00Z' })
  SIMULATOR_START_TIME?: string;

  /** Replay speed: candles per second (e.g. 10), or `realtime` (one candle per candle interval). */
  @EnvString() @Matches(/^(realtime|\d{1,5}(\.\d{1,6})?)$/, { message: 'SIMULATOR_SPEED must be a number of candles per second (> 0) or "realtime"' })
  SIMULATOR_SPEED = '10';

  /** Price updates (ticker + order book) per candle, along open → high/low → low/high → close. */
  @EnvNumber({ type: 'integer', min: 1, max: 60 })
  SIMULATOR_TICKS_PER_CANDLE = 4;

  /** Bid-ask spread synthesised around the price, in basis points (widens with volatility). */
  @EnvNumber({ type: 'number', min: 0.1, max: 500 })
  SIMULATOR_SPREAD_BPS = 2;

  /**
   * Pause the market while a consumer of an output queue (market data, executions, position updates)
   * has more than this many messages waiting, so simulated time never races ahead of the apps on a busy
   * machine; queues without consumers are not waited for. 0 = never pause.
   */
  @EnvNumber({ type: 'integer', min: 0, max: 10_000_000 })
  SIMULATOR_MAX_CONSUMER_BACKLOG = 1_000;

  /** Order book levels per side in each orderbook message. */
  @EnvNumber({ type: 'integer', min: 1, max: 200 })
  SIMULATOR_ORDERBOOK_LEVELS = 25;

  // --- order manager ----------------------------------------------------------------------------

  /** Fee per fill as a fraction of its notional (0.001 = 0.1 %, Bybit spot taker). */
  @EnvNumber({ type: 'number', min: 0, max: 0.05 })
  SIMULATOR_FEE_RATE = 0.001;

  /** Slippage beyond half the spread, in basis points, for an order as large as the top-of-book depth. */
  @EnvNumber({ type: 'number', min: 0, max: 1000 })
  SIMULATOR_SLIPPAGE_BPS = 1;

  /** Balances the account starts with (COIN=amount, comma-separated), written when a coin has no balance row yet. */
  @EnvString() @Matches(/^[A-Z0-9]{2,20}=\d+(\.\d+)?(,[A-Z0-9]{2,20}=\d+(\.\d+)?)*$/, { message: 'SIMULATOR_INITIAL_BALANCES must look like USDT=100000 or USDT=100000,BTC=0.5' })
  SIMULATOR_INITIAL_BALANCES = 'USDT=100000';

  // --- position manager -------------------------------------------------------------------------

  /** At most one price-move position update per open position per this many milliseconds (fills always publish). */
  @EnvNumber({ type: 'integer', min: 0, max: 3_600_000 })
  SIMULATOR_POSITION_UPDATE_INTERVAL_MS = 1_000;

  /** X-API-Key required on GET /api/v1/positions/{asset} (the key exit-strategy sends); unset = no check. */
  @EnvString({ optional: true })
  POSITION_MANAGER_API_KEY?: string;

  /** X-API-Key required on POST /api/v1/subscriptions (the key signal-generator sends); unset = no check. */
  @EnvString({ optional: true })
  WS_GATEWAY_API_KEY?: string;
}
