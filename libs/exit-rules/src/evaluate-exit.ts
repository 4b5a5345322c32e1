import type { ExitDecision, ExitReason, ExitTrigger } from './exit-decision';
import { EXIT_RULE_PRIORITY } from './exit-decision';
import {
  RuleInput,
  stopLossRule,
  takeProfitRules,
  timeBasedRule,
  trailingArmed,
  trailingStopRule,
} from './exit-rule';
import type { ExitRulesConfig } from './exit-rules.config';
import { PositionSnapshot, toEpochMs } from './position-snapshot';
import {
  ENTRY_PRICE_REOPEN_TOLERANCE_PCT,
  isDifferentPosition,
  PositionState,
  startPositionState,
  stateNeedsPersisting,
  trackPosition,
} from './position-state';

/** Why an update produced no evaluation at all. */
export type ExitSkipReason = 'stale' | 'closed' | 'short' | 'invalid';

export interface ExitEvaluation {
  /** The next state: persist it when `stateChanged`, keep it in memory either way. */
  state: PositionState;
  /** True when a field that must survive a restart changed (not just `last_update_at`). */
  stateChanged: boolean;
  /** The exit to signal, or null. Rate limiting is the caller's job (`ExitRateLimiter`). */
  decision: ExitDecision | null;
  /** True when the given state was absent or belonged to a previous position under this key. */
  startedFresh: boolean;
  /**
   * Set when the update was not evaluated. Keep the state you had then: the returned `state` is
   * the given one (or, when none was given, a provisional one that need not be stored).
   * `closed` — size 0: clear the position's state. `invalid` — a non-finite or non-positive price
   * or entry, or a non-finite pnl%. `stale` — older than the newest update applied. `short` —
   * negative size, which these long-only rules do not handle.
   */
  skipped?: ExitSkipReason;
}

export interface EvaluateExitOptions {
  /** See `ENTRY_PRICE_REOPEN_TOLERANCE_PCT`. */
  reopenEntryTolerancePct?: number;
  /**
   * The highest price and pnl% among earlier updates of the same position that were coalesced into
   * this one and never evaluated (debounce). They count for peak tracking and trailing-stop arming
   * as if they had been seen, but the rules still fire on this update's price and pnl% only.
   */
  observedHigh?: { price: number; pnlPct: number };
}

/**
 * Evaluates every enabled exit rule against one position update. Pure: no I/O, no clock; the
 * input state is never modified.
 *
 * Order of work: (1) closed, unusable, older-than-applied (`stale`) and short updates are
 * skipped (see `skipped`); (2) absent state, another position_id, or an entry price moved by more than the re-open
 * tolerance starts fresh state; (3) peak price and highest pnl% take this update's values as
 * running maxima and the trailing stop arms if pnl% ≥ activation; (4) all rules are checked
 * against that updated state, so the update that arms the trailing stop can exit only if an
 * earlier price was higher; (5) the winner is picked by `EXIT_RULE_PRIORITY`.
 *
 * `nowMs` measures holding time for the time-based rule. With a simulated clock (replayed
 * candles), pass the update's own timestamp.
 */
export function evaluateExit(
  state: PositionState | undefined,
  snapshot: PositionSnapshot,
  config: ExitRulesConfig,
  nowMs: number,
  options: EvaluateExitOptions = {},
): ExitEvaluation {
  const tolerance = options.reopenEntryTolerancePct ?? ENTRY_PRICE_REOPEN_TOLERANCE_PCT;
  const parsed = toEpochMs(snapshot.timestamp);
  const updateTimeMs = Number.isNaN(parsed) ? nowMs : parsed;
  const skip = (skipped: ExitSkipReason): ExitEvaluation => ({
    state: state ?? startPositionState(snapshot, updateTimeMs),
    stateChanged: false,
    decision: null,
    startedFresh: false,
    skipped,
  });
  if (snapshot.size === 0) return skip('closed');
  if (!isUsable(snapshot)) return skip('invalid');
  const samePosition = state !== undefined && !isDifferentPosition(state, snapshot, tolerance);
  if (samePosition && updateTimeMs < state.last_update_at) return skip('stale');
  if (snapshot.size < 0) return skip('short');

  const tracked = samePosition ? trackPosition(state, snapshot, updateTimeMs) : startPositionState(snapshot, updateTimeMs);
  const high = usableHigh(options.observedHigh);
  const base: PositionState = high
    ? {
        ...tracked,
        peak_price: Math.max(tracked.peak_price, high.price),
        highest_unrealized_pnl_pct: Math.max(tracked.highest_unrealized_pnl_pct, high.pnlPct),
      }
    : tracked;
  const next: PositionState = {
    ...base,
    trailing_armed: trailingArmed(config, base, Math.max(snapshot.unrealized_pnl_pct, high?.pnlPct ?? -Infinity)),
  };
  const input: RuleInput = {
    config,
    state: next,
    price: snapshot.current_price,
    pnlPct: snapshot.unrealized_pnl_pct,
    nowMs,
  };
  const fired = [stopLossRule(input), trailingStopRule(input), ...takeProfitRules(input), timeBasedRule(input)].filter(
    (t): t is ExitTrigger => t !== null,
  );
  return {
    state: next,
    stateChanged: stateNeedsPersisting(samePosition ? state : undefined, next),
    decision: fired.length > 0 ? chooseExit(fired, config) : null,
    startedFresh: !samePosition,
  };
}

function usableHigh(high: EvaluateExitOptions['observedHigh']): { price: number; pnlPct: number } | undefined {
  if (!high || !Number.isFinite(high.price) || !(high.price > 0) || !Number.isFinite(high.pnlPct)) return undefined;
  return high;
}

function isUsable(s: PositionSnapshot): boolean {
  return (
    Number.isFinite(s.size) &&
    Number.isFinite(s.current_price) &&
    s.current_price > 0 &&
    Number.isFinite(s.average_entry_price) &&
    s.average_entry_price > 0 &&
    Number.isFinite(s.unrealized_pnl_pct)
  );
}

const rank = (rule: ExitReason): number => EXIT_RULE_PRIORITY.indexOf(rule);

/**
 * Builds the one decision for the rules that fired (at least one): the winner by
 * `EXIT_RULE_PRIORITY`, every trigger listed in priority order.
 */
export function chooseExit(fired: readonly ExitTrigger[], config: ExitRulesConfig): ExitDecision {
  if (fired.length === 0) throw new RangeError('chooseExit needs at least one fired rule');
  const triggered = [...fired].sort((a, b) => rank(a.rule) - rank(b.rule));
  const winner = triggered[0];
  const others = triggered.slice(1).map((t) => t.rule);
  const also = others.length > 0 ? ` (also fired: ${others.join(', ')})` : '';
  return {
    rule: winner.rule,
    fraction: winner.rule === 'take_profit_partial' ? config.takeProfit.partialAmountPct / 100 : 1,
    reason: describe(winner) + also,
    triggered,
    parameters: parametersOf(winner.rule, config),
  };
}

const pct = (v: unknown): string => {
  const n = Number(v);
  return `${n > 0 ? '+' : ''}${n.toFixed(2)}%`;
};

function describe({ rule, detail: d }: ExitTrigger): string {
  switch (rule) {
    case 'stop_loss':
      return `stop loss: pnl ${pct(d.pnl_pct)} at or below ${pct(d.threshold_pct)}`;
    case 'trailing_stop': {
      const outcome = d.outcome === 'profit' ? 'at a profit' : d.outcome === 'loss' ? 'at a loss' : 'at break-even';
      return (
        `trailing stop ${outcome}: price ${d.price} at or below ${d.stop_price} ` +
        `(peak ${d.peak_price} − ${d.distance_pct}%), entry ${d.entry_price}, pnl ${pct(d.pnl_pct)}`
      );
    }
    case 'take_profit':
      return d.stage === 'second'
        ? `take profit (rest of position): pnl ${pct(d.pnl_pct)} at or above second threshold ${pct(d.threshold_pct)}`
        : `take profit: pnl ${pct(d.pnl_pct)} at or above ${pct(d.threshold_pct)}`;
    case 'take_profit_partial':
      return `partial take profit: selling ${d.amount_pct}% at pnl ${pct(d.pnl_pct)}, at or above ${pct(d.threshold_pct)}`;
    case 'time_based':
      return (
        `time-based exit: held ${Number(d.held_hours).toFixed(2)} h (max ${d.max_hours} h), ` +
        `pnl ${pct(d.pnl_pct)} at or above target ${pct(d.target_pct)}`
      );
  }
}

function parametersOf(rule: ExitReason, config: ExitRulesConfig): Record<string, number | boolean> {
  const { takeProfit: tp, stopLoss: sl, trailingStop: ts, timeBased: tb } = config;
  switch (rule) {
    case 'stop_loss':
      return { threshold_pct: sl.thresholdPct };
    case 'trailing_stop':
      return { activation_pct: ts.activationPct, distance_pct: ts.distancePct };
    case 'take_profit':
    case 'take_profit_partial':
      return {
        threshold_pct: tp.thresholdPct,
        partial_exit: tp.partialExit,
        partial_amount_pct: tp.partialAmountPct,
        second_threshold_pct: tp.secondThresholdPct,
      };
    case 'time_based':
      return { max_hours: tb.maxHours, profit_target_pct: tb.profitTargetPct, decay_per_hour_pct: tb.decayPerHourPct };
  }
}
