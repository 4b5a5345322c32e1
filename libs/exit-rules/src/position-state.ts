import type { ExitDecision } from './exit-decision';
import { PositionSnapshot, positionKeyOf, toEpochMs } from './position-snapshot';

/**
 * What the exit rules remember about one open position between updates (the `position_states`
 * row). Plain JSON: numbers, strings, booleans and null only; times are epoch milliseconds.
 */
export interface PositionState {
  /** `positionKeyOf(snapshot)`: asset and strategy. */
  position_key: string;
  position_id: string;
  asset: string;
  strategy_id: string | null;
  /** The position's average entry price as last reported. */
  entry_price: number;
  /** When the position was opened (its `opened_at`; the first update's time if unreadable). */
  entry_time: number;
  /**
   * Highest `current_price` seen since the position was first seen (open), not only since the
   * trailing stop armed. With consistent prices both are the same once armed: the update that
   * arms the trailing stop is at least as high as every earlier one. Exact: the max of the
   * prices seen, no rounding.
   */
  peak_price: number;
  /** Highest `unrealized_pnl_pct` seen since open. */
  highest_unrealized_pnl_pct: number;
  /** Set once pnl% ≥ activation (with the trailing stop enabled); never unset while open. */
  trailing_armed: boolean;
  /** Partial take-profit signals emitted (recorded by `markExitSignalled`). */
  partial_exits_done: number;
  /** Epoch ms of the last exit signal emitted for this position, null when none. */
  last_exit_signal_at: number | null;
  /** Epoch ms of the newest update applied (its `timestamp`); older updates are ignored. */
  last_update_at: number;
}

/**
 * An average entry price that moves by more than this (percent of the old one) means the position
 * was closed and re-opened under the same key: its state starts fresh. Smaller moves (fees,
 * rounding, a small top-up) keep the state and just take the new entry price.
 */
export const ENTRY_PRICE_REOPEN_TOLERANCE_PCT = 0.5;

/** True when `state` does not describe the position in `snapshot` (so it must start fresh). */
export function isDifferentPosition(
  state: PositionState,
  snapshot: PositionSnapshot,
  reopenTolerancePct: number = ENTRY_PRICE_REOPEN_TOLERANCE_PCT,
): boolean {
  if (state.position_id !== snapshot.position_id) return true;
  if (state.position_key !== positionKeyOf(snapshot)) return true;
  if (!(state.entry_price > 0)) return true;
  const movePct = (Math.abs(snapshot.average_entry_price - state.entry_price) / state.entry_price) * 100;
  return movePct > reopenTolerancePct;
}

/** State for a position seen for the first time (nothing armed, peak = current price). */
export function startPositionState(snapshot: PositionSnapshot, updateTimeMs: number): PositionState {
  const opened = toEpochMs(snapshot.opened_at);
  return {
    position_key: positionKeyOf(snapshot),
    position_id: snapshot.position_id,
    asset: snapshot.asset,
    strategy_id: snapshot.strategy_id ?? null,
    entry_price: snapshot.average_entry_price,
    entry_time: Number.isNaN(opened) ? updateTimeMs : opened,
    peak_price: snapshot.current_price,
    highest_unrealized_pnl_pct: snapshot.unrealized_pnl_pct,
    trailing_armed: false,
    partial_exits_done: 0,
    last_exit_signal_at: null,
    last_update_at: updateTimeMs,
  };
}

/**
 * Applies one update to existing state of the same position: entry price and time as reported,
 * peak price and highest pnl as running maxima. Returns a new object; `state` is not modified.
 */
export function trackPosition(state: PositionState, snapshot: PositionSnapshot, updateTimeMs: number): PositionState {
  const opened = toEpochMs(snapshot.opened_at);
  return {
    ...state,
    entry_price: snapshot.average_entry_price,
    entry_time: Number.isNaN(opened) ? state.entry_time : opened,
    peak_price: Math.max(state.peak_price, snapshot.current_price),
    highest_unrealized_pnl_pct: Math.max(state.highest_unrealized_pnl_pct, snapshot.unrealized_pnl_pct),
    last_update_at: Math.max(state.last_update_at, updateTimeMs),
  };
}

/**
 * True when `next` differs from `prev` in a field that must survive a restart (everything but
 * `last_update_at`, which changes on every update and is only a staleness guard).
 */
export function stateNeedsPersisting(prev: PositionState | undefined, next: PositionState): boolean {
  if (!prev) return true;
  return (
    prev.position_key !== next.position_key ||
    prev.position_id !== next.position_id ||
    prev.asset !== next.asset ||
    prev.strategy_id !== next.strategy_id ||
    prev.entry_price !== next.entry_price ||
    prev.entry_time !== next.entry_time ||
    prev.peak_price !== next.peak_price ||
    prev.highest_unrealized_pnl_pct !== next.highest_unrealized_pnl_pct ||
    prev.trailing_armed !== next.trailing_armed ||
    prev.partial_exits_done !== next.partial_exits_done ||
    prev.last_exit_signal_at !== next.last_exit_signal_at
  );
}

/**
 * Records that an exit signal for `decision` was emitted at `nowMs`: sets `last_exit_signal_at`
 * and, for a partial take profit, counts it so the partial exit is not repeated. Call it only
 * for a signal actually emitted (not one the rate limiter suppressed), then persist the result.
 */
export function markExitSignalled(state: PositionState, decision: Pick<ExitDecision, 'rule'>, nowMs: number): PositionState {
  return {
    ...state,
    last_exit_signal_at: nowMs,
    partial_exits_done: state.partial_exits_done + (decision.rule === 'take_profit_partial' ? 1 : 0),
  };
}
