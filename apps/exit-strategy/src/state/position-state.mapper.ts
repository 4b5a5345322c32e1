import type { PositionState } from '@model-service/exit-rules';
import type { PositionStateEntity, PositionStateInput } from '@model-service/repositories';

/** PositionState (epoch ms) → a position_states row. */
export function toStateRow(s: PositionState): PositionStateInput {
  return {
    positionKey: s.position_key,
    positionId: s.position_id,
    asset: s.asset,
    strategyId: s.strategy_id,
    entryPrice: s.entry_price,
    entryTime: new Date(s.entry_time),
    peakPrice: s.peak_price,
    highestUnrealizedPnlPct: s.highest_unrealized_pnl_pct,
    trailingArmed: s.trailing_armed,
    partialExitsDone: s.partial_exits_done,
    lastExitSignalAt: s.last_exit_signal_at === null ? null : new Date(s.last_exit_signal_at),
    lastUpdateAt: new Date(s.last_update_at),
  };
}

/** A position_states row → PositionState. */
export function fromStateRow(r: PositionStateEntity): PositionState {
  return {
    position_key: r.positionKey,
    position_id: r.positionId,
    asset: r.asset,
    strategy_id: r.strategyId,
    entry_price: r.entryPrice,
    entry_time: r.entryTime.getTime(),
    peak_price: r.peakPrice,
    highest_unrealized_pnl_pct: r.highestUnrealizedPnlPct,
    trailing_armed: r.trailingArmed,
    partial_exits_done: r.partialExitsDone,
    last_exit_signal_at: r.lastExitSignalAt ? r.lastExitSignalAt.getTime() : null,
    last_update_at: r.lastUpdateAt.getTime(),
  };
}

/**
 * Combines a restored row with state built in memory before the restore finished (the database was
 * late). Same position: running maxima and the most signalled; another position: the newer one.
 */
export function mergeRestoredState(memory: PositionState, restored: PositionState): PositionState {
  if (memory.position_id !== restored.position_id || memory.entry_price !== restored.entry_price) {
    return restored.last_update_at > memory.last_update_at ? restored : memory;
  }
  const lastExit = Math.max(memory.last_exit_signal_at ?? -Infinity, restored.last_exit_signal_at ?? -Infinity);
  return {
    ...memory,
    entry_time: Math.min(memory.entry_time, restored.entry_time),
    peak_price: Math.max(memory.peak_price, restored.peak_price),
    highest_unrealized_pnl_pct: Math.max(memory.highest_unrealized_pnl_pct, restored.highest_unrealized_pnl_pct),
    trailing_armed: memory.trailing_armed || restored.trailing_armed,
    partial_exits_done: Math.max(memory.partial_exits_done, restored.partial_exits_done),
    last_exit_signal_at: Number.isFinite(lastExit) ? lastExit : null,
    last_update_at: Math.max(memory.last_update_at, restored.last_update_at),
  };
}
