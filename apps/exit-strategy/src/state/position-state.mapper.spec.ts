import { PositionState } from '@model-service/exit-rules';

import { fromStateRow, mergeRestoredState, toStateRow } from './position-state.mapper';

const state: PositionState = {
  position_key: 'BTCUSDT:momentum',
  position_id: 'pos-1',
  asset: 'BTCUSDT',
  strategy_id: 'momentum',
  entry_price: 60_000.12345678,
  entry_time: Date.UTC(2026, 2, 1, 10),
  peak_price: 61_234.56789012,
  highest_unrealized_pnl_pct: 2.0575,
  trailing_armed: true,
  partial_exits_done: 1,
  last_exit_signal_at: Date.UTC(2026, 2, 1, 11),
  last_update_at: Date.UTC(2026, 2, 1, 11, 30),
};

describe('position state rows', () => {
  it('round-trips every field exactly', () => {
    const row = { ...toStateRow(state), updatedAt: new Date() };
    expect(fromStateRow(row)).toEqual(state);
    expect(fromStateRow({ ...row, lastExitSignalAt: null }).last_exit_signal_at).toBeNull();
  });
});

describe('mergeRestoredState', () => {
  it('keeps running maxima and the latest signal for the same position', () => {
    const memory: PositionState = { ...state, peak_price: 61_000, trailing_armed: false, partial_exits_done: 0, last_exit_signal_at: null, last_update_at: state.last_update_at + 1 };
    expect(mergeRestoredState(memory, state)).toEqual({ ...state, last_update_at: state.last_update_at + 1 });
  });

  it.each([
    ['memory newer', 1, 'memory'],
    ['restored newer', -1, 'restored'],
  ])('for another position takes the newer one (%s)', (_name, delta, winner) => {
    const memory: PositionState = { ...state, position_id: 'pos-2', last_update_at: state.last_update_at + delta };
    expect(mergeRestoredState(memory, state)).toBe(winner === 'memory' ? memory : state);
  });
});
