import { randomUUID } from 'node:crypto';

import { useTestSchema } from '../testing';
import { TradingSignalInput, TradingSignalRepository } from './trading-signal.repository';

const at = (minute: number) => new Date(Date.UTC(2026, 2, 1, 12, minute)).toISOString();

function signal(overrides: Partial<TradingSignalInput> = {}): TradingSignalInput {
  return {
    signal_id: randomUUID(),
    signal_type: 'buy',
    asset: 'BTCUSDT',
    amount: 125.5,
    confidence: 0.72,
    timestamp: at(0),
    strategy_id: 'momentum',
    model_version: null,
    is_warmup: true,
    market_data_snapshot: { price: 65000.5, spread: 0.5, volume_24h: 12345, volatility: 0.013 },
    metadata: { reason: 'momentum up' },
    trace_id: 'trace-1',
    ...overrides,
  };
}

describe('TradingSignalRepository', () => {
  const t = useTestSchema({}, (dataSource) => ({ repo: new TradingSignalRepository(dataSource) }));

  it('stores a published signal once and reads it back with numbers as numbers', async () => {
    const s = signal({ signal_type: 'SELL' });
    expect(await t.repo.insert(s)).toBe(true);
    expect(await t.repo.insert(s)).toBe(false); // retry after a DB hiccup: no duplicate, no error
    const row = await t.repo.findBySignalId(s.signal_id);
    expect(row).toMatchObject({
      signalId: s.signal_id,
      signalType: 'sell',
      amount: 125.5,
      confidence: 0.72,
      timestamp: new Date(at(0)),
      modelVersion: null,
      isWarmup: true,
      marketDataSnapshot: s.market_data_snapshot,
      metadata: { reason: 'momentum up' },
      traceId: 'trace-1',
    });
    expect(row?.publishedAt).toBeInstanceOf(Date);
    expect(await t.repo.findBySignalId(randomUUID())).toBeNull();
  });

  it('lists with every filter, newest first, with totals and pagination edges', async () => {
    const rows = [
      signal({ strategy_id: 'list-a', asset: 'ETHUSDT', timestamp: at(1) }),
      signal({ strategy_id: 'list-a', asset: 'ETHUSDT', timestamp: at(2), signal_type: 'sell' }),
      signal({ strategy_id: 'list-a', asset: 'SOLUSDT', timestamp: at(3), is_warmup: false, model_version: 'v1' }),
      signal({ strategy_id: 'list-b', asset: 'ETHUSDT', timestamp: at(4) }),
    ];
    for (const r of rows) await t.repo.insert(r);
    const ids = (page: { items: Array<{ signalId: string }> }) => page.items.map((i) => i.signalId);

    const a = await t.repo.list({ strategyId: 'list-a' });
    expect(a.total).toBe(3);
    expect(ids(a)).toEqual([rows[2]!.signal_id, rows[1]!.signal_id, rows[0]!.signal_id]);
    expect(ids(await t.repo.list({ strategyId: 'list-a', asset: 'ETHUSDT', signalType: 'sell' }))).toEqual([
      rows[1]!.signal_id,
    ]);
    expect(ids(await t.repo.list({ strategyId: 'list-a', isWarmup: false }))).toEqual([rows[2]!.signal_id]);
    const window = await t.repo.list({ asset: 'ETHUSDT', startTime: new Date(at(2)), endTime: new Date(at(4)) });
    expect(ids(window)).toEqual([rows[3]!.signal_id, rows[1]!.signal_id]); // both ends inclusive
    const page2 = await t.repo.list({ strategyId: 'list-a' }, 2, 2);
    expect(page2).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(ids(page2)).toEqual([rows[0]!.signal_id]);
    expect((await t.repo.list({ strategyId: 'list-a' }, 2, 3)).items).toEqual([]);
    expect(await t.repo.list({ strategyId: 'nobody' })).toEqual({ items: [], total: 0, limit: 100, offset: 0 });
  });

  it('reports each strategy’s last signal time and counts recent signals', async () => {
    await t.repo.insert(signal({ strategy_id: 'last-x', timestamp: at(10) }));
    await t.repo.insert(signal({ strategy_id: 'last-x', timestamp: at(20) }));
    expect(await t.repo.lastSignalAt(['last-x', 'never'])).toEqual({ 'last-x': new Date(at(20)), never: null });
    expect(await t.repo.countSince('last-x', new Date(at(15)))).toBe(1);
  });

  it('rejects an unparseable timestamp before touching the database', async () => {
    await expect(t.repo.insert(signal({ timestamp: 'yesterday' }))).rejects.toThrow(/invalid timestamp/);
  });

  it('facts: amount and decision price of the known signals only; a missing or unusable price is null', async () => {
    const priced = signal({ amount: 250.25, market_data_snapshot: { price: 64000.5 } });
    const zero = signal({ market_data_snapshot: { price: 0 } });
    const text = signal({ market_data_snapshot: { price: 'n/a' } });
    for (const s of [priced, zero, text]) await t.repo.insert(s);
    const unknown = randomUUID();
    const facts = await t.repo.facts([priced.signal_id, zero.signal_id, text.signal_id, unknown, priced.signal_id]);
    expect([...facts.entries()].sort(([a], [b]) => a.localeCompare(b))).toEqual(
      [
        [priced.signal_id, { amount: 250.25, price: 64000.5 }],
        [zero.signal_id, { amount: 125.5, price: null }],
        [text.signal_id, { amount: 125.5, price: null }],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
    expect((await t.repo.facts([])).size).toBe(0);
  });
});
