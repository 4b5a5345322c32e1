import { TradingSignal } from '@model-service/signals';
import { exampleTradingSignal } from '@model-service/signals/testing';

import { SignalPersister } from './signal-persister';

function counters() {
  return { failed: 0, dropped: 0, backlog: 0, persistFailed() { this.failed++; }, persistDroppedSignals(n = 1) { this.dropped += n; }, setPersistBacklog(n: number) { this.backlog = n; } };
}

describe('SignalPersister', () => {
  it('stores in the background: enqueue returns at once even while the database is down, and every signal lands once it is back', async () => {
    const stored = new Map<string, number>();
    let down = true;
    const write = async (s: TradingSignal) => {
      if (down) throw new Error('connection refused');
      stored.set(s.signal_id, (stored.get(s.signal_id) ?? 0) + 1);
    };
    const metrics = counters();
    const persister = new SignalPersister(write, { maxBacklog: 1_000, retryBaseMs: 10 }, metrics);
    const signals = Array.from({ length: 50 }, () => exampleTradingSignal());
    // enqueue() is synchronous: the signal flow never waits for the database.
    for (const s of signals) expect(persister.enqueue(s, new Date())).toBeUndefined();
    expect(persister.backlog).toBe(50);
    await new Promise((r) => setTimeout(r, 100));
    expect(stored.size).toBe(0);
    expect(metrics.failed).toBeGreaterThan(0);
    expect(persister.backlog).toBe(50);
    down = false;
    expect(await persister.drain(5_000)).toBe(0);
    expect([...stored.keys()].sort()).toEqual(signals.map((s) => s.signal_id).sort());
    expect(Math.max(...stored.values())).toBe(1);
    expect(metrics.dropped).toBe(0);
  });

  it('drops the oldest (counted) beyond the backlog limit', async () => {
    const metrics = counters();
    const persister = new SignalPersister(() => Promise.reject(new Error('down')), { maxBacklog: 100, retryBaseMs: 10_000, concurrency: 1 }, metrics);
    for (let i = 0; i < 105; i++) persister.enqueue(exampleTradingSignal(), new Date());
    await new Promise((r) => setTimeout(r, 20));
    expect(metrics.dropped).toBeGreaterThanOrEqual(4);
    expect(persister.backlog).toBeLessThanOrEqual(101);
    persister.stop();
    expect(metrics.dropped).toBeGreaterThanOrEqual(104);
  });
});
