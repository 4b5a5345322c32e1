import { Decision, DecisionSource } from '../decision/decision-source';
import { testStrategy } from '../checks/check-fixtures.testing';
import { StrategyConfig } from '../strategies/strategy-config';
import { RunnerHooks, StrategyRunner, TriggerInfo } from './strategy-runner';

class FixedSource implements DecisionSource {
  constructor(
    readonly mode: 'warmup' | 'model',
    readonly modelVersion: string | null,
  ) {}
  describe(): Record<string, unknown> {
    return { fixed: true };
  }
  decide(): Decision {
    return { action: 'skip', reason: 'test', detail: 'test' };
  }
}

function setup(strategy: StrategyConfig, evaluate: RunnerHooks['evaluate'] = async () => undefined) {
  const calls: Array<{ asset: string; at: number; trigger: TriggerInfo }> = [];
  const busy: string[] = [];
  const coalesced: string[] = [];
  const modes: string[] = [];
  const runner = new StrategyRunner(strategy, new FixedSource('warmup', null), {
    evaluate: (r, asset, trigger) => {
      calls.push({ asset, at: Date.now(), trigger });
      return evaluate(r, asset, trigger);
    },
    busy: (_id, asset) => busy.push(asset),
    coalesced: (_id, asset) => coalesced.push(asset),
    modeChanged: (_id, from, to) => modes.push(`${from}->${to}`),
  });
  return { runner, calls, busy, coalesced, modes };
}

describe('StrategyRunner', () => {
  beforeEach(() => jest.useFakeTimers({ now: Date.UTC(2026, 0, 1) }));
  afterEach(() => jest.useRealTimers());

  it('fires each asset every frequency_seconds, assets spread over the first period, without drift', async () => {
    const { runner, calls } = setup(testStrategy({ assets: ['BTCUSDT', 'ETHUSDT'], frequency_seconds: 2 }));
    const t0 = Date.now();
    runner.start();
    await jest.advanceTimersByTimeAsync(10_000);
    const at = (asset: string) => calls.filter((c) => c.asset === asset).map((c) => c.at - t0);
    expect(at('BTCUSDT')).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000]);
    expect(at('ETHUSDT')).toEqual([1_000, 3_000, 5_000, 7_000, 9_000]);
    await runner.stop('test');
  });

  it('after a restart or hand-over, continues from the last signal: nothing before last + period', async () => {
    const { runner, calls } = setup(testStrategy({ assets: ['BTCUSDT', 'ETHUSDT'], frequency_seconds: 10 }));
    const t0 = Date.now();
    runner.start(new Map([['BTCUSDT', t0 - 3_000]])); // BTC signalled 3 s ago by the previous owner
    await jest.advanceTimersByTimeAsync(20_000);
    const at = (asset: string) => calls.filter((c) => c.asset === asset).map((c) => c.at - t0);
    expect(at('BTCUSDT')).toEqual([7_000, 17_000]);
    expect(at('ETHUSDT')).toEqual([2_500, 12_500]); // no history: spread over the first 5 s
    await runner.stop('test');
  });

  it('skips (and reports) a due decision while the previous one of the asset is still running', async () => {
    let release = (): void => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const { runner, calls, busy } = setup(testStrategy({ assets: ['BTCUSDT'], frequency_seconds: 1 }), () => slow);
    runner.start();
    await jest.advanceTimersByTimeAsync(3_500);
    expect(calls).toHaveLength(1);
    expect(busy).toEqual(['BTCUSDT', 'BTCUSDT', 'BTCUSDT']);
    release();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    await runner.stop('test');
  });

  it('stop() waits for the decision under way and nothing fires afterwards', async () => {
    let done = false;
    const { runner, calls } = setup(testStrategy({ frequency_seconds: 1 }), async () => {
      await new Promise((r) => setTimeout(r, 500));
      done = true;
    });
    runner.start();
    await jest.advanceTimersByTimeAsync(100);
    const stopping = runner.stop('handover');
    await jest.advanceTimersByTimeAsync(500);
    await stopping;
    expect(done).toBe(true);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(calls).toHaveLength(1);
  });

  it('market_data trigger: decides on a ticker of its asset at most once per period', async () => {
    const { runner, calls } = setup(testStrategy({ assets: ['BTCUSDT'], frequency_seconds: 1, trigger: 'market_data' }));
    runner.onMarketData('BTCUSDT', 't0');
    expect(calls).toHaveLength(0); // not started (not owned)
    runner.start();
    runner.onMarketData('BTCUSDT', 't1');
    runner.onMarketData('ETHUSDT', 't2');
    await jest.advanceTimersByTimeAsync(999);
    runner.onMarketData('BTCUSDT', 't3');
    await jest.advanceTimersByTimeAsync(1);
    runner.onMarketData('BTCUSDT', 't4');
    expect(calls.map((c) => c.trigger)).toEqual([
      { kind: 'market_data', traceId: 't1' },
      { kind: 'market_data', traceId: 't4' },
    ]);
    await runner.stop('test');
  });

  it('market_data trigger: tickers arriving during a decision are coalesced into one decision on the newest, right after', async () => {
    const { runner, calls, coalesced } = setup(testStrategy({ assets: ['BTCUSDT'], frequency_seconds: 0.001, trigger: 'market_data' }), () => new Promise((r) => setTimeout(r, 10)));
    runner.start();
    runner.onMarketData('BTCUSDT', 'a');
    runner.onMarketData('BTCUSDT', 'b');
    runner.onMarketData('BTCUSDT', 'c');
    await jest.advanceTimersByTimeAsync(10);
    await jest.advanceTimersByTimeAsync(10);
    expect(calls.map((c) => c.trigger.traceId)).toEqual(['a', 'c']);
    expect(coalesced).toEqual(['BTCUSDT']); // 'b' was replaced by 'c' and made no decision
    await runner.stop('test');
  });

  it('keeps a mode per strategy and switches decision source at run time', async () => {
    const { runner, calls, modes } = setup(testStrategy({ frequency_seconds: 1 }));
    expect(runner.mode).toBe('warmup');
    runner.switchTo(new FixedSource('model', 'v7'), 'model v7 activated');
    expect(runner.status()).toMatchObject({ mode: 'model', model_version: 'v7' });
    runner.switchTo(null, 'model deactivated, warm-up disabled');
    expect(runner.mode).toBe('idle');
    runner.start();
    await jest.advanceTimersByTimeAsync(3_000);
    expect(calls).toHaveLength(0); // idle: nothing to decide with
    expect(modes).toEqual(['warmup->warmup', 'warmup->model', 'model->idle']);
    await runner.stop('test');
  });
});
