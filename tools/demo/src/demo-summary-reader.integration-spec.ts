import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { sleep } from '@model-service/util';
import { TcpProxy } from '@model-service/util/testing';

import { renderSnapshot, stagesOf } from './demo-summary';
import { SummaryReader } from './demo-summary-reader';

/** `n` warm-up fills as the loop leaves them: a signal, its filled order, the execution the trainer stored. */
async function seedFills(t: TestDataSource, n: number): Promise<void> {
  await t.dataSource.query(
    `WITH s AS (
       INSERT INTO trading_signals (signal_id, strategy_id, asset, signal_type, amount, confidence, "timestamp", is_warmup, market_data_snapshot)
       SELECT gen_random_uuid(), 'momentum_v1', 'BTCUSDT', 'buy', 100, 0.6, now(), true, '{"price": 50000}'::jsonb FROM generate_series(1, $1)
       RETURNING signal_id
     ), o AS (
       INSERT INTO orders (order_id, signal_id, strategy_id, asset, side, order_type, quantity, status, filled_quantity, average_price)
       SELECT 'o-' || signal_id, signal_id, 'momentum_v1', 'BTCUSDT', 'buy', 'market', 0.002, 'filled', 0.002, 50000 FROM s
       RETURNING order_id, signal_id
     )
     INSERT INTO execution_events (event_id, order_id, signal_id, strategy_id, asset, side, execution_price, execution_quantity, executed_at)
     SELECT 'e-' || order_id, order_id, signal_id, 'momentum_v1', 'BTCUSDT', 'buy', 50000, 0.002, now() FROM o`,
    [n],
  );
}

async function fillsInDatabase(t: TestDataSource): Promise<number> {
  const [row] = (await t.dataSource.query(`SELECT count(*)::int AS n FROM execution_events`)) as Array<{ n: number }>;
  return row.n;
}

const render = (reader: SummaryReader, startedAt: number): string =>
  renderSnapshot(reader.snapshot, {
    elapsedSeconds: (Date.now() - startedAt) / 1000,
    remainingSeconds: null,
    apps: [],
    market: null,
    initialQuote: 100_000,
    modelModePending: null,
    database: { state: reader.database, startedAt, now: Date.now() },
  });

/**
 * The demo summary's reads against the real PostgreSQL through a TCP proxy the test cuts (the server keeps
 * serving everyone else): figures survive an outage, come back by themselves, and the verdict counts every fill.
 */
describe('SummaryReader through a PostgreSQL outage', () => {
  let t: TestDataSource;
  let proxy: TcpProxy;
  let reader: SummaryReader;

  beforeAll(async () => {
    t = await createTestDataSource({ prefix: 'demo_summary' });
    const server = new URL(t.url);
    proxy = await TcpProxy.start({ targetHost: server.hostname, targetPort: Number(server.port || 5432) });
    const url = new URL(proxy.rewrite(t.url));
    url.searchParams.set('options', `-c search_path=${t.schema}`);
    reader = new SummaryReader(url.toString(), { connectTimeoutMs: 1_000 });
  });

  afterAll(async () => {
    await reader?.close();
    await proxy?.close();
    await t?.drop();
  });

  afterEach(() => proxy.restore());

  it('keeps the last figures (not zeros) while cut, then shows what happened during the outage; the verdict counts every fill', async () => {
    await seedFills(t, 40);
    const startedAt = Date.now();
    const reads: Array<{ phase: 'before' | 'cut' | 'after'; fresh: boolean; shown: number | null; text: string }> = [];
    // A run: fills keep coming (the apps write directly), the summary refreshes every 250 ms, the proxy is cut 2.5 s to 5.5 s.
    while (Date.now() - startedAt < 8_000) {
      const at = Date.now() - startedAt;
      const phase = at < 2_500 ? 'before' : at < 5_500 ? 'cut' : 'after';
      if (phase === 'cut' && !proxy.isCut) proxy.cut();
      if (phase === 'after' && proxy.isCut) proxy.restore();
      await seedFills(t, 5);
      const fresh = await reader.refresh();
      reads.push({ phase, fresh: fresh !== null, shown: reader.snapshot?.executionsStored ?? null, text: render(reader, startedAt) });
      await sleep(250);
    }

    const before = reads.filter((r) => r.phase === 'before');
    const cut = reads.filter((r) => r.phase === 'cut');
    const after = reads.filter((r) => r.phase === 'after');
    expect(before.every((r) => r.fresh)).toBe(true);
    const lastBefore = before[before.length - 1].shown ?? 0;
    expect(lastBefore).toBeGreaterThanOrEqual(45);

    // While cut: no read succeeds, the figures stay those of the last read, and the screen says so.
    expect(cut.length).toBeGreaterThanOrEqual(5);
    expect(cut.map((r) => [r.fresh, r.shown])).toEqual(cut.map(() => [false, lastBefore]));
    expect(cut[cut.length - 1].text).toMatch(/database {2}UNREACHABLE for \d+ s \(.+\); figures below as read at 00:0\d, retrying/);
    expect(cut[cut.length - 1].text).toContain(`executions stored by the trainer: ${lastBefore}`);

    // Back: the pool reconnects by itself on the first refresh, and the figures include the fills written during the outage.
    expect(after[0].fresh).toBe(true);
    expect(after.every((r) => r.fresh)).toBe(true);
    expect(after[0].shown).toBeGreaterThan(lastBefore + 5 * (cut.length - 1));
    expect(after[after.length - 1].text).toMatch(/database {2}ok \(back after an outage of [2-5] s\)/);

    const final = await reader.refresh();
    const total = await fillsInDatabase(t);
    expect(final?.executionsStored).toBe(total);
    expect(final?.orders['filled']).toBe(total);
    expect(stagesOf(final!, null)[0]).toEqual({ name: 'warm-up signals', done: true, detail: String(total) });
  }, 30_000);

  it('the final read waits for the database to come back (bounded) instead of keeping stale figures', async () => {
    await reader.refresh();
    proxy.cut();
    await seedFills(t, 7);
    const restore = setTimeout(() => proxy.restore(), 2_000);
    const started = Date.now();
    const final = await reader.readUntilReachable(15_000, 200);
    clearTimeout(restore);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
    expect(final?.executionsStored).toBe(await fillsInDatabase(t));
  }, 30_000);

  it('gives up after its bound while the database stays away, keeping the last figures read', async () => {
    const last = (await reader.refresh())?.executionsStored;
    proxy.cut();
    expect(await reader.readUntilReachable(1_500, 200)).toBeNull();
    expect(reader.snapshot?.executionsStored).toBe(last);
    expect(reader.database).toMatchObject({ reachable: false, error: expect.any(String) });
  }, 30_000);

  it('tells a query the server refused from an outage', async () => {
    const url = new URL(t.url);
    url.searchParams.set('options', '-c search_path=no_such_schema');
    const wrong = new SummaryReader(url.toString());
    try {
      expect(await wrong.refresh()).toBeNull();
      expect(wrong.database).toMatchObject({ reachable: false, queryFailed: true, error: expect.stringMatching(/does not exist/) });
    } finally {
      await wrong.close();
    }
    proxy.cut();
    expect(await reader.refresh()).toBeNull();
    expect(reader.database).toMatchObject({ reachable: false, queryFailed: false });
  });
});
