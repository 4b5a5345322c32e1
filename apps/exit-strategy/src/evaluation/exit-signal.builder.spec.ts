import { ExitDecision, PositionSnapshot, startPositionState } from '@model-service/exit-rules';
import { safeParse, TradingSignal } from '@model-service/signals';

import { buildExitSignal, exitAmount } from './exit-signal.builder';

const snapshot: PositionSnapshot = {
  position_id: 'pos-1',
  asset: 'BTCUSDT',
  strategy_id: 'momentum',
  size: 0.5,
  average_entry_price: 60_000,
  current_price: 61_800,
  unrealized_pnl_pct: 3,
  opened_at: '2026-03-01T10:00:00.000Z',
  timestamp: '2026-03-01T12:00:00.000Z',
};

const partial: ExitDecision = {
  rule: 'take_profit_partial',
  fraction: 0.5,
  reason: 'partial take profit: selling 50% at pnl +3.00%, at or above +3.00% (also fired: time_based)',
  triggered: [
    { rule: 'take_profit_partial', detail: { pnl_pct: 3, threshold_pct: 3, amount_pct: 50 } },
    { rule: 'time_based', detail: { held_hours: 2, max_hours: 1, pnl_pct: 3, target_pct: 1 } },
  ],
  parameters: { threshold_pct: 3, partial_exit: true, partial_amount_pct: 50, second_threshold_pct: 6 },
};

describe('exitAmount (quote currency to close)', () => {
  it.each([
    [{ size: 0.5, current_price: 61_800 }, 1, 30_900],
    [{ size: 0.5, current_price: 61_800 }, 0.5, 15_450],
    [{ size: 0.1, current_price: 0.3 }, 1, 0.03],
    [{ size: 3, current_price: 1 / 3 }, 1, 1],
    [{ size: 0.00012345, current_price: 12_345.678 }, 0.25, 0.38101849],
  ])('%j × fraction %d = %d', (position, fraction, amount) => {
    expect(exitAmount(position, fraction)).toBe(amount);
  });
});

describe('buildExitSignal', () => {
  const signal = buildExitSignal({
    snapshot,
    state: startPositionState(snapshot, Date.parse('2026-03-01T12:00:00Z')),
    decision: partial,
    traceId: 'trace-42',
    source: 'queue',
    defaultStrategyId: 'exit-strategy',
    now: new Date('2026-03-01T12:00:00.005Z'),
  });

  it('is a valid SELL TradingSignal for the partial value, carrying the update trace id', () => {
    const parsed = safeParse(TradingSignal, JSON.parse(JSON.stringify(signal)));
    expect(parsed.ok ? [] : parsed.error.message).toEqual([]);
    expect(signal).toMatchObject({
      signal_type: 'sell',
      asset: 'BTCUSDT',
      amount: 15_450,
      confidence: 1,
      strategy_id: 'momentum',
      model_version: null,
      is_warmup: false,
      trace_id: 'trace-42',
      timestamp: '2026-03-01T12:00:00.005Z',
      market_data_snapshot: { price: 61_800, spread: 0, volume_24h: 0, volatility: 0 },
    });
  });

  it('says in metadata why, with what parameters, every rule that fired and the position', () => {
    expect(signal.metadata).toMatchObject({
      exit_reason: 'take_profit_partial',
      reason: partial.reason,
      exit_fraction: 0.5,
      partial: true,
      quantity: 0.25,
      rule_parameters: partial.parameters,
      triggered_rules: [
        { rule: 'take_profit_partial', pnl_pct: 3, threshold_pct: 3, amount_pct: 50 },
        { rule: 'time_based', held_hours: 2, max_hours: 1, pnl_pct: 3, target_pct: 1 },
      ],
      position: { position_id: 'pos-1', size: 0.5, average_entry_price: 60_000, current_price: 61_800, unrealized_pnl_pct: 3 },
      position_state: { peak_price: 61_800, trailing_armed: false, partial_exits_done: 0 },
      update_source: 'queue',
    });
  });

  it('uses the default strategy for a position without one, and a new signal id each time', () => {
    const input = {
      snapshot: { ...snapshot, strategy_id: null },
      state: startPositionState(snapshot, 0),
      decision: { ...partial, rule: 'stop_loss' as const, fraction: 1 },
      traceId: 't',
      source: 'positions_table' as const,
      defaultStrategyId: 'exit-strategy',
      now: new Date(),
    };
    const a = buildExitSignal(input);
    const b = buildExitSignal(input);
    expect([a.strategy_id, a.amount, a.metadata?.['partial']]).toEqual(['exit-strategy', 30_900, false]);
    expect(a.signal_id).not.toBe(b.signal_id);
  });
});
