import type { ExitDecision, PositionSnapshot, PositionState } from '@model-service/exit-rules';
import { SignalType, TradingSignal } from '@model-service/signals';
import { randomUUID } from 'node:crypto';

import type { UpdateSource } from './exit-metrics';

export interface ExitSignalInput {
  snapshot: PositionSnapshot;
  /** The state after this update (peak, trailing armed, partial exits before this signal). */
  state: PositionState;
  decision: ExitDecision;
  traceId: string;
  source: UpdateSource;
  /** Used when the position has no strategy_id (TradingSignal requires one). */
  defaultStrategyId: string;
  now: Date;
}

/** Quote-currency value of the share of the position to sell, rounded to 1e-8. */
export function exitAmount(snapshot: Pick<PositionSnapshot, 'size' | 'current_price'>, fraction: number): number {
  return Math.round(snapshot.size * snapshot.current_price * fraction * 1e8) / 1e8;
}

/**
 * The SELL signal for an exit decision. `amount` is the value to close in quote currency
 * (size × price × fraction); `metadata` carries `exit_reason`, the human-readable reason, the
 * winning rule's parameters, every rule that fired with what it saw, the position snapshot and the
 * tracked state. There is no market-data snapshot at exit time beyond the position's price, so
 * spread, volume and volatility are 0.
 */
export function buildExitSignal(input: ExitSignalInput): TradingSignal {
  const { snapshot, state, decision } = input;
  const quantity = snapshot.size * decision.fraction;
  return {
    signal_id: randomUUID(),
    signal_type: SignalType.SELL,
    asset: snapshot.asset,
    amount: exitAmount(snapshot, decision.fraction),
    confidence: 1,
    timestamp: input.now.toISOString(),
    strategy_id: snapshot.strategy_id || input.defaultStrategyId,
    model_version: null,
    is_warmup: false,
    market_data_snapshot: { price: snapshot.current_price, spread: 0, volume_24h: 0, volatility: 0 },
    metadata: {
      source: 'exit-strategy',
      exit_reason: decision.rule,
      reason: decision.reason,
      exit_fraction: decision.fraction,
      partial: decision.fraction < 1,
      quantity,
      rule_parameters: decision.parameters,
      triggered_rules: decision.triggered.map((t) => ({ rule: t.rule, ...t.detail })),
      position: {
        position_id: snapshot.position_id,
        asset: snapshot.asset,
        strategy_id: snapshot.strategy_id ?? null,
        size: snapshot.size,
        average_entry_price: snapshot.average_entry_price,
        current_price: snapshot.current_price,
        unrealized_pnl_pct: snapshot.unrealized_pnl_pct,
        opened_at: snapshot.opened_at,
        timestamp: snapshot.timestamp,
      },
      position_state: {
        peak_price: state.peak_price,
        highest_unrealized_pnl_pct: state.highest_unrealized_pnl_pct,
        trailing_armed: state.trailing_armed,
        partial_exits_done: state.partial_exits_done,
        entry_time: new Date(state.entry_time).toISOString(),
      },
      update_source: input.source,
    },
    trace_id: input.traceId,
  };
}
