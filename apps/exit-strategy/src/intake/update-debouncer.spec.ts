import { PositionSnapshot } from '@model-service/exit-rules';

import { PendingUpdate, Scheduler, UpdateDebouncer } from './update-debouncer';

/** A scheduler driven by the test: `advance(ms)` runs what is due. */
function manualScheduler(): { schedule: Scheduler; advance: (ms: number) => void; pending: () => number } {
  let now = 0;
  let timers: Array<{ at: number; fn: () => void }> = [];
  return {
    schedule: (fn, delayMs) => {
      const t = { at: now + delayMs, fn };
      timers.push(t);
      return () => (timers = timers.filter((x) => x !== t));
    },
    advance: (ms) => {
      now += ms;
      const due = timers.filter((t) => t.at <= now);
      timers = timers.filter((t) => t.at > now);
      due.forEach((t) => t.fn());
    },
    pending: () => timers.length,
  };
}

function update(price: number, ts: number, o: Partial<PositionSnapshot> = {}): PendingUpdate {
  return {
    snapshot: {
      position_id: 'p1',
      asset: 'BTCUSDT',
      strategy_id: 's',
      size: 1,
      average_entry_price: 100,
      current_price: price,
      unrealized_pnl_pct: price - 100,
      opened_at: 0,
      timestamp: ts,
      ...o,
    },
    traceId: `t${ts}`,
    source: 'queue',
    receivedAt: 0,
    coalesced: 0,
  };
}

const flushMicrotasks = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('UpdateDebouncer', () => {
  let runs: Array<{ key: string; u: PendingUpdate }>;
  let release: Array<() => void>;
  let clock: ReturnType<typeof manualScheduler>;
  let d: UpdateDebouncer;
  const WINDOW = 100;

  beforeEach(() => {
    runs = [];
    release = [];
    clock = manualScheduler();
    d = new UpdateDebouncer(
      WINDOW,
      (key, u) => {
        runs.push({ key, u });
        return new Promise<void>((r) => release.push(r));
      },
      clock.schedule,
    );
  });

  /** Lets the run in progress finish and its promise callbacks settle. */
  async function finishRun(): Promise<void> {
    release.shift()!();
    await flushMicrotasks();
  }

  it('evaluates the first update of a quiet position at once, with no timer wait', () => {
    expect(d.push('k', update(101, 1))).toBe('evaluated');
    expect(runs.map((r) => r.u.snapshot.current_price)).toEqual([101]);
  });

  it('a burst of 100 costs 2 evaluations: the first at once and the newest when the window closes', async () => {
    const prices = Array.from({ length: 100 }, (_, i) => (i === 50 ? 120 : 101 + i / 100));
    const outcomes = prices.map((p, i) => d.push('k', update(p, i)));
    expect(outcomes.slice(0, 3)).toEqual(['evaluated', 'scheduled', 'coalesced']);
    expect(runs).toHaveLength(1);
    await finishRun();
    clock.advance(WINDOW - 1);
    expect(runs).toHaveLength(1);
    clock.advance(1);
    expect(runs.map((r) => [r.u.snapshot.current_price, r.u.coalesced, r.u.traceId])).toEqual([
      [101, 0, 't0'],
      [prices[99], 98, 't99'],
    ]);
    expect(runs[1].u.observedHigh).toEqual({ price: 120, pnlPct: 20 });
    await finishRun();
    clock.advance(WINDOW * 5);
    expect(runs).toHaveLength(2);
  });

  it('does not restart the window on every update (a steady stream is evaluated once per window)', async () => {
    for (let t = 0; t < 10 * WINDOW; t += 10) {
      d.push('k', update(101 + t / 1000, t));
      if (release.length) await finishRun();
      clock.advance(10);
    }
    // the leading evaluation, then one at each window close: 10 windows of 100 ms in 1,000 ms
    expect(runs.length).toBeGreaterThanOrEqual(10);
    expect(runs.length).toBeLessThanOrEqual(11);
  });

  it.each([
    ['older than the pending one', 'stale', 5],
    ['at the same millisecond (arrived later, wins)', 'coalesced', 10],
    ['newer', 'coalesced', 11],
  ])('an update %s → %s', (_name, outcome, ts) => {
    d.push('k', update(100, 1)); // evaluated at once, opens the window
    d.push('k', update(101, 10)); // pending
    expect(d.push('k', update(99, ts))).toBe(outcome);
  });

  it('drops an update older than one already handed over', async () => {
    d.push('k', update(101, 10));
    await finishRun();
    expect(d.push('k', update(90, 9))).toBe('stale');
    clock.advance(WINDOW);
    expect(runs).toHaveLength(1);
  });

  it('never runs one position twice at once; an update during a long run goes when the run ends', async () => {
    d.push('k', update(101, 1));
    expect(d.push('k', update(102, 2))).toBe('scheduled');
    clock.advance(WINDOW * 3);
    expect(runs).toHaveLength(1);
    await finishRun();
    expect(runs.map((r) => r.u.snapshot.current_price)).toEqual([101, 102]);
  });

  it('an update after a short run waits for the window to close', async () => {
    d.push('k', update(101, 1));
    await finishRun();
    clock.advance(10);
    expect(d.push('k', update(102, 2))).toBe('scheduled');
    clock.advance(WINDOW - 11);
    expect(runs).toHaveLength(1);
    clock.advance(1);
    expect(runs.map((r) => r.u.snapshot.current_price)).toEqual([101, 102]);
  });

  it('a position quiet for a whole window is evaluated at once again', async () => {
    d.push('k', update(101, 1));
    await finishRun();
    clock.advance(WINDOW);
    expect(d.push('k', update(102, 2))).toBe('evaluated');
    expect(runs).toHaveLength(2);
  });

  it('keeps positions apart', () => {
    d.push('a', update(101, 1));
    d.push('b', update(102, 1, { asset: 'ETHUSDT' }));
    expect(runs.map((r) => r.key).sort()).toEqual(['a', 'b']);
  });

  it('does not carry the high of another position (re-opened) into the new one', async () => {
    d.push('k', update(105, 1));
    d.push('k', update(110, 2));
    d.push('k', update(100, 3, { position_id: 'p2' }));
    await finishRun();
    clock.advance(WINDOW);
    expect(runs[1].u.snapshot.position_id).toBe('p2');
    expect(runs[1].u.observedHigh).toBeUndefined();
  });

  it('flushAll hands over what is pending at once and waits for it', async () => {
    d.push('k', update(101, 1));
    d.push('k', update(102, 2));
    const flushed = d.flushAll();
    let done = false;
    void flushed.then(() => (done = true));
    await finishRun();
    expect(runs.map((r) => r.u.snapshot.current_price)).toEqual([101, 102]);
    expect(done).toBe(false);
    release.shift()!();
    await flushed;
    expect(clock.pending()).toBe(0);
  });
});
