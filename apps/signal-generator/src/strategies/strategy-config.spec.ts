import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ConfigValidationError, validateEnv } from '@model-service/util';

import { SignalGeneratorEnv } from '../config/signal-generator.env';
import { strategyDefaultsFrom } from './strategy-config';
import { parseStrategies } from './strategy-config.parser';

const ok = { id: 's1', heuristic: 'momentum', assets: ['BTCUSDT'] };
const json = (...strategies: object[]): string => JSON.stringify(strategies);

function rejection(env: Record<string, string>): string {
  try {
    validateEnv(SignalGeneratorEnv, env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigValidationError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('TRADING_STRATEGIES and friends: misconfiguration stops start-up naming the setting', () => {
  it.each<[string, Record<string, string>, string]>([
    ['frequency 0', { TRADING_STRATEGIES: json({ ...ok, frequency_seconds: 0 }) }, 'TRADING_STRATEGIES[0] (s1).frequency_seconds must be a number of seconds > 0'],
    ['negative frequency', { TRADING_STRATEGIES: json({ ...ok, frequency_seconds: -5 }) }, 'TRADING_STRATEGIES[0] (s1).frequency_seconds'],
    ['WARMUP_SIGNAL_FREQUENCY 0', { WARMUP_SIGNAL_FREQUENCY: '0' }, 'WARMUP_SIGNAL_FREQUENCY must be > 0 seconds'],
    ['negative min_amount', { TRADING_STRATEGIES: json({ ...ok, min_amount: -10 }) }, 'TRADING_STRATEGIES[0] (s1).min_amount must be a number > 0, got -10'],
    ['negative max_amount', { TRADING_STRATEGIES: json({ ...ok, max_amount: -1 }) }, 'TRADING_STRATEGIES[0] (s1).max_amount must be a number > 0, got -1'],
    ['zero min_amount', { TRADING_STRATEGIES: json({ ...ok, min_amount: 0 }) }, '(s1).min_amount must be a number > 0, got 0'],
    ['max below min', { TRADING_STRATEGIES: json({ ...ok, min_amount: 50, max_amount: 49.99 }) }, 'TRADING_STRATEGIES[0] (s1).max_amount (49.99) must be >= min_amount (50)'],
    ['unknown heuristic', { TRADING_STRATEGIES: json({ ...ok, heuristic: 'astrology' }) }, 'TRADING_STRATEGIES[0] (s1).heuristic must be one of momentum, mean_reversion, random, got "astrology"'],
    ['missing heuristic', { TRADING_STRATEGIES: json({ id: 's1' }) }, 'TRADING_STRATEGIES[0] (s1).heuristic is required'],
    ['randomness above 1', { TRADING_STRATEGIES: json({ ...ok, randomness: 1.5 }) }, '(s1).randomness must be a number from 0 to 1'],
    ['a lower-case asset', { TRADING_STRATEGIES: json({ ...ok, assets: ['btcusdt'] }) }, '(s1).assets[0] must be an upper-case symbol'],
    ['an asset without a quote currency', { TRADING_STRATEGIES: json({ ...ok, assets: ['BTCXYZ'] }) }, '(s1).assets[0] BTCXYZ does not end with a known quote currency'],
    ['empty assets', { TRADING_STRATEGIES: json({ ...ok, assets: [] }) }, '(s1).assets must be a non-empty array'],
    ['a misspelt setting', { TRADING_STRATEGIES: json({ ...ok, frequency: 30 }) }, '(s1).frequency is not a known setting'],
    ['a bad risk limit', { TRADING_STRATEGIES: json({ ...ok, risk: { max_position_size_ratio: 1.5 } }) }, '(s1).risk.max_position_size_ratio must be a number > 0 and <= 1'],
    ['an unknown trigger', { TRADING_STRATEGIES: json({ ...ok, trigger: 'moon' }) }, '(s1).trigger must be one of schedule, market_data'],
    ['a duplicate id', { TRADING_STRATEGIES: json(ok, ok) }, 'TRADING_STRATEGIES[1].id s1 is used by another strategy'],
    ['a bad id', { TRADING_STRATEGIES: json({ ...ok, id: 'has space' }) }, 'TRADING_STRATEGIES[0].id must be 1-100 letters'],
    ['invalid JSON', { TRADING_STRATEGIES: '[{"id": "s1",' }, 'TRADING_STRATEGIES is not valid JSON'],
    ['an empty list', { TRADING_STRATEGIES: '[]' }, 'TRADING_STRATEGIES must hold at least one strategy'],
    ['a missing file', { TRADING_STRATEGIES: '/nonexistent/strategies.json' }, 'TRADING_STRATEGIES names the file /nonexistent/strategies.json, which cannot be read'],
    ['a rate limit of 0', { SIGNAL_GENERATION_RATE_LIMIT: '0' }, 'SIGNAL_GENERATION_RATE_LIMIT must be > 0 per minute'],
  ])('%s', (_name, env, message) => {
    expect(rejection(env)).toContain(message);
  });

  it('lists every problem at once', () => {
    const message = rejection({ TRADING_STRATEGIES: json({ ...ok, frequency_seconds: 0 }, { id: 's2', heuristic: 'nope', min_amount: -1 }) });
    expect(message).toContain('(s1).frequency_seconds');
    expect(message).toContain('(s2).heuristic');
    expect(message).toContain('(s2).min_amount');
  });
});

describe('parseStrategies', () => {
  const defaults = strategyDefaultsFrom(validateEnv(SignalGeneratorEnv, { WARMUP_SIGNAL_FREQUENCY: '30', SIGNAL_GENERATION_DEFAULT_ASSETS: 'BTCUSDT,SOLUSDT' }));

  it('fills in defaults from the environment', () => {
    const [s] = parseStrategies(json({ id: 'r', heuristic: 'random' }), defaults);
    expect(s).toEqual({
      id: 'r',
      assets: ['BTCUSDT', 'SOLUSDT'],
      assets_pinned: false,
      warmup_max_duration_seconds: null,
      heuristic: 'random',
      randomness: 1,
      frequency_seconds: 30,
      min_amount: 10,
      max_amount: 100,
      trigger: 'schedule',
      kline_interval: '1',
      risk: { max_position_size_ratio: 0.8, rate_limit_per_minute: 60, burst_allowance: 10, balance_safety_margin: 0.02 },
      enabled: true,
      short_selling: false,
    });
  });

  it('pins listed assets and takes the warm-up limit from the strategy, else the environment', () => {
    const env = strategyDefaultsFrom(validateEnv(SignalGeneratorEnv, { WARMUP_MAX_DURATION_SECONDS: '600' }));
    const [a, b] = parseStrategies(json({ id: 'a', heuristic: 'random', assets: ['ETHUSDT'], warmup_max_duration_seconds: 5 }, { id: 'b', heuristic: 'momentum' }), env);
    expect([a!.assets_pinned, a!.warmup_max_duration_seconds, b!.assets_pinned, b!.warmup_max_duration_seconds]).toEqual([true, 5, false, 600]);
    expect(() => parseStrategies(json({ id: 'c', heuristic: 'random', warmup_max_duration_seconds: 0.5 }), env)).toThrow(/warmup_max_duration_seconds must be a number of seconds >= 1/);
  });

  it.each([
    [true, true, null],
    [undefined, false, null],
    ['yes', false, 'short_selling must be true or false'],
  ])('short_selling %s -> %s', (value, expected, problem) => {
    const raw = json({ ...ok, short_selling: value });
    if (problem) expect(() => parseStrategies(raw, defaults)).toThrow(problem);
    else expect(parseStrategies(raw, defaults)[0].short_selling).toBe(expected);
  });

  it('accepts a boundary min_amount == max_amount and a { strategies } object', () => {
    const [s] = parseStrategies(JSON.stringify({ strategies: [{ ...ok, min_amount: 25, max_amount: 25 }] }), defaults);
    expect(s).toMatchObject({ min_amount: 25, max_amount: 25 });
  });

  it('reads a JSON file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-strategies-'));
    try {
      const file = join(dir, 'strategies.json');
      writeFileSync(file, json(ok, { id: 's2', heuristic: 'mean_reversion', assets: ['ETHUSDT'], frequency_seconds: 5 }));
      expect(parseStrategies(file, defaults).map((s) => [s.id, s.heuristic, s.frequency_seconds])).toEqual([
        ['s1', 'momentum', 30],
        ['s2', 'mean_reversion', 5],
      ]);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("accepts the original service's comma-separated ids, heuristic from the name", () => {
    const list = parseStrategies('momentum_v1, mean_reversion_v2,explorer', defaults);
    expect(list.map((s) => [s.id, s.heuristic, s.assets])).toEqual([
      ['momentum_v1', 'momentum', ['BTCUSDT', 'SOLUSDT']],
      ['mean_reversion_v2', 'mean_reversion', ['BTCUSDT', 'SOLUSDT']],
      ['explorer', 'random', ['BTCUSDT', 'SOLUSDT']],
    ]);
  });

  it('has built-in strategies when the variable is unset', () => {
    expect(parseStrategies(undefined, defaults).map((s) => s.heuristic)).toEqual(['momentum', 'mean_reversion', 'random']);
  });
});
