/**
 * Parameters of the four exit rules. Every percentage is in percent units of the position's
 * unrealized PnL (3.0 means +3 %), except `partialAmountPct` (share of the position to sell) and
 * `trailingStop.distancePct` (distance below the peak price).
 *
 * The env names the app maps onto these fields (kept from the original service):
 * TAKE_PROFIT_ENABLED, TAKE_PROFIT_THRESHOLD_PCT, TAKE_PROFIT_PARTIAL_EXIT,
 * TAKE_PROFIT_PARTIAL_AMOUNT_PCT, STOP_LOSS_ENABLED, STOP_LOSS_THRESHOLD_PCT,
 * TRAILING_STOP_ENABLED, TRAILING_STOP_ACTIVATION_PCT, TRAILING_STOP_DISTANCE_PCT,
 * TIME_BASED_EXIT_ENABLED, TIME_BASED_EXIT_MAX_HOURS, TIME_BASED_EXIT_PROFIT_TARGET_PCT.
 */
export interface ExitRulesConfig {
  takeProfit: {
    enabled: boolean;
    /** pnl% ≥ this (inclusive) fires take profit: the full position, or the partial share first. */
    thresholdPct: number;
    /** When true the first threshold sells `partialAmountPct` % once; the rest exits later. */
    partialExit: boolean;
    /** Share of the position sold by the partial exit, 0 < x ≤ 100. */
    partialAmountPct: number;
    /**
     * After the partial exit, the remainder exits in full at pnl% ≥ this (inclusive) — or earlier
     * through the trailing stop. Must be ≥ `thresholdPct`. Ignored when `partialExit` is false.
     */
    secondThresholdPct: number;
  };
  stopLoss: {
    enabled: boolean;
    /** pnl% ≤ −this (inclusive) sells everything. Positive number: 2.0 means −2 %. */
    thresholdPct: number;
  };
  trailingStop: {
    enabled: boolean;
    /** The trailing stop arms once pnl% ≥ this (inclusive) and stays armed. */
    activationPct: number;
    /** Once armed, price ≤ peak × (1 − distancePct/100) (inclusive) sells everything. */
    distancePct: number;
  };
  timeBased: {
    enabled: boolean;
    /** Held ≥ this many hours (inclusive) makes the position eligible for a time exit. */
    maxHours: number;
    /** ...and pnl% ≥ the target (inclusive) sells everything. */
    profitTargetPct: number;
    /**
     * 0 = off. Otherwise the target drops by this many pnl-percent points per hour held beyond
     * `maxHours`: target = max(floor, profitTargetPct − decayPerHourPct × (heldHours − maxHours)),
     * floor = min(0, profitTargetPct). So decay never lowers the target below break-even: a time
     * exit never realises a loss because of decay (losses are the stop loss's job).
     */
    decayPerHourPct: number;
  };
}

export const DEFAULT_EXIT_RULES_CONFIG: Readonly<ExitRulesConfig> = Object.freeze({
  takeProfit: Object.freeze({
    enabled: true,
    thresholdPct: 3.0,
    partialExit: false,
    partialAmountPct: 50,
    secondThresholdPct: 6.0,
  }),
  stopLoss: Object.freeze({ enabled: true, thresholdPct: 2.0 }),
  trailingStop: Object.freeze({ enabled: true, activationPct: 1.5, distancePct: 1.0 }),
  timeBased: Object.freeze({ enabled: true, maxHours: 24, profitTargetPct: 0.5, decayPerHourPct: 0 }),
});

/**
 * Checks the config for values the rules cannot work with. Returns one message per problem
 * (empty = valid), each naming the field, so the app can refuse to start with a clear message.
 * Disabled rules are checked too: turning a rule on later must not reveal a bad value.
 */
export function validateExitRulesConfig(config: ExitRulesConfig): string[] {
  const problems: string[] = [];
  const finite = (path: string, v: number): boolean => {
    if (typeof v === 'number' && Number.isFinite(v)) return true;
    problems.push(`${path} must be a finite number (got ${String(v)})`);
    return false;
  };
  const { takeProfit: tp, stopLoss: sl, trailingStop: ts, timeBased: tb } = config;

  if (finite('takeProfit.thresholdPct', tp.thresholdPct) && tp.thresholdPct <= 0) {
    problems.push('takeProfit.thresholdPct must be > 0');
  }
  if (finite('takeProfit.partialAmountPct', tp.partialAmountPct) && (tp.partialAmountPct <= 0 || tp.partialAmountPct > 100)) {
    problems.push('takeProfit.partialAmountPct must be in (0, 100]');
  }
  if (finite('takeProfit.secondThresholdPct', tp.secondThresholdPct) && tp.partialExit && tp.secondThresholdPct < tp.thresholdPct) {
    problems.push('takeProfit.secondThresholdPct must be ≥ takeProfit.thresholdPct');
  }
  if (finite('stopLoss.thresholdPct', sl.thresholdPct) && sl.thresholdPct <= 0) {
    problems.push('stopLoss.thresholdPct must be > 0 (it is the size of the loss, e.g. 2.0 for −2 %)');
  }
  if (finite('trailingStop.activationPct', ts.activationPct) && ts.activationPct < 0) {
    problems.push('trailingStop.activationPct must be ≥ 0');
  }
  if (finite('trailingStop.distancePct', ts.distancePct) && (ts.distancePct <= 0 || ts.distancePct >= 100)) {
    problems.push('trailingStop.distancePct must be in (0, 100)');
  }
  if (finite('timeBased.maxHours', tb.maxHours) && tb.maxHours < 0) {
    problems.push('timeBased.maxHours must be ≥ 0');
  }
  finite('timeBased.profitTargetPct', tb.profitTargetPct);
  if (finite('timeBased.decayPerHourPct', tb.decayPerHourPct) && tb.decayPerHourPct < 0) {
    problems.push('timeBased.decayPerHourPct must be ≥ 0 (0 = no decay)');
  }
  return problems;
}
