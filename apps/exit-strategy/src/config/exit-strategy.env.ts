import { BaseServiceEnv, EnvBoolean, EnvNumber, EnvString } from '@model-service/util';
import { IsString, MaxLength } from 'class-validator';

import { ExitRuleSetting } from './exit-rule-setting.validator';

/**
 * Environment of the exit-strategy app; every variable is listed with its default in .env.example.
 * The rule variables are also checked together by @model-service/exit-rules (`validateExitRulesConfig`),
 * and a problem found there is reported under the variable's name (see ExitRuleSetting).
 */
export class ExitStrategyEnv extends BaseServiceEnv {
  override MODEL_SERVICE_PORT = 4703;


  // --- service ---------------------------------------------------------------------------------

  /** false: updates are still consumed, republished and closed positions cleared, but no rule runs. */
  @EnvBoolean()
  EXIT_STRATEGY_ENABLED = true;

  /** Most exit signals per asset per EXIT_STRATEGY_RATE_LIMIT_WINDOW_SECONDS (0 = no per-asset cap). */
  @EnvNumber({ type: 'integer', min: 0, max: 100_000 })
  EXIT_STRATEGY_RATE_LIMIT = 10;

  @EnvNumber({ type: 'integer', min: 1, max: 86_400 })
  EXIT_STRATEGY_RATE_LIMIT_WINDOW_SECONDS = 60;

  /** At most one exit signal per position per this many seconds (0 = no cooldown). */
  @EnvNumber({ type: 'number', min: 0, max: 86_400 })
  EXIT_STRATEGY_COOLDOWN_SECONDS = 60;

  /** Leading-edge debounce: a quiet position's first update is evaluated at once; later ones within this window coalesce into one evaluation of the newest (0 = next tick). */
  @EnvNumber({ type: 'integer', min: 0, max: 60_000 })
  EXIT_STRATEGY_DEBOUNCE_MS = 10;

  /** No position update for this long (or the consumer disconnected) → evaluate from the positions table / API. */
  @EnvNumber({ type: 'number', min: 1, max: 86_400 })
  EXIT_STRATEGY_FALLBACK_AFTER_SECONDS = 60;

  /** How often the fallback evaluates while degraded (and how often the degradation is checked). */
  @EnvNumber({ type: 'number', min: 0.05, max: 3_600 })
  EXIT_STRATEGY_FALLBACK_INTERVAL_SECONDS = 10;

  /** strategy_id of exit signals for positions that have none (TradingSignal requires one). */
  @EnvString() @IsString() @MaxLength(100)
  EXIT_STRATEGY_DEFAULT_STRATEGY_ID = 'exit-strategy';

  /** EXIT_STRATEGY_QUEUE_PREFIX is the old name of QUEUE_PREFIX. */
  static override readonly renamedVariables = { EXIT_STRATEGY_QUEUE_PREFIX: 'QUEUE_PREFIX' };

  // --- position manager (fallback) -------------------------------------------------------------

  /** position-manager REST API (GET /api/v1/positions/{asset}); unset = not called. */
  @EnvString({ optional: true, httpUrl: true })
  POSITION_MANAGER_URL?: string;

  @EnvString({ optional: true })
  POSITION_MANAGER_API_KEY?: string;

  @EnvNumber({ type: 'integer', min: 100, max: 60_000 })
  POSITION_MANAGER_TIMEOUT_MS = 2_000;

  // --- rules (names kept from the original service) ---------------------------------------------

  @EnvBoolean()
  TAKE_PROFIT_ENABLED = true;

  @ExitRuleSetting('takeProfit.thresholdPct')
  TAKE_PROFIT_THRESHOLD_PCT = 3.0;

  @EnvBoolean()
  TAKE_PROFIT_PARTIAL_EXIT = false;

  @ExitRuleSetting('takeProfit.partialAmountPct')
  TAKE_PROFIT_PARTIAL_AMOUNT_PCT = 50.0;

  /** After a partial take profit, the rest exits at this pnl% (or earlier by the trailing stop). */
  @ExitRuleSetting('takeProfit.secondThresholdPct')
  TAKE_PROFIT_SECOND_THRESHOLD_PCT = 6.0;

  @EnvBoolean()
  STOP_LOSS_ENABLED = true;

  @ExitRuleSetting('stopLoss.thresholdPct')
  STOP_LOSS_THRESHOLD_PCT = 2.0;

  @EnvBoolean()
  TRAILING_STOP_ENABLED = false;

  @ExitRuleSetting('trailingStop.activationPct')
  TRAILING_STOP_ACTIVATION_PCT = 2.0;

  @ExitRuleSetting('trailingStop.distancePct')
  TRAILING_STOP_DISTANCE_PCT = 1.0;

  @EnvBoolean()
  TIME_BASED_EXIT_ENABLED = false;

  @ExitRuleSetting('timeBased.maxHours')
  TIME_BASED_EXIT_MAX_HOURS = 24;

  @ExitRuleSetting('timeBased.profitTargetPct')
  TIME_BASED_EXIT_PROFIT_TARGET_PCT = 1.0;

  /** Lowers the time-based target by this many pnl-% points per hour held beyond the max (0 = off). */
  @ExitRuleSetting('timeBased.decayPerHourPct')
  TIME_BASED_EXIT_DECAY_PER_HOUR_PCT = 0;
}
