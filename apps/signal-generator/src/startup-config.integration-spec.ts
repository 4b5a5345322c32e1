import { spawnApp } from '@model-service/platform/testing';

/** A real process refuses to start on a bad setting, and says which one. */
describe('signal-generator refuses a bad configuration at start-up', () => {
  it.each<[string, Record<string, string>, string[]]>([
    [
      'strategies with frequency 0, a negative amount, max < min and an unknown heuristic',
      {
        TRADING_STRATEGIES: JSON.stringify([
          { id: 'zero', heuristic: 'momentum', frequency_seconds: 0 },
          { id: 'neg', heuristic: 'random', min_amount: -5 },
          { id: 'inverted', heuristic: 'momentum', min_amount: 100, max_amount: 50 },
          { id: 'odd', heuristic: 'astrology' },
        ]),
      },
      [
        'TRADING_STRATEGIES[0] (zero).frequency_seconds',
        'TRADING_STRATEGIES[1] (neg).min_amount must be a number > 0, got -5',
        'TRADING_STRATEGIES[2] (inverted).max_amount (50) must be >= min_amount (100)',
        'TRADING_STRATEGIES[3] (odd).heuristic must be one of momentum, mean_reversion, random, got "astrology"',
      ],
    ],
    ['a default frequency of 0', { WARMUP_SIGNAL_FREQUENCY: '0' }, ['WARMUP_SIGNAL_FREQUENCY must be > 0 seconds']],
    [
      'model-mode settings out of range',
      { MODEL_SIGNAL_MIN_CONFIDENCE: '1.5', POSITION_MANAGER_URL: 'position-manager:8080', POSITION_CACHE_TTL_SECONDS: '0' },
      [
        'MODEL_SIGNAL_MIN_CONFIDENCE must not be greater than 1',
        'POSITION_MANAGER_URL must be an http(s):// URL',
        'POSITION_CACHE_TTL_SECONDS must not be less than 0.001',
      ],
    ],
  ])('%s', async (_name, env, messages) => {
    const proc = spawnApp('signal-generator', { ...env, MODEL_SERVICE_PORT: '0' });
    const code = await proc.exited;
    expect(code).toBe(1);
    for (const m of messages) expect(proc.output()).toContain(m);
  }, 60_000);
});
