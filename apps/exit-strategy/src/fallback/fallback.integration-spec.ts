import { forceCloseConnection } from '@model-service/messaging/testing';
import { PositionRepository, PositionStateRepository } from '@model-service/repositories';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { logLineSink } from '@model-service/util/testing';
import { INestApplication } from '@nestjs/common';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { BrokerProbe, eventually, metricValue, positionUpdate, settle, startExitApp, uniquePrefix } from '../testing/exit-app-harness.testing';
import { FallbackMonitor } from './fallback-monitor.service';

const API_KEY = 'exit-test-key';

/** A position manager stub: ETHUSDT is at +3.33 %, every other asset has no position. */
async function startPositionManagerStub(): Promise<{ server: Server; url: string; requests: Array<{ path: string; key: unknown }> }> {
  const requests: Array<{ path: string; key: unknown }> = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', key: req.headers['x-api-key'] });
    if (req.headers['x-api-key'] !== API_KEY) return void res.writeHead(401).end('{"error":"unauthorized"}');
    if (req.url !== '/api/v1/positions/ETHUSDT') return void res.writeHead(404).end('{"error":"no position"}');
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        position_id: 'pm-eth-7',
        asset: 'ETHUSDT',
        strategy_id: 'momentum',
        size: '0.5',
        average_entry_price: '3000',
        current_price: '3100',
        unrealized_pnl: '50',
        unrealized_pnl_pct: 3.3333,
        updated_at: new Date().toISOString(),
      }),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('fallback when position updates stop or the consumer is disconnected', () => {
  let db: TestDataSource;
  let probe: BrokerProbe;
  let app: INestApplication;
  let stub: Awaited<ReturnType<typeof startPositionManagerStub>>;
  const logs = logLineSink();
  const service = `exit-strategy-fb${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = await createTestDataSource({ prefix: 'exit_fallback' });
    stub = await startPositionManagerStub();
    const prefix = uniquePrefix('fallback');
    probe = await BrokerProbe.open(prefix);
    app = await startExitApp(
      {
        DATABASE_SCHEMA: db.schema,
        QUEUE_PREFIX: prefix,
        MODEL_SERVICE_SERVICE_NAME: service,
        EXIT_STRATEGY_FALLBACK_AFTER_SECONDS: '1',
        EXIT_STRATEGY_FALLBACK_INTERVAL_SECONDS: '0.2',
        POSITION_MANAGER_URL: stub.url,
        POSITION_MANAGER_API_KEY: API_KEY,
        EXIT_STRATEGY_DEBOUNCE_MS: '0',
        TAKE_PROFIT_THRESHOLD_PCT: '3',
        STOP_LOSS_THRESHOLD_PCT: '2',
        MODEL_SERVICE_LOG_LEVEL: 'info',
      },
      { logTo: logs.transport },
    );
  });

  afterAll(async () => {
    await app?.close();
    stub?.server.close();
    await probe?.destroy();
    await db?.drop();
  });

  const logged = (msg: string): Array<Record<string, unknown>> => logs.lines.filter((l) => l['msg'] === msg);

  async function sendUpdate(price: number, atMs: number): Promise<void> {
    const before = await metricValue(app, 'exit_updates_received_total');
    await probe.publish([positionUpdate(price, atMs, { positionId: 'eth-q', asset: 'ETHUSDT', entry: 3000, size: 0.5 })]);
    await eventually(async () => (await metricValue(app, 'exit_updates_received_total')) > before, 'the update');
    await settle(app);
  }

  it('evaluates from the positions table and the position manager API, and logs degradation and recovery', async () => {
    await sendUpdate(3000, Date.now() - 5_000); // ETH known from the queue, flat
    await app.get(PositionRepository).upsert({
      asset: 'BTCUSDT',
      strategyId: 'momentum',
      size: 1,
      averageEntryPrice: 100,
      currentPrice: 97.5,
      unrealizedPnl: -2.5,
      unrealizedPnlPct: -2.5,
      realizedPnl: 0,
      openedAt: new Date(Date.now() - 3_600_000),
    });
    expect(await probe.take(probe.topology.tradingSignals)).toEqual([]);

    const signals: Array<Record<string, unknown>> = [];
    await eventually(async () => {
      signals.push(...(await probe.take(probe.topology.tradingSignals)));
      return signals.length >= 2;
    }, 'two fallback exits');
    const summary = signals
      .map((s) => s['metadata'] as Record<string, Record<string, unknown>>)
      .map((m) => [m['position']['asset'], m['exit_reason'], m['update_source'], m['position']['position_id']])
      .sort();
    expect(summary).toEqual([
      ['BTCUSDT', 'stop_loss', 'positions_table', expect.any(String)],
      ['ETHUSDT', 'take_profit', 'position_manager_api', 'eth-q'],
    ]);
    expect(stub.requests).toContainEqual({ path: '/api/v1/positions/ETHUSDT', key: API_KEY });
    expect(stub.requests).toContainEqual({ path: '/api/v1/positions/BTCUSDT', key: API_KEY });
    expect(logged('position updates degraded; evaluating exits from the positions table periodically')).toEqual([
      expect.objectContaining({ level: 'warn', reason: 'no_position_updates', position_manager_api: 'on' }),
    ]);
    expect(await metricValue(app, 'exit_fallback_active')).toBe(1);

    // Later rounds see the same positions: the cooldown holds them back, nothing is signalled twice.
    await eventually(async () => (await metricValue(app, 'exit_signals_suppressed_total')) >= 2, 'suppressed repeats');
    expect(await probe.take(probe.topology.tradingSignals)).toEqual([]);

    // The position manager closes BTC in its table: the fallback clears its state.
    await app.get(PositionRepository).upsert({
      asset: 'BTCUSDT',
      strategyId: 'momentum',
      size: 0,
      averageEntryPrice: 100,
      currentPrice: 97.5,
      unrealizedPnl: 0,
      unrealizedPnlPct: 0,
      realizedPnl: -2.5,
      openedAt: new Date(Date.now() - 3_600_000),
      closedAt: new Date(),
    });
    await eventually(async () => (await metricValue(app, 'exit_positions_closed_total')) === 1, 'the close');
    await eventually(async () => (await app.get(PositionStateRepository).get('BTCUSDT:momentum')) === null, 'BTC state cleared');
    expect(await app.get(PositionStateRepository).get('ETHUSDT:momentum')).toMatchObject({ positionId: 'eth-q' });

    await sendUpdate(3010, Date.now());
    expect(await metricValue(app, 'exit_fallback_active')).toBe(0);
    expect(logged('position updates recovered; fallback evaluation stopped')).toEqual([
      expect.objectContaining({ level: 'info', reason: 'no_position_updates' }),
    ]);
    expect(app.get(FallbackMonitor).status()).toMatchObject({ active: false, reason: null });
  });

  it('treats a disconnected consumer as degraded until updates flow again', async () => {
    await sendUpdate(3020, Date.now());
    expect(await forceCloseConnection(`${service}-consumer`)).toBeGreaterThan(0);
    await eventually(() => logs.lines.some((l) => l['reason'] === 'consumer_disconnected'), 'the disconnect to be noticed', 5_000);
    await eventually(async () => {
      await sendUpdate(3030, Date.now());
      return app.get(FallbackMonitor).status().active === false;
    }, 'recovery', 15_000);
  });
});
