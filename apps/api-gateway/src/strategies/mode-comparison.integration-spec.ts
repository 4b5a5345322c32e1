import { ExecutedDecisionRepository } from '@model-service/repositories';
import { FakeClock } from '@model-service/util/testing';

import { GatewayTestApp, startGatewayTestApp } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const START = NOW - 2 * 3_600_000;
const STEP = 120_000;
const Z = 1.959963984540054;

type Mode = 'warmup' | 'model' | 'exit';
interface Row {
  mode: Mode;
  side: 'buy' | 'sell';
  /** Price of this entry; the next row's price is the one the label horizon (60 s) reaches. */
  price: number;
}

/**
 * Ten warm-up BUYs of which 7 win, then ten model entries (BUYs and SELLs) of which 3 win, then an exit close
 * whose price labels the last model entry. Each move is ±1 %, so every outcome is known in advance.
 */
function path(): Row[] {
  const rows: Row[] = [];
  let price = 100;
  const step = (mode: Mode, side: 'buy' | 'sell', win: boolean): void => {
    rows.push({ mode, side, price });
    const up = (side === 'buy') === win;
    price = Math.round(price * (up ? 1.01 : 0.99) * 1e6) / 1e6;
  };
  [1, 1, 0, 1, 1, 0, 1, 1, 0, 1].forEach((w) => step('warmup', 'buy', w === 1));
  [0, 1, 0, 0, 1, 0, 0, 0, 1, 0].forEach((w, i) => step('model', i % 2 ? 'sell' : 'buy', w === 1));
  rows.push({ mode: 'exit', side: 'sell', price });
  return rows;
}

/** The trainer's label written out by hand: the move in the side's direction, minus the entry fee and an exit fee (0.1 % each). */
function netReturn(side: 'buy' | 'sell', price: number, next: number): number {
  return ((side === 'buy' ? next - price : price - next) - 0.001 * price - 0.001 * next) / price;
}

function summary(rets: number[]): { n: number; mean: number; se: number } {
  const n = rets.length;
  const mean = rets.reduce((s, r) => s + r, 0) / n;
  const sd = Math.sqrt(rets.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1));
  return { n, mean, se: sd / Math.sqrt(n) };
}

describe('GET /api/v1/strategies/performance/by-mode (real PostgreSQL)', () => {
  let t: GatewayTestApp;
  const rows = path();

  beforeAll(async () => {
    t = await startGatewayTestApp({ clock: new FakeClock(NOW), env: { MODEL_TRAINING_LABEL_HORIZON_SECONDS: '60' } });
    const seed = new Seeder(t.db.dataSource, t.storageDir);
    const entry = async (strategy: string, at: number, r: Row): Promise<void> => {
      const s = await seed.signal({
        strategy_id: strategy,
        timestamp: new Date(at),
        signal_type: r.side,
        is_warmup: r.mode === 'warmup',
        model_version: r.mode === 'model' ? 'learn-v1' : null,
        market_data_snapshot: { price: r.price, spread: 0.01, volume_24h: 1000, volatility: 0.01 },
      });
      await seed.execution({
        strategy_id: strategy,
        signal_id: s.signal_id,
        side: r.side,
        executed_at: new Date(at + 1_000),
        execution_price: r.price,
        execution_quantity: 1,
        execution_fees: 0.001 * r.price,
      });
    };
    for (let i = 0; i < rows.length; i++) await entry('learn', START + i * STEP, rows[i]);
    // Outside the default window (91 days back): must not count.
    await entry('learn', NOW - 91 * 86_400_000, { mode: 'model', side: 'buy', price: 50 });
    await entry('learn', NOW - 91 * 86_400_000 + STEP, { mode: 'exit', side: 'sell', price: 60 });
    // Another strategy, warm-up only, on its own prices: 1 win, 1 loss, the last entry not labelled yet.
    for (const [i, price] of [200, 204, 201.96].entries()) await entry('solo', START + i * STEP, { mode: 'warmup', side: 'buy', price });
  });

  afterAll(async () => {
    await t?.close();
  });

  it("compares each strategy's model-mode entries with its warm-up entries, labelled as the trainer labels", async () => {
    const res = await t.get('/api/v1/strategies/performance/by-mode').expect(200);
    const returns = (mode: Mode): number[] =>
      rows.flatMap((r, i) => (r.mode === mode && i + 1 < rows.length ? [netReturn(r.side, r.price, rows[i + 1].price)] : []));
    const w = summary(returns('warmup'));
    const m = summary(returns('model'));
    expect(res.body).toMatchObject({
      start_time: new Date(NOW - 90 * 86_400_000).toISOString(),
      end_time: new Date(NOW).toISOString(),
      label: { horizon_seconds: 60, exit_fee_rate: 0.001, min_return: 0 },
      executions_read: rows.length + 3,
      truncated: false,
      data_start: new Date(START).toISOString(),
    });
    expect(res.body.items.map((i: { strategy_id: string }) => i.strategy_id)).toEqual(['learn', 'solo']);
    const [learn, solo] = res.body.items;

    expect(learn.warmup).toMatchObject({ n: 10, win_rate: 0.7 });
    expect(learn.model).toMatchObject({ n: 10, win_rate: 0.3 });
    // Wilson 95 % intervals of 7/10 and 3/10.
    expect(learn.warmup.win_rate_low).toBeCloseTo(0.3968, 4);
    expect(learn.warmup.win_rate_high).toBeCloseTo(0.8922, 4);
    expect(learn.model.win_rate_low).toBeCloseTo(0.1078, 4);
    expect(learn.model.win_rate_high).toBeCloseTo(0.6032, 4);
    // +1 % wins and -1 % losses, less 0.2 % of fees: warm-up about +0.2 %, model about -0.6 %.
    expect(learn.warmup.mean_net_return).toBeCloseTo(w.mean, 12);
    expect(learn.warmup.mean_net_return).toBeCloseTo(0.002, 3);
    expect(learn.warmup.mean_net_return_low).toBeCloseTo(w.mean - Z * w.se, 12);
    expect(learn.warmup.mean_net_return_high).toBeCloseTo(w.mean + Z * w.se, 12);
    expect(learn.model.mean_net_return).toBeCloseTo(m.mean, 12);
    expect(learn.model.mean_net_return).toBeCloseTo(-0.006, 3);
    expect(learn.model.mean_net_return_low).toBeCloseTo(m.mean - Z * m.se, 12);
    expect(learn.model.mean_net_return_high).toBeCloseTo(m.mean + Z * m.se, 12);
    const half = Z * Math.sqrt(w.se ** 2 + m.se ** 2);
    expect(learn.mean_net_return_difference.difference).toBeCloseTo(m.mean - w.mean, 12);
    expect(learn.mean_net_return_difference.low).toBeCloseTo(m.mean - w.mean - half, 12);
    expect(learn.mean_net_return_difference.high).toBeCloseTo(m.mean - w.mean + half, 12);
    // Ten entries a side: 0.8 points worse, yet the interval still reaches above zero (noise cannot be ruled out).
    expect(learn.mean_net_return_difference.low).toBeLessThan(0);
    expect(learn.mean_net_return_difference.high).toBeGreaterThan(0);

    expect(solo).toEqual({
      strategy_id: 'solo',
      model: { n: 0, win_rate: null, win_rate_low: null, win_rate_high: null, mean_net_return: null, mean_net_return_low: null, mean_net_return_high: null },
      warmup: expect.objectContaining({ n: 2, win_rate: 0.5 }),
      mean_net_return_difference: null,
    });
  });

  it('narrows to one strategy and a window (entries whose horizon passes the window end are not labelled)', async () => {
    const end = new Date(START + 5 * STEP).toISOString();
    const res = await t.get(`/api/v1/strategies/performance/by-mode?strategy_id=learn&start_time=${new Date(START).toISOString()}&end_time=${end}`).expect(200);
    expect(res.body.executions_read).toBe(5);
    expect(res.body.items).toHaveLength(1);
    // Entries 0-3 are labelled by the next entry's price; entry 4 has no later price inside the window.
    expect(res.body.items[0]).toMatchObject({ strategy_id: 'learn', warmup: { n: 4, win_rate: 0.75 }, model: { n: 0 } });
    const old = await t.get(`/api/v1/strategies/performance/by-mode?start_time=${new Date(NOW - 91 * 86_400_000).toISOString()}&end_time=${new Date(NOW - 80 * 86_400_000).toISOString()}`).expect(200);
    expect(old.body.items).toEqual([expect.objectContaining({ strategy_id: 'learn', model: expect.objectContaining({ n: 1, win_rate: 1 }) })]);
    expect((await t.get('/api/v1/strategies/performance/by-mode?strategy_id=nobody').expect(200)).body.items).toEqual([]);
  });

  it('reads a bounded number of executions: the newest, returned oldest first, saying older ones were left out', async () => {
    const repo = t.app.get(ExecutedDecisionRepository);
    const cut = await repo.list({ strategyId: 'learn', from: new Date(START) }, 5);
    expect(cut.truncated).toBe(true);
    expect(cut.rows.map((r) => r.signalTimeMs)).toEqual([16, 17, 18, 19, 20].map((i) => START + i * STEP));
    expect(cut.rows.map((r) => r.mode)).toEqual(['model', 'model', 'model', 'model', 'exit']);
    expect(cut.rows[0]).toMatchObject({ strategyId: 'learn', modelVersion: 'learn-v1', asset: 'BTCUSDT', side: 'buy', executedAtMs: START + 16 * STEP + 1_000, executionQuantity: 1 });
    const all = await repo.list({ strategyId: 'learn', from: new Date(START) }, rows.length);
    expect(all.truncated).toBe(false);
    expect(all.rows).toHaveLength(rows.length);
  });

  it.each([
    ['start_time=2025-01-01T00:00:00Z', 'start_time'],
    ['start_time=2026-03-11T00:00:00Z', 'start_time'],
    ['start_time=2026-03-09T00:00:00Z&end_time=2026-03-08T00:00:00Z', 'end_time'],
    ['end_time=yesterday', 'end_time'],
    ['strategy_id=a%20b', 'strategy_id'],
  ])('refuses ?%s naming %s', async (query, field) => {
    expect((await t.get(`/api/v1/strategies/performance/by-mode?${query}`).expect(400)).body.field).toBe(field);
  });
});
