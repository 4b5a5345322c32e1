import { TrainingRunRepository, WarmupClockRepository } from '@model-service/repositories';
import { FakeClock } from '@model-service/util/testing';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { GatewayTestApp, startGatewayTestApp } from '../testing/gateway-test-app.testing';
import { Seeder } from '../testing/seed.testing';

const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);
const H = 3_600_000;
const at = (ms: number) => new Date(ms);

/** A stand-in for the signal-generator's /metrics. */
async function metricsStub(body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(body);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const SKIPS = `# HELP model_service_signals_skipped_total Signals skipped, by reason
# TYPE model_service_signals_skipped_total counter
model_service_signals_skipped_total{strategy_id="trend",reason="open_order"} 4
model_service_signals_skipped_total{strategy_id="trend",reason="rate_limited"} 2
model_service_signals_skipped_total{strategy_id="idle",reason="stale_market_data"} 7
`;

describe('api-gateway strategies, monitoring and signals (real PostgreSQL and RabbitMQ)', () => {
  let t: GatewayTestApp;
  let seed: Seeder;
  let stub: { url: string; server: Server };

  beforeAll(async () => {
    stub = await metricsStub(SKIPS);
    t = await startGatewayTestApp({ clock: new FakeClock(NOW), env: { SIGNAL_GENERATOR_URL: stub.url } });
    seed = new Seeder(t.db.dataSource, t.storageDir);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => stub?.server.close(resolve));
  });

  it('answers empty lists before anything happened', async () => {
    expect((await t.get('/api/v1/strategies').expect(200)).body).toEqual({ items: [], total: 0 });
    expect((await t.get('/api/v1/signals').expect(200)).body).toEqual({ items: [], total: 0, limit: 100, offset: 0 });
    expect((await t.get('/api/v1/monitoring/models/performance').expect(200)).body.items).toEqual([]);
    const series = await t.get('/api/v1/strategies/trend/performance/time-series').expect(200);
    expect(series.body).toEqual({
      strategy_id: 'trend',
      granularity: 'hour',
      start_time: at(NOW - 7 * 24 * H).toISOString(),
      end_time: at(NOW).toISOString(),
      items: [],
      data_points: [],
    });
  });

  describe('with signals, executions, runs and models', () => {
    const modelSignal = 'b0a1f0de-0000-4000-8000-000000000001';
    beforeAll(async () => {
      await seed.model('trend-v1', 'trend');
      await seed.activate('trend-v1', 'trend');
      await seed.signal({ strategy_id: 'trend', timestamp: at(NOW - 30 * H), is_warmup: true });
      await seed.signal({ strategy_id: 'trend', timestamp: at(NOW - 2 * H), signal_type: 'sell', is_warmup: true, asset: 'ETHUSDT' });
      await seed.signal({ signal_id: modelSignal, strategy_id: 'trend', timestamp: at(NOW - H), is_warmup: false, model_version: 'trend-v1' });
      await seed.signal({ strategy_id: 'idle', timestamp: at(NOW - 50 * H) });
      await new TrainingRunRepository(t.db.dataSource).create({ strategyId: 'fresh', trigger: 'manual' });
      // "idle" ran out of warm-up time (a 60 s limit) with no model.
      const clocks = new WarmupClockRepository(t.db.dataSource);
      await clocks.start('idle', at(NOW - 50 * H), 60);
      await clocks.markExpired('idle', at(NOW - 50 * H + 60_000));
      // Executions of "trend": two hours, one of them from the model's signal.
      await seed.execution({ strategy_id: 'trend', executed_at: at(NOW - 3 * H + 60_000), realized_pnl: 10 });
      await seed.execution({ strategy_id: 'trend', executed_at: at(NOW - 3 * H + 120_000), realized_pnl: -4 });
      await seed.execution({ strategy_id: 'trend', executed_at: at(NOW - 3 * H + 180_000) });
      await seed.execution({ strategy_id: 'trend', signal_id: modelSignal, executed_at: at(NOW - H + 60_000), realized_pnl: 6 });
      await seed.execution({ strategy_id: 'trend', executed_at: at(NOW - 10 * 24 * H), realized_pnl: 100 });
    });

    it('lists every strategy with its mode, active model, last signal, activity and skip counts', async () => {
      const res = await t.get('/api/v1/strategies').expect(200);
      expect(res.body.total).toBe(3);
      const [fresh, idle, trend] = res.body.items;
      expect(trend).toEqual({
        strategy_id: 'trend',
        mode: 'model',
        active_model: { version: 'trend-v1', model_type: 'mlp', feature_set_version: 'fs-1', activated_at: expect.stringMatching(/Z$/) },
        warmup: null,
        last_signal_at: at(NOW - H).toISOString(),
        signals: {
          signals_24h: 2,
          buy_24h: 1,
          sell_24h: 1,
          warmup_24h: 1,
          model_24h: 1,
          last_signal_is_warmup: false,
          last_signal_model_version: 'trend-v1',
        },
        skip_counts: { source: 'signal-generator-metrics', total: 6, by_reason: { open_order: 4, rate_limited: 2 } },
      });
      expect(idle).toMatchObject({
        strategy_id: 'idle',
        mode: 'warmup',
        active_model: null,
        last_signal_at: at(NOW - 50 * H).toISOString(),
        signals: { signals_24h: 0, last_signal_is_warmup: true },
        skip_counts: { total: 7, by_reason: { stale_market_data: 7 } },
        warmup: {
          started_at: at(NOW - 50 * H).toISOString(),
          max_duration_seconds: 60,
          ends_at: at(NOW - 50 * H + 60_000).toISOString(),
          expired_at: at(NOW - 50 * H + 60_000).toISOString(),
          expired: true,
        },
      });
      expect(fresh).toMatchObject({ strategy_id: 'fresh', mode: 'warmup', last_signal_at: null, skip_counts: { total: 0, by_reason: {} } });
    });

    it('aggregates a strategy\'s executions per bucket', async () => {
      const res = await t.get('/api/v1/strategies/trend/performance/time-series').expect(200);
      expect(res.body.items).toEqual([
        {
          timestamp: at(NOW - 3 * H).toISOString(),
          success_rate: 1 / 3,
          total_pnl: 6,
          avg_pnl: 3,
          total_orders: 3,
          successful_orders: 1,
          closed_orders: 2,
          win_rate: 0.5,
        },
        { timestamp: at(NOW - H).toISOString(), success_rate: 1, total_pnl: 6, avg_pnl: 6, total_orders: 1, successful_orders: 1, closed_orders: 1, win_rate: 1 },
      ]);
      const daily = await t
        .get('/api/v1/strategies/trend/performance/time-series?granularity=day&start_time=2026-02-01T00:00:00Z&end_time=2026-03-11T00:00:00Z')
        .expect(200);
      expect(daily.body.items.map((b: { timestamp: string; total_orders: number }) => [b.timestamp, b.total_orders])).toEqual([
        ['2026-02-28T00:00:00.000Z', 1],
        ['2026-03-10T00:00:00.000Z', 4],
      ]);
    });

    it.each([
      ['granularity=month', 'granularity'],
      ['end_time=2026-03-01', 'end_time'],
      ['start_time=2026-03-09T00:00:00Z&end_time=2026-03-08T00:00:00Z', 'end_time'],
      ['limit=10', 'limit'],
    ])('refuses performance ?%s naming %s', async (query, field) => {
      expect((await t.get(`/api/v1/strategies/trend/performance/time-series?${query}`).expect(400)).body.field).toBe(field);
    });

    it('lists signals newest first with every filter and pagination edges', async () => {
      const all = await t.get('/api/v1/signals').expect(200);
      expect(all.body.total).toBe(4);
      expect(all.body.items[0]).toMatchObject({
        signal_id: modelSignal,
        strategy_id: 'trend',
        signal_type: 'buy',
        asset: 'BTCUSDT',
        amount: 100,
        confidence: 0.6,
        is_warmup: false,
        model_version: 'trend-v1',
        timestamp: at(NOW - H).toISOString(),
        market_data_snapshot: { price: 65000 },
        metadata: { reason: 'momentum' },
      });
      const q = async (query: string) =>
        (await t.get(`/api/v1/signals?${query}`).expect(200)).body.items.map((s: { timestamp: string }) => s.timestamp);
      expect(await q('strategy_id=idle')).toEqual([at(NOW - 50 * H).toISOString()]);
      expect(await q('asset=ethusdt')).toEqual([at(NOW - 2 * H).toISOString()]);
      expect(await q('signal_type=SELL')).toEqual([at(NOW - 2 * H).toISOString()]);
      expect(await q('is_warmup=false')).toEqual([at(NOW - H).toISOString()]);
      expect(await q(`start_time=${at(NOW - 2 * H).toISOString()}&end_time=${at(NOW - H).toISOString()}`)).toEqual([
        at(NOW - H).toISOString(),
        at(NOW - 2 * H).toISOString(),
      ]);
      expect(await q('strategy_id=trend&limit=2&offset=2')).toEqual([at(NOW - 30 * H).toISOString()]);
      const beyond = await t.get('/api/v1/signals?offset=4').expect(200);
      expect(beyond.body).toEqual({ items: [], total: 4, limit: 100, offset: 4 });
      expect(await q('strategy_id=nobody')).toEqual([]);
    });

    it.each([
      ['limit=5000', 'limit'],
      ['offset=x', 'offset'],
      ['signal_type=hold', 'signal_type'],
      ['asset=BTC-USDT', 'asset'],
      ['is_warmup=yes', 'is_warmup'],
      ['start_time=2026-13-01T00:00:00Z', 'start_time'],
      ['start_time=2026-03-02T00:00:00Z&end_time=2026-03-01T00:00:00Z', 'end_time'],
      ['model_version=x', 'model_version'],
    ])('refuses signals ?%s naming %s', async (query, field) => {
      const res = await t.get(`/api/v1/signals?${query}`).expect(400);
      expect(res.body).toMatchObject({ status_code: 400, error: 'validation_error', field });
    });

    it('reports each active model\'s performance: its own signals and its strategy', async () => {
      const res = await t.get('/api/v1/monitoring/models/performance').expect(200);
      expect(res.body).toMatchObject({ start_time: at(NOW - 24 * H).toISOString(), end_time: at(NOW).toISOString() });
      expect(res.body.items).toEqual([
        {
          strategy_id: 'trend',
          version: 'trend-v1',
          model_type: 'mlp',
          activated_at: expect.stringMatching(/Z$/),
          evaluation: { accuracy: 0.8 },
          latest_quality_metrics: [],
          model_signals: { total_orders: 1, successful_orders: 1, closed_orders: 1, success_rate: 1, win_rate: 1, total_pnl: 6, avg_pnl: 6 },
          strategy: { total_orders: 4, successful_orders: 2, closed_orders: 3, success_rate: 0.5, win_rate: 2 / 3, total_pnl: 12, avg_pnl: 4 },
        },
      ]);
      expect((await t.get('/api/v1/monitoring/models/performance?strategy_id=idle').expect(200)).body.items).toEqual([]);
      const bad = await t.get('/api/v1/monitoring/models/performance?start_time=2026-03-11T00:00:00Z').expect(400);
      expect(bad.body.field).toBe('start_time');
    });

    it('summarises health, models, training and flow for operators', async () => {
      const res = await t.get('/api/v1/monitoring/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'ok',
        timestamp: at(NOW).toISOString(),
        checks: { database: { status: 'up' }, message_queue: { status: 'up' } },
        model_storage: { path: t.storageDir, exists: true, readable: true, versions_on_disk: 1 },
        models: { active_models: 1, strategies: 3, strategies_in_model_mode: 1, strategies_in_warmup: 2 },
        training: { is_training: true, active_runs: 1 },
        activity: {
          last_signal_at: at(NOW - H).toISOString(),
          last_execution_at: at(NOW - H + 60_000).toISOString(),
          signals_last_hour: 1,
          executions_last_hour: 1,
        },
        warnings: [],
      });
    });

    it('puts model_storage and active_models in /health details (the original shape), without a key', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.body).toMatchObject({
        status: 'healthy',
        details: { database: 'connected', message_queue: 'connected', model_storage: 'accessible', active_models: 1 },
      });
    });
  });
});

describe('api-gateway strategies without a signal-generator URL', () => {
  it('says skip counts are unavailable instead of inventing zeros', async () => {
    const t = await startGatewayTestApp();
    try {
      await new Seeder(t.db.dataSource, t.storageDir).signal({ strategy_id: 'alone' });
      const res = await t.get('/api/v1/strategies').expect(200);
      expect(res.body.items[0].skip_counts).toEqual({
        source: 'unavailable',
        total: null,
        by_reason: null,
        error: 'SIGNAL_GENERATOR_URL is not set',
      });
    } finally {
      await t.close();
    }
  });
});
