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

  it('hands over only the newest update of a burst, once, when the window closes', () => {
    const outcomes = [101, 102, 105, 103].map((p, i) => d.push('k', update(p, i)));
    expect(outcomes).toEqual(['scheduled', 'coalesced', 'coalesced', 'coalesced']);
    clock.advance(WINDOW - 1);
    expect(runs).toHaveLength(0);
    clock.advance(1);
    expect(runs.map((r) => [r.u.snapshot.current_price, r.u.coalesced, r.u.traceId])).toEqual([[103, 3, 't3']]);
    expect(runs[0].u.observedHigh).toEqual({ price: 105, pnlPct: 5 });
  });

  it('does not restart the window on every update (a steady stream is evaluated every window)', () => {
    d.push('k', update(101, 0));
    clock.advance(60);
    d.push('k', update(102, 1));
    clock.advance(40);
    expect(runs).toHaveLength(1);
  });

  it.each([
    ['older than the pending one', 'stale', 5],
    ['at the same millisecond (arrived later, wins)', 'coalesced', 10],
    ['newer', 'coalesced', 11],
  ])('an update %s → %s', (_name, outcome, ts) => {
    d.push('k', update(101, 10));
    expect(d.push('k', update(99, ts))).toBe(outcome);
  });

  it('drops an update older than one already handed over', async () => {
    d.push('k', update(101, 10));
    clock.advance(WINDOW);
    release.shift()!();
    await flushMicrotasks();
    expect(d.push('k', update(90, 9))).toBe('stale');
    clock.advance(WINDOW);
    expect(runs).toHaveLength(1);
  });

  it('never runs one position twice at once; an update during a run waits and opens a new window after it', async () => {
    d.push('k', update(101, 1));
    clock.advance(WINDOW);
    d.push('k', update(102, 2));
    clock.advance(WINDOW * 3);
    expect(runs).toHaveLength(1);
    release.shift()!();
    await flushMicrotasks();
    clock.advance(WINDOW);
    expect(runs.map((r) => r.u.snapshot.current_price)).toEqual([101, 102]);
  });

  it('keeps positions apart', () => {
    d.push('a', update(101, 1));
    d.push('b', update(102, 1, { asset: 'ETHUSDT' }));
    clock.advance(WINDOW);
    expect(runs.map((r) => r.key).sort()).toEqual(['a', 'b']);
  });

  it('does not carry the high of another position (re-opened) into the new one', () => {
    d.push('k', update(110, 1));
    d.push('k', update(100, 2, { position_id: 'p2' }));
    clock.advance(WINDOW);
    expect(runs[0].u.observedHigh).toBeUndefined();
  });

  it('flushAll hands over what is pending at once and waits for it', async () => {
    d.push('k', update(101, 1));
    const flushed = d.flushAll();
    expect(runs).toHaveLength(1);
    let done = false;
    void flushed.then(() => (done = true));
    await flushMicrotasks();
    expect(done).toBe(false);
    release.shift()!();
    await flushed;
    expect(clock.pending()).toBe(0);
  });
});
