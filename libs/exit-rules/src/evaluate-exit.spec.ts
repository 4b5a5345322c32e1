import { seededRandom as random } from '@model-service/util';
import { chooseExit, evaluateExit } from './evaluate-exit';
import { EXIT_RULE_PRIORITY, ExitReason, ExitTrigger } from './exit-decision';
import { exitConfig, HOUR_MS, onlyRules, runPricePath, snapshotAt, T0 } from './testing';

const partialConfig = exitConfig({
  takeProfit: { partialExit: true, partialAmountPct: 50, thresholdPct: 3, secondThresholdPct: 6 },
});

describe('rule interplay on price paths (entry 100, default rules)', () => {
  it('arms the trailing stop at activation and exits on the pull-back to peak × 0.99', () => {
    const prices = [100, 100.8, 101.5, 102.2, 102.5, 102.0, 101.475];
    const armedAfter = prices.map((_, i) => runPricePath(prices.slice(0, i + 1), exitConfig()).state!.trailing_armed);
    expect(armedAfter).toEqual([false, false, true, true, true, true, true]);

    const { exits } = runPricePath(prices, exitConfig());
    expect(exits).toHaveLength(1);
    const [exit] = exits;
    expect(exit.index).toBe(6);
    expect(exit.decision).toMatchObject({ rule: 'trailing_stop', fraction: 1 });
    expect(exit.decision.reason).toMatch(/^trailing stop at a profit/);
    expect(exit.decision.triggered[0].detail).toMatchObject({ peak_price: 102.5, stop_price: 101.475, outcome: 'profit' });
    expect(exit.decision.parameters).toEqual({ activation_pct: 1.5, distance_pct: 1 });
  });

  it('exits a trailing stop below the entry price on a gap down and says it is a loss', () => {
    const { exits } = runPricePath([100, 101.6, 99.5], exitConfig());
    expect(exits).toHaveLength(1);
    expect(exits[0].decision.rule).toBe('trailing_stop');
    expect(exits[0].decision.reason).toMatch(/^trailing stop at a loss/);
    expect(exits[0].decision.triggered.map((t) => t.rule)).toEqual(['trailing_stop']);
    expect(exits[0].decision.triggered[0].detail.outcome).toBe('loss');
  });

  it('lets the stop loss win over an armed trailing stop when the gap is past −2 %, listing both', () => {
    const { exits } = runPricePath([100, 101.6, 97.5], exitConfig());
    const decision = exits[0].decision;
    expect(decision.rule).toBe('stop_loss');
    expect(decision.triggered.map((t) => t.rule)).toEqual(['stop_loss', 'trailing_stop']);
    expect(decision.reason).toContain('also fired: trailing_stop');
  });

  it('takes a partial profit once, then exits the remainder with the trailing stop', () => {
    const prices = [100, 101.5, 103, 103.2, 104, 103.5, 102.96];
    const { exits, state } = runPricePath(prices, partialConfig);
    expect(exits.map((e) => [e.index, e.decision.rule, e.decision.fraction])).toEqual([
      [2, 'take_profit_partial', 0.5],
      [6, 'trailing_stop', 1],
    ]);
    expect(exits[1].decision.reason).toMatch(/at a profit/);
    expect(state!.partial_exits_done).toBe(1);
  });

  it('takes a partial profit, then the remainder at the second threshold', () => {
    const { exits } = runPricePath([100, 103, 104, 106], partialConfig);
    expect(exits.map((e) => [e.decision.rule, e.decision.fraction])).toEqual([
      ['take_profit_partial', 0.5],
      ['take_profit', 1],
    ]);
    expect(exits[1].decision.reason).toContain('second threshold');
  });

  it('sells everything by the trailing stop when a partial exit was never emitted (e.g. rate-limited)', () => {
    const config = exitConfig({ takeProfit: { partialExit: true, secondThresholdPct: 12 } });
    const a = evaluateExit(undefined, snapshotAt(100, 0), config, T0);
    const b = evaluateExit(a.state, snapshotAt(110, 1000), config, T0 + 1000);
    expect(b.decision?.rule).toBe('take_profit_partial'); // not marked: suppressed by the caller
    const c = evaluateExit(b.state, snapshotAt(108.9, 2000), config, T0 + 2000);
    expect(c.decision).toMatchObject({ rule: 'trailing_stop', fraction: 1 });
    expect(c.decision!.triggered.map((t) => t.rule)).toEqual(['trailing_stop', 'take_profit_partial']);
  });

  it.each([
    ['take profit over time-based', exitConfig(), 3.5, 'take_profit', ['take_profit', 'time_based']],
    ['partial over time-based', partialConfig, 3.5, 'take_profit_partial', ['take_profit_partial', 'time_based']],
    ['time-based alone below the take profit', exitConfig(), 0.7, 'time_based', ['time_based']],
  ])('after 30 h: %s', (_name, config, pnl, rule, triggered) => {
    const decision = evaluateExit(undefined, snapshotAt(100 + pnl, 30 * HOUR_MS), config, T0 + 30 * HOUR_MS).decision!;
    expect(decision.rule).toBe(rule);
    expect(decision.triggered.map((t) => t.rule)).toEqual(triggered);
  });

  it('blocks the time exit below the profit target even after 100 h', () => {
    const decision = evaluateExit(undefined, snapshotAt(100.3, 100 * HOUR_MS), exitConfig(), T0 + 100 * HOUR_MS).decision;
    expect(decision).toBeNull();
  });

  it('keeps the peak across a restart (state through JSON) and exits at the right price', () => {
    const config = exitConfig({ takeProfit: { enabled: false } });
    const before = runPricePath([100, 101, 101.8, 104, 103], config);
    expect(before.exits).toEqual([]);
    const restored = JSON.parse(JSON.stringify(before.state));
    // stop = 104 × 0.99 = 102.96
    const at = (price: number, i: number) =>
      evaluateExit(restored, snapshotAt(price, 10_000 + i), config, T0 + 10_000 + i).decision?.rule ?? null;
    expect(at(102.97, 0)).toBeNull();
    expect(at(102.96, 1)).toBe('trailing_stop');
  });
});

describe('priority when several rules fire', () => {
  const trigger = (rule: ExitReason): ExitTrigger => ({ rule, detail: { pnl_pct: 0 } });

  it.each([
    [['take_profit', 'stop_loss'], 'stop_loss'],
    [['time_based', 'take_profit', 'stop_loss', 'trailing_stop', 'take_profit_partial'], 'stop_loss'],
    [['take_profit', 'trailing_stop'], 'trailing_stop'],
    [['take_profit_partial', 'take_profit'], 'take_profit'],
    [['time_based', 'take_profit_partial'], 'take_profit_partial'],
    [['time_based'], 'time_based'],
  ] as [ExitReason[], ExitReason][])('%j → %s, all listed in priority order', (rules, winner) => {
    const decision = chooseExit(rules.map(trigger), exitConfig());
    expect(decision.rule).toBe(winner);
    expect(decision.triggered.map((t) => t.rule)).toEqual(EXIT_RULE_PRIORITY.filter((r) => rules.includes(r)));
  });

  it('stop loss wins over take profit: a full exit, with the stop-loss parameters', () => {
    const decision = chooseExit([trigger('take_profit'), trigger('stop_loss')], exitConfig());
    expect(decision).toMatchObject({ rule: 'stop_loss', fraction: 1, parameters: { threshold_pct: 2 } });
    expect(decision.reason).toContain('also fired: take_profit');
  });
});

describe('state tracking', () => {
  it.each([1, 42, 2026])('tracks the exact max price and pnl over a 20,000-step random path (seed %i)', (seed) => {
    const next = random(seed);
    const prices: number[] = [];
    let price = 100;
    for (let i = 0; i < 20_000; i++) {
      price *= 1 + (next() - 0.5) * 0.01;
      prices.push(price);
    }
    const config = onlyRules({ trailingStop: { enabled: true } });
    let state = evaluateExit(undefined, snapshotAt(prices[0], 0), config, T0).state;
    let maxSoFar = prices[0];
    prices.forEach((p, i) => {
      if (i === 0) return;
      state = evaluateExit(state, snapshotAt(p, i), config, T0 + i).state;
      if (i === 10_000) state = JSON.parse(JSON.stringify(state)); // a restart halfway
      maxSoFar = Math.max(maxSoFar, p);
      if (i % 997 === 0) expect(state.peak_price).toBe(maxSoFar);
    });
    expect(state.peak_price).toBe(Math.max(...prices));
    expect(state.highest_unrealized_pnl_pct).toBe(Math.max(...prices.map((p) => ((p - 100) / 100) * 100)));
    expect(state.trailing_armed).toBe(Math.max(...prices) >= 101.5);
  });

  it.each([
    ['a lower price', 100.5, false],
    ['the same price', 101, false],
    ['a new high', 101.2, true],
    ['a new high that arms the trailing stop', 101.6, true],
  ])('after 101, %s → must persist: %s', (_name, price, changed) => {
    const first = evaluateExit(undefined, snapshotAt(101, 0), exitConfig(), T0);
    expect(first.stateChanged).toBe(true);
    const result = evaluateExit(first.state, snapshotAt(price, 1000), exitConfig(), T0 + 1000);
    expect(result.stateChanged).toBe(changed);
    expect(result.state.last_update_at).toBe(T0 + 1000);
  });

  it('starts fresh for a re-opened position: another position_id, or an entry moved > 0.5 %', () => {
    const { state } = runPricePath([100, 101.6, 103.5], partialConfig);
    expect(state).toMatchObject({ trailing_armed: true, partial_exits_done: 1, peak_price: 103.5 });

    const cases = [
      { position_id: 'pos-2', average_entry_price: 100 },
      { position_id: 'pos-1', average_entry_price: 100.6 },
      { position_id: 'pos-1', average_entry_price: 99.4 },
    ];
    for (const c of cases) {
      const snap = snapshotAt(100.2, 10_000, c);
      const result = evaluateExit(state, snap, partialConfig, T0 + 10_000);
      expect(result.startedFresh).toBe(true);
      expect(result.stateChanged).toBe(true);
      expect(result.state).toMatchObject({
        position_id: c.position_id,
        entry_price: c.average_entry_price,
        peak_price: 100.2,
        trailing_armed: false,
        partial_exits_done: 0,
        last_exit_signal_at: null,
      });
    }
  });

  it('keeps the state when the entry moves by at most 0.5 %, taking the new entry price', () => {
    const { state } = runPricePath([100, 101.6, 103.5], partialConfig);
    const result = evaluateExit(state, snapshotAt(102, 10_000, { average_entry_price: 100.5 }), partialConfig, T0 + 10_000);
    expect(result.startedFresh).toBe(false);
    expect(result.stateChanged).toBe(true);
    expect(result.state).toMatchObject({ entry_price: 100.5, peak_price: 103.5, trailing_armed: true, partial_exits_done: 1 });
  });

  it('ignores an update older than one already applied, but evaluates one at the same millisecond', () => {
    const a = evaluateExit(undefined, snapshotAt(101, 5000), exitConfig(), T0 + 5000);
    const older = evaluateExit(a.state, snapshotAt(90, 4999), exitConfig(), T0 + 6000);
    expect(older).toMatchObject({ skipped: 'stale', decision: null, stateChanged: false });
    expect(older.state).toBe(a.state);
    const same = evaluateExit(a.state, snapshotAt(90, 5000), exitConfig(), T0 + 6000);
    expect(same.decision?.rule).toBe('stop_loss');
  });

  it('accepts ISO 8601 timestamps and orders them like epoch ms', () => {
    const iso = (ms: number) => new Date(T0 + ms).toISOString();
    const a = evaluateExit(undefined, snapshotAt(101, 0, { timestamp: iso(5000) }), exitConfig(), T0);
    expect(a.state.last_update_at).toBe(T0 + 5000);
    expect(evaluateExit(a.state, snapshotAt(90, 0, { timestamp: iso(4000) }), exitConfig(), T0).skipped).toBe('stale');
  });

  it.each([
    ['closed (size 0)', { size: 0 }, 'closed'],
    ['short (negative size)', { size: -1 }, 'short'],
    ['price not a number', { current_price: NaN }, 'invalid'],
    ['entry price 0', { average_entry_price: 0 }, 'invalid'],
    ['pnl not a number', { unrealized_pnl_pct: NaN }, 'invalid'],
  ])('does not evaluate a %s update even at −50 %%', (_name, override, skipped) => {
    const a = evaluateExit(undefined, snapshotAt(101, 0), exitConfig(), T0);
    const result = evaluateExit(a.state, { ...snapshotAt(50, 1000), ...override }, exitConfig(), T0 + 1000);
    expect(result).toMatchObject({ skipped, decision: null, stateChanged: false });
    expect(result.state).toBe(a.state);
  });

  it('never modifies the state or config it is given', () => {
    const config = exitConfig();
    const a = evaluateExit(undefined, snapshotAt(101, 0), config, T0);
    const frozen = Object.freeze({ ...a.state });
    Object.values(config).forEach((section) => Object.freeze(section));
    expect(() => evaluateExit(frozen, snapshotAt(102, 1000), Object.freeze(config), T0 + 1000)).not.toThrow();
    expect(frozen.peak_price).toBe(101);
  });
});

describe('observedHigh: prices coalesced by a debounce still count for the peak', () => {
  const trailingOnly = onlyRules({ trailingStop: { enabled: true, activationPct: 1.5, distancePct: 1 } });

  it.each([
    // [coalesced high, latest price, armed, peak, exits]
    ['a spike that armed the stop, latest at the stop price', 104, 102.96, true, 104, true],
    ['a spike that armed the stop, latest just above the stop price', 104, 102.97, true, 104, false],
    ['a high below activation: not armed, no exit', 101.4, 100.2, false, 101.4, false],
    ['a high exactly at activation arms', 101.5, 100.485, true, 101.5, true],
  ])('%s', (_name, high, latest, armed, peak, exits) => {
    const first = evaluateExit(undefined, snapshotAt(100, 0), trailingOnly, T0);
    const r = evaluateExit(first.state, snapshotAt(latest, 2000), trailingOnly, T0 + 2000, {
      observedHigh: { price: high, pnlPct: high - 100 },
    });
    expect({ armed: r.state.trailing_armed, peak: r.state.peak_price, exits: r.decision?.rule === 'trailing_stop' }).toEqual({
      armed,
      peak,
      exits,
    });
  });

  it('ignores an unusable observed high', () => {
    const r = evaluateExit(undefined, snapshotAt(101, 0), trailingOnly, T0, { observedHigh: { price: NaN, pnlPct: 9 } });
    expect({ armed: r.state.trailing_armed, peak: r.state.peak_price }).toEqual({ armed: false, peak: 101 });
  });
});
