import { randomBytes } from 'node:crypto';

import { WarmupClockRepository } from '@model-service/repositories';
import { topology } from '@model-service/signals';
import { configureLogging, sleep } from '@model-service/util';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';

import { AppModule } from '../app.module';
import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { DecisionSource } from '../decision/decision-source';
import { closeFlow, FlowMarket, flowTestEnv, openFlowMarket } from '../testing/flow-harness.testing';
import { SignalGeneratorService } from './signal-generator.service';

// "short" takes WARMUP_MAX_DURATION_SECONDS (5 s); "long" overrides it with its own limit.
const STRATEGIES = [
  { id: 'short', heuristic: 'random', assets: ['BTCUSDT'], frequency_seconds: 0.5 },
  { id: 'long', heuristic: 'random', assets: ['BTCUSDT'], frequency_seconds: 0.5, warmup_max_duration_seconds: 3600 },
];

describe('WARMUP_MAX_DURATION_SECONDS', () => {
  const prefix = `sgwl.${randomBytes(4).toString('hex')}.`;
  const names = topology(prefix);
  let market: FlowMarket;
  let app: INestApplication | undefined;
  let ticking: NodeJS.Timeout | undefined;
  let config: SignalGeneratorEnv;

  const startApp = async (): Promise<SignalGeneratorService> => {
    const moduleRef = await Test.createTestingModule({ imports: [AppModule.register(config)] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    return app.get(SignalGeneratorService);
  };
  const of = (id: string, sinceMs = 0) => market.reader.received.filter((r) => r.signal.strategy_id === id && r.receivedAt >= sinceMs);

  beforeAll(async () => {
    configureLogging({ service: 'signal-generator-test', level: 'error' });
    market = await openFlowMarket('sgwl', names, { USDT: 1_000_000, BTC: 100 });
    const { replay } = market;
    await replay.klineHistory('BTCUSDT', 40);
    ticking = setInterval(() => {
      void replay.ticker('BTCUSDT').catch(() => undefined);
      void replay.orderbook('BTCUSDT').catch(() => undefined);
    }, 250);
    config = flowTestEnv(market.db, prefix, STRATEGIES, {
      SIGNAL_GENERATION_RATE_LIMIT: '60000',
      SIGNAL_GENERATION_BURST_ALLOWANCE: '1000',
      SIGNAL_GENERATION_SKIP_IF_OPEN_ORDER: 'false',
      MARKET_DATA_MAX_AGE_SECONDS: '5',
      WARMUP_MAX_DURATION_SECONDS: '5',
    });
  }, 60_000);

  afterAll(async () => {
    await closeFlow({ ticking, app, ...market, names });
  }, 60_000);

  it('a strategy with a 5 s max duration emits no warm-up signal after 5 s; the other keeps going', async () => {
    const service = await startApp();
    const clocks = new WarmupClockRepository(market.db.dataSource);
    let clock = (await clocks.all()).find((c) => c.strategyId === 'short');
    for (let i = 0; i < 100 && !clock; i++) {
      await sleep(100);
      clock = (await clocks.all()).find((c) => c.strategyId === 'short');
    }
    const deadline = clock!.startedAt.getTime() + 5_000;
    while (Date.now() < deadline + 3_000) await sleep(100);

    const short = of('short');
    expect(short.length).toBeGreaterThan(0); // it did warm up before the limit
    expect(short.filter((r) => Date.parse(r.signal.timestamp) >= deadline)).toEqual([]);
    expect(of('short', deadline + 500)).toEqual([]);
    expect(of('long', deadline + 500).length).toBeGreaterThan(0);
    expect(service.runner('short')!.status()).toMatchObject({ mode: 'idle', warmup: { expired: true, ends_at: new Date(deadline).toISOString() } });
    expect(service.runner('long')!.status()).toMatchObject({ mode: 'warmup', warmup: { expired: false } });
    expect((await clocks.all()).find((c) => c.strategyId === 'short')).toMatchObject({ maxDurationSeconds: 5, expiredAt: expect.any(Date) });
  }, 40_000);

  it('the clock survives a restart: no warm-up signal from it afterwards', async () => {
    await app!.close();
    app = undefined;
    const restarted = Date.now();
    const service = await startApp();
    await sleep(3_000);
    expect(of('short', restarted)).toEqual([]);
    expect(of('long', restarted).length).toBeGreaterThan(0);
    expect(service.runner('short')!.status()).toMatchObject({ mode: 'idle', warmup: { expired: true } });

    // A model promoted later takes over as usual; falling back to warm-up after the limit leaves it idle.
    const model: DecisionSource = { mode: 'model', modelVersion: 'short-v1', describe: () => ({}), decide: () => ({ action: 'skip', reason: 'test', detail: 'test' }) };
    service.setDecisionSource('short', model, 'model promoted');
    expect(service.runner('short')!.mode).toBe('model');
    service.useWarmup('short', 'model rolled back');
    expect(service.runner('short')!.mode).toBe('idle');
  }, 40_000);
});
