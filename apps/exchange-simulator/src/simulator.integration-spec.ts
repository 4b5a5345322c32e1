import { deleteQueues, publishRaw, takeAll, TEST_RABBITMQ_URL, uniqueName, waitFor } from '@model-service/messaging/testing';
import { bootstrapService, RunningService } from '@model-service/platform';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { OrderExecutionEvent, parse, parseKline, parseOrderbook, parseTicker, PositionUpdateEvent, Topology, topology, TradingSignal } from '@model-service/signals';
import { exampleTradingSignal } from '@model-service/signals/testing';
import { validateEnv } from '@model-service/util';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AppModule } from './app.module';
import { ExchangeSimulatorEnv } from './config/exchange-simulator.env';

const RABBIT = TEST_RABBITMQ_URL;
const KEY = 'sim-test-key';

interface Sim {
  service: RunningService;
  queues: Topology;
  db: TestDataSource;
}

async function startSimulator(env: Record<string, string>): Promise<Sim> {
  const db = await createTestDataSource({ prefix: 'sim' });
  const prefix = `${uniqueName('sim-it')}.`;
  const config = validateEnv(ExchangeSimulatorEnv, {
    DATABASE_URL: db.url,
    DATABASE_SCHEMA: db.schema,
    RABBITMQ_URL: RABBIT,
    MODEL_SERVICE_PORT: '0',
    MODEL_SERVICE_LOG_LEVEL: process.env['SIM_IT_LOG_LEVEL'] ?? 'warn',
    QUEUE_PREFIX: prefix,
    POSITION_MANAGER_API_KEY: KEY,
    WS_GATEWAY_API_KEY: KEY,
    SIMULATOR_START_TIME: '2031-01-01T00:00:00Z',
    ...env,
  });
  const service = await bootstrapService({ service: 'exchange-simulator', config, module: AppModule.register(config) });
  const sim = { service, queues: topology(prefix), db };
  await waitFor(async () => (await health(sim)).simulator.state === 'running', 20_000, 'the simulator to run');
  return sim;
}

async function stopSimulator(sim: Sim | undefined): Promise<void> {
  if (!sim) return;
  await sim.service.close();
  const q = sim.queues;
  await deleteQueues(RABBIT, [q.tradingSignals, `${q.tradingSignals}.dlq`, q.orderEvents, q.positionUpdated, q.ticker, q.orderbook, q.kline]);
  await sim.db.drop();
}

/** Collects every message of a queue until `done(all)` holds. */
async function collect<T>(queue: string, decode: (raw: Buffer) => T, done: (all: T[]) => boolean, timeoutMs = 20_000): Promise<T[]> {
  const all: T[] = [];
  await waitFor(
    async () => {
      for (const m of await takeAll(RABBIT, queue)) all.push(decode(m.body));
      return done(all);
    },
    timeoutMs,
    `messages on ${queue}`,
  );
  return all;
}

async function health(sim: Sim): Promise<{ simulator: { state: string; orders: Record<string, number>; market: Record<string, unknown> } }> {
  return (await (await fetch(`${sim.service.url}/health`)).json()) as never;
}

function signal(over: Record<string, unknown>): TradingSignal {
  return exampleTradingSignal({ signal_id: randomUUID(), strategy_id: 'it_strategy', ...over } as never);
}

describe('exchange-simulator against the real broker and database', () => {
  let sim: Sim | undefined;
  afterEach(async () => {
    await stopSimulator(sim);
    sim = undefined;
  });

  it('publishes Bybit market data, fills signals with fees, keeps orders, positions and balances, and publishes executions', async () => {
    sim = await startSimulator({ SIMULATOR_SPEED: '20', SIMULATOR_TICKS_PER_CANDLE: '2', SIMULATOR_POSITION_UPDATE_INTERVAL_MS: '100' });
    const { queues, db } = sim;
    const q = db.dataSource;

    // Market data on the ws-gateway queues, in simulated time.
    const [ticker] = await collect(queues.ticker, (b) => parseTicker(b), (all) => all.length > 0);
    expect(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']).toContain(ticker.asset);
    expect(ticker.ts).toBeGreaterThanOrEqual(Date.UTC(2031, 0, 1));
    const [book] = await collect(queues.orderbook, (b) => parseOrderbook(b), (all) => all.length > 0);
    expect(book.bids.length).toBe(25);
    const klines = await collect(queues.kline, (b) => parseKline(b), (all) => all.some((k) => k.candles[0].confirm));
    expect(klines.some((k) => !k.candles[0].confirm)).toBe(true);

    const buy = signal({ asset: 'BTCUSDT', signal_type: 'buy', amount: 1000 });
    const bigSell = signal({ asset: 'BTCUSDT', signal_type: 'sell', amount: 5000 }); // more than held: capped, closes
    const nothingHeld = signal({ asset: 'ETHUSDT', signal_type: 'sell', amount: 100 });
    const unknown = signal({ asset: 'DOGEUSDT', signal_type: 'buy', amount: 100 });
    const tooBig = signal({ asset: 'SOLUSDT', signal_type: 'buy', amount: 200_000 });
    await publishRaw(RABBIT, queues.tradingSignals, [JSON.stringify(buy), JSON.stringify(buy), '{"not":"a signal"}']);
    const [buyExec] = await collect(queues.orderEvents, (b) => parse(OrderExecutionEvent, b), (all) => all.length >= 1);
    await publishRaw(RABBIT, queues.tradingSignals, [bigSell, nothingHeld, unknown, tooBig].map((s) => JSON.stringify(s)));
    const [sellExec] = await collect(queues.orderEvents, (b) => parse(OrderExecutionEvent, b), (all) => all.length >= 1);
    await waitFor(async () => (await health(sim as Sim)).simulator.orders['rejected'] === 3, 20_000, 'three rejections');

    // The buy: one fill (the redelivered copy ignored), at the ask plus slippage, 0.1 % fee, simulated time.
    expect(buyExec).toMatchObject({ signal_id: buy.signal_id, side: 'buy', asset: 'BTCUSDT', strategy_id: 'it_strategy', signal_price: 50_000, signal_timestamp: buy.timestamp, trace_id: buy.trace_id });
    expect(buyExec.execution_fees).toBeCloseTo(buyExec.execution_price * buyExec.execution_quantity * 0.001, 10);
    expect(buyExec.execution_price * buyExec.execution_quantity).toBeCloseTo(1000, -1);
    expect(Date.parse(buyExec.executed_at)).toBeGreaterThanOrEqual(Date.UTC(2031, 0, 1));
    expect(buyExec.performance.slippage).toBeCloseTo(buyExec.execution_price - 50_000, 8);
    expect(buyExec.performance.realized_pnl).toBeUndefined();
    expect(buyExec.market_conditions.spread).toBeGreaterThan(0);

    // The sell asked for 5000 USDT but only ~1000 was held: the whole position is sold, PnL realised net of both fees.
    expect(sellExec.execution_quantity).toBeCloseTo(buyExec.execution_quantity, 12);
    const expectedPnl =
      (sellExec.execution_price - buyExec.execution_price) * sellExec.execution_quantity - buyExec.execution_fees - sellExec.execution_fees;
    expect(sellExec.performance.realized_pnl).toBeCloseTo(expectedPnl, 8);
    expect(sellExec.performance.return_percent).toBeCloseTo((expectedPnl / (buyExec.execution_price * buyExec.execution_quantity)) * 100, 8);

    const orders: Array<{ signal_id: string; status: string; rejection_reason: string | null; filled_quantity: string }> = await q.query(
      'SELECT signal_id, status, rejection_reason, filled_quantity FROM orders',
    );
    expect(orders).toHaveLength(5);
    const bySignal = new Map(orders.map((o) => [o.signal_id, o]));
    expect(bySignal.get(buy.signal_id)?.status).toBe('filled');
    expect(bySignal.get(bigSell.signal_id)?.status).toBe('filled');
    expect(bySignal.get(nothingHeld.signal_id)?.rejection_reason).toMatch(/^insufficient_balance: strategy it_strategy holds no ETH/);
    expect(bySignal.get(unknown.signal_id)?.rejection_reason).toMatch(/^unknown_asset: DOGEUSDT/);
    expect(bySignal.get(tooBig.signal_id)?.rejection_reason).toMatch(/^insufficient_balance: buy of .* SOL .* needs .* USDT/);

    // Balances: 100k − buy (notional + fee) + sell (notional − fee); no BTC left; position closed.
    const usdt = 100_000 - buyExec.execution_price * buyExec.execution_quantity - buyExec.execution_fees + sellExec.execution_price * sellExec.execution_quantity - sellExec.execution_fees;
    const [latestUsdt] = await q.query("SELECT wallet_balance FROM account_balances WHERE coin = 'USDT' ORDER BY received_at DESC LIMIT 1");
    expect(Number(latestUsdt.wallet_balance)).toBeCloseTo(usdt, 6);
    const [btc] = await q.query("SELECT wallet_balance FROM account_balances WHERE coin = 'BTC' ORDER BY received_at DESC LIMIT 1");
    expect(Number(btc.wallet_balance)).toBeCloseTo(0, 12);
    const [pos] = await q.query("SELECT size, realized_pnl, closed_at FROM positions WHERE asset = 'BTCUSDT'");
    expect(Number(pos.size)).toBe(0);
    expect(Number(pos.realized_pnl)).toBeCloseTo(expectedPnl, 6);
    expect(pos.closed_at).not.toBeNull();

    // Position updates: the open (size > 0) and the close (size 0), valid against the contract.
    const updates = await collect(queues.positionUpdated, (b) => parse(PositionUpdateEvent, b), (all) => all.some((u) => u.size === 0));
    expect(updates.some((u) => u.size > 0 && u.asset === 'BTCUSDT')).toBe(true);

    // The invalid body went to the dead-letter queue.
    expect((await takeAll(RABBIT, `${queues.tradingSignals}.dlq`)).map((m) => String(m.body))).toEqual(['{"not":"a signal"}']);
  }, 90_000);

  it('serves positions and subscriptions with X-API-Key, and marks open positions as prices move (throttled)', async () => {
    sim = await startSimulator({ SIMULATOR_SPEED: '20', SIMULATOR_TICKS_PER_CANDLE: '2', SIMULATOR_POSITION_UPDATE_INTERVAL_MS: '300' });
    const { queues, service } = sim;
    const buy = signal({ asset: 'ETHUSDT', signal_type: 'buy', amount: 2000, strategy_id: 'api_test' });
    const started = Date.now();
    await publishRaw(RABBIT, queues.tradingSignals, [JSON.stringify(buy)]);
    await collect(queues.orderEvents, (b) => parse(OrderExecutionEvent, b), (all) => all.length === 1);

    expect((await fetch(`${service.url}/api/v1/positions/ETHUSDT`)).status).toBe(401);
    expect((await fetch(`${service.url}/api/v1/positions/ETHUSDT`, { headers: { 'X-API-Key': 'wrong' } })).status).toBe(401);
    expect((await fetch(`${service.url}/api/v1/positions/BTCUSDT`, { headers: { 'X-API-Key': KEY } })).status).toBe(404);
    const res = await fetch(`${service.url}/api/v1/positions/ETHUSDT`, { headers: { 'X-API-Key': KEY } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { positions: Array<Record<string, number | string>> };
    expect(body.positions).toHaveLength(1);
    const p = body.positions[0];
    expect(p).toMatchObject({ asset: 'ETHUSDT', strategy_id: 'api_test' });
    expect(Number(p['size'])).toBeGreaterThan(0);
    expect(Number(p['unrealized_pnl_pct'])).toBeCloseTo(((Number(p['current_price']) - Number(p['average_entry_price'])) / Number(p['average_entry_price'])) * 100, 8);
    expect(Number(p['position_size_norm'])).toBeCloseTo(0.02, 2);

    // Price moves publish marks, at most one per 300 ms of wall time per position.
    const updates = await collect(queues.positionUpdated, (b) => parse(PositionUpdateEvent, b), (all) => all.length >= 5);
    const elapsed = Date.now() - started;
    expect(updates.length).toBeLessThanOrEqual(Math.ceil(elapsed / 300) + 2);
    const stamps = updates.map((u) => Date.parse(u.timestamp));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(new Set(updates.map((u) => u.current_price)).size).toBeGreaterThan(1);

    const post = (body: unknown, key = KEY) =>
      fetch(`${service.url}/api/v1/subscriptions`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-API-Key': key }, body: JSON.stringify(body) });
    const ok = await post({ channel_type: 'kline', symbol: 'BTCUSDT', interval: '1', requesting_service: 'signal-generator' });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ topic: 'kline.1.BTCUSDT', status: 'active' });
    expect((await post({ channel_type: 'ticker', symbol: 'XRPUSDT' })).status).toBe(422);
    expect((await post({ channel_type: 'ticker', symbol: 'BTCUSDT' }, 'wrong')).status).toBe(401);
  }, 90_000);

  it('replays a candle file and, once it has run out, fills at the last price', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-csv-'));
    const t0 = Date.UTC(2022, 5, 1);
    const rows = Array.from({ length: 20 }, (_, i) => `${t0 + i * 60_000},${100 + i},${101 + i},${99 + i},${100.5 + i},${10 + i}`);
    const file = join(dir, 'SOLUSDT-1m.csv');
    writeFileSync(file, ['open_time,open,high,low,close,volume', ...rows].join('\n'));
    try {
      sim = await startSimulator({ SIMULATOR_CANDLES_FILE: file, SIMULATOR_SPEED: '50', SIMULATOR_TICKS_PER_CANDLE: '1', SIMULATOR_SPREAD_BPS: '1', SIMULATOR_SLIPPAGE_BPS: '0' });
      const { queues } = sim;
      const klines = await collect(queues.kline, (b) => parseKline(b), (all) => all.length >= 20);
      expect(klines.map((k) => k.candles[0].close)).toEqual(rows.map((_, i) => 100.5 + i));
      await waitFor(async () => (await health(sim as Sim)).simulator.market['status'] === 'ended', 20_000, 'replay to end');
      const buy = signal({ asset: 'SOLUSDT', signal_type: 'buy', amount: 119.5 });
      await publishRaw(RABBIT, queues.tradingSignals, [JSON.stringify(buy)]);
      const [exec] = await collect(queues.orderEvents, (b) => parse(OrderExecutionEvent, b), (all) => all.length === 1);
      // Last close 119.5; ask = close + half the spread.
      expect(exec.execution_price).toBeGreaterThan(119.5);
      expect(exec.execution_price).toBeLessThan(119.5 * 1.001);
      expect(exec.execution_quantity).toBeCloseTo(1, 10);
      expect(exec.executed_at).toBe(new Date(t0 + 20 * 60_000 - 1).toISOString());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
