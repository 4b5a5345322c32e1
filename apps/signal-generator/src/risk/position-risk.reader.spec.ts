import { PositionAnswer, PositionManagerClient } from '@model-service/neighbours';
import { configureLogging } from '@model-service/util';
import { captureLogs, FakeClock } from '@model-service/util/testing';

import { testAccount } from '../checks/check-fixtures.testing';
import { PositionManagerStub, StubBehaviour, stubPosition } from '../testing/position-manager-stub.testing';
import { PositionCache } from './position-cache';
import { PositionRiskReader, PositionSource, PROBE_INTERVAL_MS } from './position-risk.reader';

const KEY = 'pm-test-key';
const STRATEGY = 'model_strategy';
/** What the positions table says (the fallback): 0.2 BTC at +1.5 %. */
const TABLE = testAccount({ position: { size: 0.2, value: 10_000, sizeNorm: 0.5, unrealizedPnlPct: 1.5 } });

describe('PositionRiskReader against a real HTTP position manager', () => {
  let stub: PositionManagerStub;
  let url: string;
  let logs: Array<Record<string, unknown>>;

  beforeAll(async () => {
    stub = new PositionManagerStub(KEY);
    url = await stub.start();
  });

  afterAll(async () => {
    await stub.stop();
    configureLogging({ service: 'model-service', level: 'info' });
  });

  beforeEach(() => {
    stub.requests.length = 0;
    logs = captureLogs({ service: 'signal-generator-test' });
  });

  function reader(opts: { timeoutMs?: number; cache?: boolean; ttlMs?: number; clock?: FakeClock; apiKey?: string } = {}) {
    const clock = opts.clock ?? new FakeClock(Date.now());
    const looked: PositionSource[] = [];
    const degraded: boolean[] = [];
    const r = new PositionRiskReader(
      new PositionManagerClient({ baseUrl: `${url}/`, apiKey: opts.apiKey ?? KEY, timeoutMs: opts.timeoutMs ?? 300 }),
      new PositionCache<PositionAnswer>({ enabled: opts.cache ?? true, ttlMs: opts.ttlMs ?? 30_000, maxSize: 100 }, clock),
      { looked: (s) => looked.push(s), degradedChanged: (d) => degraded.push(d) },
      clock,
    );
    return { r, looked, degraded, clock };
  }

  it("reads the strategy's own position (with X-API-Key) and serves repeats from the cache until the TTL ends", async () => {
    stub.set('BTCUSDT', {
      kind: 'positions',
      positions: [
        stubPosition({ asset: 'BTCUSDT', strategyId: 'someone_else', size: 9, pnlPct: 9, sizeNorm: 0.9 }),
        stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.3, pnlPct: 3.5, sizeNorm: 0.25 }),
      ],
    });
    const { r, looked, clock } = reader({ ttlMs: 30_000 });
    const first = await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
    expect(first).toEqual({ source: 'position_manager', size: 0.3, unrealizedPnlPct: 3.5, sizeNorm: 0.25 });
    expect(stub.requests).toEqual([{ path: '/api/v1/positions/BTCUSDT', apiKey: KEY, at: expect.any(Number) }]);

    clock.advance(29_999);
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'cache', unrealizedPnlPct: 3.5 });
    expect(stub.requests).toHaveLength(1);
    clock.advance(1);
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'position_manager' });
    expect(stub.requests).toHaveLength(2);
    expect(looked).toEqual(['position_manager', 'cache', 'position_manager']);
  });

  it('treats 404 as flat and computes size_norm itself when the answer has none', async () => {
    stub.set('ETHUSDT', { kind: 'flat' });
    const { r } = reader();
    expect(await r.read(STRATEGY, 'ETHUSDT', TABLE, 3_000)).toEqual({ source: 'position_manager', size: 0, unrealizedPnlPct: null, sizeNorm: 0 });
    const bare = stubPosition({ asset: 'SOLUSDT', strategyId: null, size: 10, pnlPct: 1, price: 150 });
    delete bare['position_size_norm'];
    stub.set('SOLUSDT', { kind: 'positions', positions: [bare] });
    // 10 SOL x 150 = 1,500 against 10,000 USDT available: 1,500 / 11,500.
    expect(await r.read(STRATEGY, 'SOLUSDT', TABLE, 150)).toMatchObject({ size: 10, sizeNorm: 1_500 / 11_500 });
  });

  it('a position event invalidates the asset, also while a request is under way (its answer is not cached)', async () => {
    stub.set('BTCUSDT', { kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.1, pnlPct: 1 })] });
    const { r } = reader();
    await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
    stub.set('BTCUSDT', { kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.1, pnlPct: 4 })] });
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'cache', unrealizedPnlPct: 1 });
    r.invalidate('BTCUSDT');
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'position_manager', unrealizedPnlPct: 4 });

    stub.set('BTCUSDT', { kind: 'delay', ms: 100, then: { kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: STRATEGY, size: 0.1, pnlPct: 2 })] } });
    r.invalidate('BTCUSDT');
    const during = r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
    r.invalidate('BTCUSDT'); // the position changed while the request was running
    expect(await during).toMatchObject({ unrealizedPnlPct: 2 });
    const before = stub.requests.length;
    await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
    expect(stub.requests.length).toBe(before + 1);
  });

  it('strategies deciding on one asset at once share one request', async () => {
    stub.set('BTCUSDT', { kind: 'delay', ms: 50, then: { kind: 'positions', positions: [stubPosition({ asset: 'BTCUSDT', strategyId: null, size: 1, pnlPct: 0 })] } });
    const { r } = reader();
    const results = await Promise.all([r.read('a', 'BTCUSDT', TABLE, 50_000), r.read('b', 'BTCUSDT', TABLE, 50_000)]);
    expect(results.map((x) => x.size)).toEqual([1, 1]);
    expect(stub.requests).toHaveLength(1);
  });

  it.each<[string, StubBehaviour, number]>([
    ['a timeout', { kind: 'delay', ms: 1_000, then: { kind: 'flat' } }, 150],
    ['a 500', { kind: 'status', status: 500 }, 300],
    ['a 503 with an HTML body', { kind: 'status', status: 503, body: '<html>unavailable</html>' }, 300],
    ['malformed JSON', { kind: 'raw', body: '{"asset": "BTCUSDT", "positions": [' }, 300],
    ['JSON of another shape', { kind: 'raw', body: '{"hello": "world"}' }, 300],
    ['a position without a size', { kind: 'raw', body: '{"positions": [{"asset": "BTCUSDT", "strategy_id": "model_strategy"}]}' }, 300],
  ])('falls back to the positions table on %s, without throwing', async (_name, behaviour, timeoutMs) => {
    stub.set('BTCUSDT', behaviour);
    const { r, degraded } = reader({ timeoutMs });
    const started = Date.now();
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toEqual({ source: 'positions_table', size: 0.2, unrealizedPnlPct: 1.5, sizeNorm: 0.5 });
    expect(Date.now() - started).toBeLessThan(900);
    expect(degraded).toEqual([true]);
    expect(r.status()).toMatchObject({ degraded: true, fallbacks: 1, last_error: expect.any(String) });
  });

  it('during an outage, decisions use the table at once; the position manager is asked again every 5 s or after a position event', async () => {
    stub.set('BTCUSDT', { kind: 'delay', ms: 1_000, then: { kind: 'flat' } });
    const { r, clock } = reader({ timeoutMs: 150 });
    await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000); // times out: the outage starts
    const started = Date.now();
    for (let i = 0; i < 5; i++) expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'positions_table' });
    expect(Date.now() - started).toBeLessThan(100);
    expect(stub.requests).toHaveLength(1);
    clock.advance(PROBE_INTERVAL_MS - 1);
    await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
    expect(stub.requests).toHaveLength(1);
    clock.advance(1);
    stub.set('BTCUSDT', { kind: 'status', status: 500 });
    await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000); // the probe, failing again
    expect(stub.requests).toHaveLength(2);
    r.invalidate('BTCUSDT');
    stub.set('BTCUSDT', { kind: 'flat' });
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'position_manager', size: 0 });
    expect(r.status()).toMatchObject({ degraded: false });
  });

  it('a wrong API key (401) is unavailability too', async () => {
    const { r } = reader({ apiKey: 'wrong' });
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'positions_table' });
  });

  it('logs an outage once when it starts and once when it ends, not per signal', async () => {
    stub.set('BTCUSDT', { kind: 'status', status: 502 });
    const { r, degraded, clock } = reader({ cache: false });
    for (let i = 0; i < 5; i++) {
      await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
      clock.advance(PROBE_INTERVAL_MS);
    }
    expect(r.status()).toMatchObject({ degraded: true, fallbacks: 5 });
    stub.set('BTCUSDT', { kind: 'flat' });
    for (let i = 0; i < 3; i++) expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toMatchObject({ source: 'position_manager', size: 0 });
    stub.set('BTCUSDT', { kind: 'raw', body: 'oops' });
    await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000);
    expect(stub.requests).toHaveLength(9); // cache off: every read asks
    expect(degraded).toEqual([true, false, true]);
    const about = logs.filter((l) => l['context'] === 'PositionRisk').map((l) => [l['level'], l['msg']]);
    expect(about).toEqual([
      ['warn', 'position manager unavailable: using the positions table until it answers again'],
      ['info', 'position manager answers again'],
      ['warn', 'position manager unavailable: using the positions table until it answers again'],
    ]);
    expect(logs.find((l) => l['msg'] === 'position manager answers again')).toMatchObject({ fallbacks: 5, first_failure: 'http_status' });
  });

  it('without POSITION_MANAGER_URL the positions table is the source', async () => {
    const r = new PositionRiskReader(null, new PositionCache<PositionAnswer>({ enabled: true, ttlMs: 1, maxSize: 1 }));
    expect(await r.read(STRATEGY, 'BTCUSDT', TABLE, 50_000)).toEqual({ source: 'positions_table', size: 0.2, unrealizedPnlPct: 1.5, sizeNorm: 0.5 });
    expect(await r.read(STRATEGY, 'BTCUSDT', testAccount(), 50_000)).toEqual({ source: 'positions_table', size: 0, unrealizedPnlPct: null, sizeNorm: 0 });
  });
});
