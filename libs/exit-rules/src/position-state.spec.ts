import { ExitReason } from './exit-decision';
import { markExitSignalled, startPositionState, stateNeedsPersisting } from './position-state';
import { snapshotAt, T0 } from './testing';

describe('startPositionState', () => {
  it('starts with nothing armed, the peak at the current price and entry time from opened_at', () => {
    const state = startPositionState(snapshotAt(101, 5000), T0 + 5000);
    expect(state).toEqual({
      position_key: 'BTCUSDT:momentum',
      position_id: 'pos-1',
      asset: 'BTCUSDT',
      strategy_id: 'momentum',
      entry_price: 100,
      entry_time: T0,
      peak_price: 101,
      highest_unrealized_pnl_pct: 1,
      trailing_armed: false,
      partial_exits_done: 0,
      last_exit_signal_at: null,
      last_update_at: T0 + 5000,
    });
  });

  it('uses the update time as entry time when opened_at is unreadable', () => {
    expect(startPositionState(snapshotAt(101, 0, { opened_at: 'n/a' }), T0 + 7).entry_time).toBe(T0 + 7);
  });
});

describe('markExitSignalled', () => {
  const state = startPositionState(snapshotAt(103, 0), T0);
  it.each([
    ['take_profit_partial', 1],
    ['take_profit', 0],
    ['trailing_stop', 0],
    ['stop_loss', 0],
    ['time_based', 0],
  ] as [ExitReason, number][])('%s → partial exits done %i, last exit time set', (rule, partials) => {
    const next = markExitSignalled(state, { rule }, T0 + 42);
    expect(next.partial_exits_done).toBe(partials);
    expect(next.last_exit_signal_at).toBe(T0 + 42);
    expect(stateNeedsPersisting(state, next)).toBe(true);
    expect(state.last_exit_signal_at).toBeNull();
  });
});

describe('stateNeedsPersisting', () => {
  const state = startPositionState(snapshotAt(101, 0), T0);
  it.each([
    ['nothing changed', {}, false],
    ['only last_update_at', { last_update_at: T0 + 1 }, false],
    ['peak', { peak_price: 101.0000001 }, true],
    ['highest pnl', { highest_unrealized_pnl_pct: 1.5 }, true],
    ['trailing armed', { trailing_armed: true }, true],
    ['entry price', { entry_price: 100.1 }, true],
    ['entry time', { entry_time: T0 - 1 }, true],
  ])('%s → %s', (_name, change, expected) => {
    expect(stateNeedsPersisting(state, { ...state, ...change })).toBe(expected);
  });

  it('always for a new state', () => {
    expect(stateNeedsPersisting(undefined, state)).toBe(true);
  });
});
