import type { ExitTrigger } from './exit-decision';
import type { ExitRulesConfig } from './exit-rules.config';
import type { PositionState } from './position-state';

/**
 * Every boundary is INCLUSIVE: exactly at a threshold fires. Comparisons allow a tolerance of
 * 1e-9 (percent points for pnl%, relative for prices) so that a decimal threshold floating point
 * cannot represent exactly ((1.133 − 1.1) / 1.1 × 100 = 2.9999999999999925, meant as 3 %) still counts as "at".
 *
 * | rule                | fires when (inclusive)                                              |
 * |---------------------|---------------------------------------------------------------------|
 * | stop loss           | pnl% ≤ −stopLoss.thresholdPct                                       |
 * | trailing stop arms  | pnl% ≥ trailingStop.activationPct (then stays armed)                |
 * | trailing stop exits | armed and price ≤ peak × (100 − distancePct) / 100                  |
 * | take profit (full)  | no partial: pnl% ≥ thresholdPct; partial: pnl% ≥ secondThresholdPct |
 * | take profit partial | partial on, none done yet, pnl% ≥ thresholdPct                      |
 * | time based          | held hours ≥ maxHours and pnl% ≥ target (decayed, see config)       |
 */
export const BOUNDARY_TOLERANCE = 1e-9;

const atLeast = (value: number, threshold: number): boolean => value >= threshold - BOUNDARY_TOLERANCE;
const atMost = (value: number, threshold: number): boolean => value <= threshold + BOUNDARY_TOLERANCE;
const priceAtMost = (price: number, limit: number): boolean => price <= limit + Math.abs(limit) * BOUNDARY_TOLERANCE;

const HOUR_MS = 3_600_000;

/** What the rules look at: state already updated with this update's price (peak, arming). */
export interface RuleInput {
  config: ExitRulesConfig;
  state: PositionState;
  price: number;
  pnlPct: number;
  nowMs: number;
}

export function stopLossRule({ config, pnlPct }: RuleInput): ExitTrigger | null {
  const { enabled, thresholdPct } = config.stopLoss;
  if (!enabled || !atMost(pnlPct, -thresholdPct)) return null;
  return { rule: 'stop_loss', detail: { pnl_pct: pnlPct, threshold_pct: -thresholdPct } };
}

/** Price at or below which an armed trailing stop exits. */
export function trailingStopPrice(peakPrice: number, distancePct: number): number {
  return (peakPrice * (100 - distancePct)) / 100;
}

/** Whether the trailing stop is (or becomes, with this pnl%) armed. */
export function trailingArmed(config: ExitRulesConfig, state: PositionState, pnlPct: number): boolean {
  if (!config.trailingStop.enabled) return state.trailing_armed;
  return state.trailing_armed || atLeast(pnlPct, config.trailingStop.activationPct);
}

export function trailingStopRule({ config, state, price, pnlPct }: RuleInput): ExitTrigger | null {
  const { enabled, distancePct, activationPct } = config.trailingStop;
  if (!enabled || !state.trailing_armed) return null;
  const stopPrice = trailingStopPrice(state.peak_price, distancePct);
  if (!priceAtMost(price, stopPrice)) return null;
  const outcome = pnlPct > 0 ? 'profit' : pnlPct < 0 ? 'loss' : 'break_even';
  return {
    rule: 'trailing_stop',
    detail: {
      price,
      peak_price: state.peak_price,
      stop_price: stopPrice,
      distance_pct: distancePct,
      activation_pct: activationPct,
      entry_price: state.entry_price,
      pnl_pct: pnlPct,
      outcome,
    },
  };
}

/** Full and/or partial take profit (both can fire when pnl jumps past the second threshold). */
export function takeProfitRules({ config, state, pnlPct }: RuleInput): ExitTrigger[] {
  const tp = config.takeProfit;
  if (!tp.enabled) return [];
  if (!tp.partialExit) {
    return atLeast(pnlPct, tp.thresholdPct)
      ? [{ rule: 'take_profit', detail: { pnl_pct: pnlPct, threshold_pct: tp.thresholdPct, stage: 'full' } }]
      : [];
  }
  const fired: ExitTrigger[] = [];
  if (atLeast(pnlPct, tp.secondThresholdPct)) {
    fired.push({
      rule: 'take_profit',
      detail: { pnl_pct: pnlPct, threshold_pct: tp.secondThresholdPct, stage: 'second', partial_exits_done: state.partial_exits_done },
    });
  }
  if (state.partial_exits_done === 0 && atLeast(pnlPct, tp.thresholdPct)) {
    fired.push({
      rule: 'take_profit_partial',
      detail: { pnl_pct: pnlPct, threshold_pct: tp.thresholdPct, amount_pct: tp.partialAmountPct },
    });
  }
  return fired;
}

/**
 * The time-based profit target after `heldHours`: the configured target until `maxHours`, then
 * lowered by `decayPerHourPct` per extra hour, never below min(0, profitTargetPct).
 */
export function timeBasedTargetPct(config: ExitRulesConfig, heldHours: number): number {
  const { maxHours, profitTargetPct, decayPerHourPct } = config.timeBased;
  if (!(decayPerHourPct > 0) || heldHours <= maxHours) return profitTargetPct;
  const floor = Math.min(0, profitTargetPct);
  return Math.max(floor, profitTargetPct - decayPerHourPct * (heldHours - maxHours));
}

export function timeBasedRule({ config, state, pnlPct, nowMs }: RuleInput): ExitTrigger | null {
  const { enabled, maxHours } = config.timeBased;
  if (!enabled) return null;
  const heldHours = (nowMs - state.entry_time) / HOUR_MS;
  if (!atLeast(heldHours, maxHours)) return null;
  const targetPct = timeBasedTargetPct(config, heldHours);
  if (!atLeast(pnlPct, targetPct)) return null;
  return {
    rule: 'time_based',
    detail: {
      held_hours: heldHours,
      max_hours: maxHours,
      pnl_pct: pnlPct,
      target_pct: targetPct,
      configured_target_pct: config.timeBased.profitTargetPct,
    },
  };
}
