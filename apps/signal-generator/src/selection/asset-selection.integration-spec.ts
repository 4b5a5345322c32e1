import { randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';

import { AccountBalanceRepository } from '@model-service/repositories';
import { createTestDataSource, TestDataSource } from '@model-service/repositories/testing';
import { topology } from '@model-service/signals';
import { configureLogging, sleep } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import * as winston from 'winston';

import { AppModule } from '../app.module';
import { SignalGeneratorService } from '../runner/signal-generator.service';
import { ArchitectureSignalConsumer, ReceivedSignal } from '../testing/architecture-signal-consumer.testing';
import { closeFlow, flowTestEnv, RABBITMQ_URL } from '../testing/flow-harness.testing';
import { MarketReplay } from '../testing/market-replay.testing';

const ASSETS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
const PRICES: Record<string, number> = { BTCUSDT: 50_000, ETHUSDT: 3_000, SOLUSDT: 150 };
const TTL_S = 3;
// "auto" follows the selection; "pinned" lists its own asset, which the selection must leave alone.
const STRATEGIES = [
  { id: 'auto', heuristic: 'random', frequency_seconds: 0.5 },
  { id: 'pinned', heuristic: 'random', assets: ['SOLUSDT'], frequency_seconds: 1 },
];

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('automatic asset selection from account_balances', () => {
  const prefix = `sgsel.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  const logLines: Array<Record<string, unknown>> = [];
  const subscribed: string[] = [];
  let gateway: Server;
  let db: TestDataSource;
  let balances: AccountBalanceRepository;
  let app: INestApplication;
  let service: SignalGeneratorService;
  let replay: MarketReplay;
  let reader: ArchitectureSignalConsumer;
  let ticking: NodeJS.Timeout | undefined;

  const auto = (since = 0): ReceivedSignal[] => reader.received.filter((r) => r.signal.strategy_id === 'auto' && r.receivedAt >= since);
  const worth = (coin: string, usdt: number) => balances.insert({ coin, walletBalance: usdt / PRICES[`${coin}USDT`]!, availableBalance: usdt / PRICES[`${coin}USDT`]! });
  const autoAssets = (): readonly string[] => service.runner('auto')!.assets;

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    configureLogging({ service: 'signal-generator-test', level: 'warn', format: 'json', transports: [new winston.transports.Stream({ stream: sink })] });
    gateway = createServer((req, res) => {
      let text = '';
      req.on('data', (d) => (text += String(d)));
      req.on('end', () => {
        subscribed.push(String((JSON.parse(text) as { topic: string }).topic));
        res.writeHead(201).end('{}');
      });
    });
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r));

    db = await createTestDataSource({ prefix: 'sgsel' });
    balances = new AccountBalanceRepository(db.dataSource);
    await balances.insert({ coin: 'USDT', walletBalance: 100_000, availableBalance: 100_000 });
    await worth('SOL', 5);
    await worth('ETH', 50);
    await balances.insert({ coin: 'BTC', walletBalance: 0, availableBalance: 0 });

    replay = new MarketReplay(RABBITMQ_URL, names);
    await replay.open();
    for (const [a, p] of Object.entries(PRICES)) replay.setPrice(a, p);
    reader = new ArchitectureSignalConsumer(RABBITMQ_URL, names.tradingSignals);
    await reader.start();
    for (const asset of ASSETS) {
      await replay.klineHistory(asset, 40);
      await replay.orderbook(asset);
      await replay.ticker(asset);
    }
    ticking = setInterval(() => {
      for (const asset of ASSETS) {
        replay.setPrice(asset, PRICES[asset]!);
        void replay.ticker(asset).catch(() => undefined);
        void replay.orderbook(asset).catch(() => undefined);
      }
    }, 250);

    const config = flowTestEnv(db, prefix, STRATEGIES, {
      SIGNAL_GENERATION_RATE_LIMIT: '60000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '1000',
      SIGNAL_GENERATION_SKIP_IF_OPEN_ORDER: 'false',
      MARKET_DATA_MAX_AGE_SECONDS: '5',
      AUTO_SELECT_ASSETS: 'true',
      AUTO_SELECT_CACHE_TTL_SECONDS: String(TTL_S),
      AUTO_SELECT_PRICE_WAIT_SECONDS: '10',
      WS_GATEWAY_URL: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    service = app.get(SignalGeneratorService);
  }, 60_000);

  afterAll(async () => {
    await closeFlow({ ticking, app, replay, reader, names, db });
    gateway?.close();
  }, 60_000);

  it('SOL 5 USDT-worth, ETH 50, BTC 0: trades ETHUSDT only (the pinned strategy keeps SOLUSDT)', async () => {
    await until('6 signals of "auto"', () => auto().length >= 6);
    await sleep(1_500);
    expect(new Set(auto().map((r) => r.signal.asset))).toEqual(new Set(['ETHUSDT']));
    expect(reader.received.filter((r) => r.signal.strategy_id === 'pinned').every((r) => r.signal.asset === 'SOLUSDT')).toBe(true);
    expect(reader.received.some((r) => r.signal.strategy_id === 'pinned')).toBe(true);
    expect(service.assetSelection()).toMatchObject({ assets: ['ETHUSDT'], source: 'balances' });
    expect(subscribed).toContain('tickers.ETHUSDT');
    expect(subscribed).not.toContain('tickers.BTCUSDT');
  }, 40_000);

  it('a BTC balance appears: BTCUSDT starts within the TTL and is subscribed at ws-gateway', async () => {
    const since = Date.now();
    await worth('BTC', 500);
    const first = await until('a BTCUSDT signal of "auto"', () => auto(since).find((r) => r.signal.asset === 'BTCUSDT'), 20_000);
    // Within the TTL (the selection is re-read), plus one signal period and publishing slack.
    expect(first.receivedAt - since).toBeLessThanOrEqual(TTL_S * 1000 + 2_500);
    expect(subscribed).toContain('tickers.BTCUSDT');
    expect(auto(since).some((r) => r.signal.asset === 'ETHUSDT')).toBe(true);
  }, 30_000);

  it('ETH drops below the minimum: ETHUSDT stops, and nothing decided after that is emitted', async () => {
    await worth('ETH', 3);
    await until('ETHUSDT to leave the selection', () => !autoAssets().includes('ETHUSDT'), 20_000);
    const left = Date.now();
    await sleep(3_000);
    const after = auto(left);
    expect(after.filter((r) => r.signal.asset === 'ETHUSDT' && Date.parse(r.signal.timestamp) >= left)).toEqual([]);
    expect(auto(left + 1_000).filter((r) => r.signal.asset === 'ETHUSDT')).toEqual([]);
    expect(after.some((r) => r.signal.asset === 'BTCUSDT')).toBe(true);
    expect([...autoAssets()]).toEqual(['BTCUSDT']);
  }, 30_000);

  it('balances table empty: the fallback list is traded, and the fallback is logged with a trace id', async () => {
    await db.dataSource.query('DELETE FROM account_balances');
    await until('the fallback selection', () => service.assetSelection()?.source === 'fallback', 20_000);
    expect(service.assetSelection()).toMatchObject({ assets: ['BTCUSDT', 'ETHUSDT'], reason: 'no_balances' });
    // (With no balances at all the balance guard lets no signal out; the strategy is back on both assets.)
    expect([...autoAssets()].sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    expect(service.runner('pinned')!.assets).toEqual(['SOLUSDT']);
    const line = logLines.find((l) => String(l['message'] ?? l['msg']).includes('fell back'));
    expect(line).toMatchObject({ reason: 'no_balances', assets: ['BTCUSDT', 'ETHUSDT'], trace_id: expect.any(String) });
  }, 30_000);
});
