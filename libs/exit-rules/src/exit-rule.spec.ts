import { evaluateExit } from './evaluate-exit';
import { timeBasedTargetPct, trailingStopPrice } from './exit-rule';
import { ExitRulesConfig } from './exit-rules.config';
import { PositionState } from './position-state';
import { exitConfig, HOUR_MS, onlyRules, runPricePath, snapshotAt, T0 } from './testing';

/** One update with the given pnl% on a fresh position (price kept at entry). */
function decideAtPnl(config: ExitRulesConfig, pnl: number, heldMs = 0) {
  return evaluateExit(undefined, snapshotAt(100, heldMs, { unrealized_pnl_pct: pnl }), config, T0 + heldMs).decision;
}

describe('stop loss (pnl% ≤ −threshold, inclusive)', () => {
  const config = onlyRules({ stopLoss: { enabled: true, thresholdPct: 2.0 } });
  it.each([
    ['exactly at −2.0', -2.0, true],
    ['just below (−2.001)', -2.001, true],
    ['just above (−1.999)', -1.999, false],
    ['deep loss (−15)', -15, true],
    ['in profit (+4)', 4, false],
  ])('%s → fires: %s', (_name, pnl, fires) => {
    const decision = decideAtPnl(config, pnl);
    expect(decision?.rule ?? null).toBe(fires ? 'stop_loss' : null);
    if (fires) {
      expect(decision!.fraction).toBe(1);
      expect(decision!.reason).toMatch(/^stop loss/);
      expect(decision!.parameters).toEqual({ threshold_pct: 2.0 });
    }
  });

  it('counts a price exactly 2 % under an entry as at the threshold despite floating point', () => {
    // (6.86 − 7) / 7 × 100 = −1.9999999999999956 in binary floating point
    const snap = snapshotAt(6.86, 0, { average_entry_price: 7 });
    expect(snap.unrealized_pnl_pct).toBeGreaterThan(-2);
    expect(evaluateExit(undefined, snap, config, T0).decision?.rule).toBe('stop_loss');
  });
});

describe('take profit without partial exit (pnl% ≥ threshold, inclusive)', () => {
  const config = onlyRules({ takeProfit: { enabled: true, thresholdPct: 3.0, partialExit: false } });
  it.each([
    ['exactly at 3.0', 3.0, true],
    ['just above (3.001)', 3.001, true],
    ['just below (2.999)', 2.999, false],
    ['loss', -1, false],
  ])('%s → fires: %s', (_name, pnl, fires) => {
    const decision = decideAtPnl(config, pnl);
    expect(decision?.rule ?? null).toBe(fires ? 'take_profit' : null);
    if (fires) expect(decision!.fraction).toBe(1);
  });

  it('counts a price exactly 3 % above the entry as at the threshold despite floating point', () => {
    // (1.133 − 1.1) / 1.1 × 100 = 2.9999999999999925
    const snap = snapshotAt(1.133, 0, { average_entry_price: 1.1 });
    expect(snap.unrealized_pnl_pct).toBeLessThan(3);
    expect(evaluateExit(undefined, snap, config, T0).decision?.rule).toBe('take_profit');
  });
});

describe('take profit with partial exit', () => {
  const config = onlyRules({
    takeProfit: { enabled: true, thresholdPct: 3.0, partialExit: true, partialAmountPct: 50, secondThresholdPct: 6.0 },
  });
  const afterPartial = (pnl: number) => {
    const first = evaluateExit(undefined, snapshotAt(100, 0, { unrealized_pnl_pct: 3.5 }), config, T0);
    const state: PositionState = { ...first.state, partial_exits_done: 1 };
    return evaluateExit(state, snapshotAt(100, 1000, { unrealized_pnl_pct: pnl }), config, T0 + 1000).decision;
  };

  it.each([
    ['exactly at the first threshold', 3.0, 'take_profit_partial', 0.5],
    ['just below the first threshold', 2.999, null, null],
    ['between thresholds', 4.5, 'take_profit_partial', 0.5],
    ['exactly at the second threshold (skips straight to all)', 6.0, 'take_profit', 1],
  ])('no partial done yet, %s → %s', (_name, pnl, rule, fraction) => {
    const decision = decideAtPnl(config, pnl);
    expect(decision?.rule ?? null).toBe(rule);
    expect(decision?.fraction ?? null).toBe(fraction);
  });

  it.each([
    ['still above the first threshold', 4.0, null],
    ['just below the second threshold', 5.999, null],
    ['exactly at the second threshold', 6.0, 'take_profit'],
    ['just above the second threshold', 6.001, 'take_profit'],
  ])('after the partial exit, %s → %s', (_name, pnl, rule) => {
    expect(afterPartial(pnl)?.rule ?? null).toBe(rule);
  });

  it('sells the configured share: 30 % → fraction 0.3', () => {
    const cfg = onlyRules({ takeProfit: { enabled: true, partialExit: true, partialAmountPct: 30 } });
    const decision = decideAtPnl(cfg, 3.2)!;
    expect(decision.fraction).toBeCloseTo(0.3, 12);
    expect(decision.reason).toContain('selling 30%');
  });

  it('lists both take-profit stages when pnl jumps past the second threshold first', () => {
    const decision = decideAtPnl(config, 7)!;
    expect(decision.triggered.map((t) => t.rule)).toEqual(['take_profit', 'take_profit_partial']);
  });
});

describe('trailing stop', () => {
  const config = onlyRules({ trailingStop: { enabled: true, activationPct: 1.5, distancePct: 1.0 } });

  it.each([
    ['exactly at activation (101.5)', 101.5, true],
    ['just above activation', 101.501, true],
    ['just below activation', 101.499, false],
  ])('arms %s → armed: %s', (_name, price, armed) => {
    const { state } = runPricePath([100, price], config);
    expect(state!.trailing_armed).toBe(armed);
  });

  // peak 102 → stop at 102 × 0.99 = 100.98
  it.each([
    ['exactly at peak × 0.99', 100.98, true],
    ['just above', 100.981, false],
    ['just below', 100.979, true],
  ])('exits on the pull-back %s → exits: %s', (_name, price, exits) => {
    const { exits: fired } = runPricePath([100, 101.5, 102, price], config);
    expect(fired.map((e) => e.decision.rule)).toEqual(exits ? ['trailing_stop'] : []);
  });

  it('arms and exits exactly at the boundaries despite floating point', () => {
    // entry 1.1: 1.1165 is +1.5 % but computes to 1.4999999999999962;
    // peak 1.7: stop 1.7 × 99 / 100 computes to 1.6829999999999998, under the decimal 1.683
    const cfg = onlyRules({ trailingStop: { enabled: true, activationPct: 1.5, distancePct: 1.0 } });
    const entry = { average_entry_price: 1.1 };
    const armed = evaluateExit(undefined, snapshotAt(1.1165, 0, entry), cfg, T0).state;
    expect(armed.trailing_armed).toBe(true);
    const peak = evaluateExit(armed, snapshotAt(1.7, 1, entry), cfg, T0 + 1).state;
    expect(trailingStopPrice(1.7, 1)).toBeLessThan(1.683);
    expect(evaluateExit(peak, snapshotAt(1.683, 2, entry), cfg, T0 + 2).decision?.rule).toBe('trailing_stop');
    expect(evaluateExit(peak, snapshotAt(1.6831, 2, entry), cfg, T0 + 2).decision).toBeNull();
  });

  it('computes the stop price from the peak', () => {
    expect(trailingStopPrice(102, 1)).toBe(100.98);
    expect(trailingStopPrice(200, 2.5)).toBe(195);
  });

  it('never exits while not armed, however far the price falls from its high', () => {
    const { exits, state } = runPricePath([100, 101.4, 100.1, 99.5, 98.5], config);
    expect(exits).toEqual([]);
    expect(state!.trailing_armed).toBe(false);
    expect(state!.peak_price).toBe(101.4);
  });
});

describe('time-based exit (held ≥ maxHours and pnl% ≥ target, both inclusive)', () => {
  const config = onlyRules({ timeBased: { enabled: true, maxHours: 24, profitTargetPct: 0.5, decayPerHourPct: 0 } });
  it.each([
    ['exactly 24 h, exactly at target', 24 * HOUR_MS, 0.5, true],
    ['1 ms short of 24 h', 24 * HOUR_MS - 1, 0.5, false],
    ['24 h, just below target (blocked)', 24 * HOUR_MS, 0.499, false],
    ['30 h, below target (blocked)', 30 * HOUR_MS, 0.3, false],
    ['30 h, in loss (blocked)', 30 * HOUR_MS, -1, false],
    ['30 h, above target', 30 * HOUR_MS, 0.8, true],
    ['1 h, far above target', HOUR_MS, 2.5, false],
  ])('%s → fires: %s', (_name, heldMs, pnl, fires) => {
    const decision = decideAtPnl(config, pnl, heldMs);
    expect(decision?.rule ?? null).toBe(fires ? 'time_based' : null);
  });

  describe('with decay 0.1 points per hour beyond 24 h (floor: break-even)', () => {
    const decaying = onlyRules({ timeBased: { enabled: true, maxHours: 24, profitTargetPct: 0.5, decayPerHourPct: 0.1 } });
    it.each([
      [20, 0.5],
      [24, 0.5],
      [27, 0.2],
      [29, 0],
      [40, 0],
    ])('target after %i h is %d %%', (hours, target) => {
      expect(timeBasedTargetPct(decaying, hours)).toBeCloseTo(target, 12);
    });

    it.each([
      ['27 h at the decayed target 0.2', 27, 0.2, true],
      ['27 h just below the decayed target', 27, 0.199, false],
      ['27 h above the original target', 27, 0.6, true],
      ['40 h at break-even (the floor)', 40, 0, true],
      ['40 h at a loss: decay never goes below break-even', 40, -0.01, false],
    ])('%s → fires: %s', (_name, hours, pnl, fires) => {
      expect(decideAtPnl(decaying, pnl, hours * HOUR_MS)?.rule ?? null).toBe(fires ? 'time_based' : null);
    });

    it('keeps a negative configured target as the floor', () => {
      const negative = exitConfig({ timeBased: { profitTargetPct: -0.5, decayPerHourPct: 1 } });
      expect(timeBasedTargetPct(negative, 30)).toBe(-0.5);
    });
  });

  it('measures holding time from opened_at, not from the first update seen', () => {
    // First seen 23 h after opening; one hour later it has been held 24 h.
    const first = evaluateExit(undefined, snapshotAt(100.6, 23 * HOUR_MS), config, T0 + 23 * HOUR_MS);
    expect(first.decision).toBeNull();
    const next = evaluateExit(first.state, snapshotAt(100.6, 24 * HOUR_MS), config, T0 + 24 * HOUR_MS);
    expect(next.decision?.rule).toBe('time_based');
  });
});

describe('disabled rules never fire', () => {
  const allOff = onlyRules();
  it.each([
    ['stop loss', -50],
    ['take profit', 50],
    ['time based', 10],
  ])('%s with an extreme pnl, all rules off → nothing', (_name, pnl) => {
    expect(decideAtPnl(allOff, pnl, 1000 * HOUR_MS)).toBeNull();
  });

  it.each([
    ['stop loss', exitConfig({ stopLoss: { enabled: false } }), -10, ['trailing_stop']],
    ['take profit', exitConfig({ takeProfit: { enabled: false } }), 10, []],
  ])('with only %s off, the others still decide', (_name, config, pnlGap, expected) => {
    // arm the trailing stop at 101.5, then gap to pnlGap
    const { exits } = runPricePath([100, 101.5, 100 + pnlGap], config);
    expect(exits.map((e) => e.decision.rule)).toEqual(expected);
  });

  it('a disabled trailing stop neither arms nor exits', () => {
    const config = exitConfig({ trailingStop: { enabled: false }, takeProfit: { enabled: false } });
    const { exits, state } = runPricePath([100, 102.9, 101, 100.2], config);
    expect(exits).toEqual([]);
    expect(state!.trailing_armed).toBe(false);
  });
});
