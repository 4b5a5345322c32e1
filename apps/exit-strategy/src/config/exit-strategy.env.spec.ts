import { topology } from '@model-service/signals';
import { ConfigValidationError, validateEnv } from '@model-service/util';

import { exitRulesConfigOf, rateLimiterOptionsOf } from './exit-rules.settings';
import { ExitStrategyEnv } from './exit-strategy.env';

const DEFAULT_DEBOUNCE_MS = 10;

function problemsOf(env: Record<string, string>): string[] {
  try {
    validateEnv(ExitStrategyEnv, env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    return err.problems.map((p) => `${p.variable}: ${p.rules.join('; ')}`);
  }
}

describe('ExitStrategyEnv', () => {
  it('defaults to a valid config with the documented rule settings', () => {
    const env = validateEnv(ExitStrategyEnv, {});
    expect(exitRulesConfigOf(env)).toEqual({
      takeProfit: { enabled: true, thresholdPct: 3, partialExit: false, partialAmountPct: 50, secondThresholdPct: 6 },
      stopLoss: { enabled: true, thresholdPct: 2 },
      trailingStop: { enabled: false, activationPct: 2, distancePct: 1 },
      timeBased: { enabled: false, maxHours: 24, profitTargetPct: 1, decayPerHourPct: 0 },
    });
    expect(rateLimiterOptionsOf(env)).toEqual({ cooldownMs: 60_000, perAssetMax: 10, perAssetWindowMs: 60_000 });
    expect(env.MODEL_SERVICE_PORT).toBe(4703);
    expect(env.EXIT_STRATEGY_DEBOUNCE_MS).toBe(DEFAULT_DEBOUNCE_MS);
  });

  it('maps every rule variable onto the rules config', () => {
    const env = validateEnv(ExitStrategyEnv, {
      TAKE_PROFIT_ENABLED: 'false',
      TAKE_PROFIT_THRESHOLD_PCT: '2.5',
      TAKE_PROFIT_PARTIAL_EXIT: 'true',
      TAKE_PROFIT_PARTIAL_AMOUNT_PCT: '40',
      TAKE_PROFIT_SECOND_THRESHOLD_PCT: '5',
      STOP_LOSS_ENABLED: 'off',
      STOP_LOSS_THRESHOLD_PCT: '1.25',
      TRAILING_STOP_ENABLED: 'yes',
      TRAILING_STOP_ACTIVATION_PCT: '0',
      TRAILING_STOP_DISTANCE_PCT: '0.5',
      TIME_BASED_EXIT_ENABLED: '1',
      TIME_BASED_EXIT_MAX_HOURS: '12',
      TIME_BASED_EXIT_PROFIT_TARGET_PCT: '-0.5',
      TIME_BASED_EXIT_DECAY_PER_HOUR_PCT: '0.1',
    });
    expect(exitRulesConfigOf(env)).toEqual({
      takeProfit: { enabled: false, thresholdPct: 2.5, partialExit: true, partialAmountPct: 40, secondThresholdPct: 5 },
      stopLoss: { enabled: false, thresholdPct: 1.25 },
      trailingStop: { enabled: true, activationPct: 0, distancePct: 0.5 },
      timeBased: { enabled: true, maxHours: 12, profitTargetPct: -0.5, decayPerHourPct: 0.1 },
    });
  });

  it.each([
    [{ STOP_LOSS_THRESHOLD_PCT: '0' }, 'STOP_LOSS_THRESHOLD_PCT', 'STOP_LOSS_THRESHOLD_PCT must be > 0'],
    [{ STOP_LOSS_THRESHOLD_PCT: 'two' }, 'STOP_LOSS_THRESHOLD_PCT', 'number'],
    [{ TAKE_PROFIT_THRESHOLD_PCT: '-1' }, 'TAKE_PROFIT_THRESHOLD_PCT', 'must be > 0'],
    [{ TAKE_PROFIT_PARTIAL_AMOUNT_PCT: '100.5' }, 'TAKE_PROFIT_PARTIAL_AMOUNT_PCT', 'in (0, 100]'],
    [
      { TAKE_PROFIT_PARTIAL_EXIT: 'true', TAKE_PROFIT_THRESHOLD_PCT: '4', TAKE_PROFIT_SECOND_THRESHOLD_PCT: '3.9' },
      'TAKE_PROFIT_SECOND_THRESHOLD_PCT',
      'TAKE_PROFIT_SECOND_THRESHOLD_PCT must be ≥ TAKE_PROFIT_THRESHOLD_PCT',
    ],
    [{ TRAILING_STOP_DISTANCE_PCT: '100' }, 'TRAILING_STOP_DISTANCE_PCT', 'in (0, 100)'],
    [{ TRAILING_STOP_ACTIVATION_PCT: '-0.1' }, 'TRAILING_STOP_ACTIVATION_PCT', '≥ 0'],
    [{ TIME_BASED_EXIT_MAX_HOURS: '-1' }, 'TIME_BASED_EXIT_MAX_HOURS', '≥ 0'],
    [{ TIME_BASED_EXIT_DECAY_PER_HOUR_PCT: '-0.1' }, 'TIME_BASED_EXIT_DECAY_PER_HOUR_PCT', '≥ 0'],
    [{ TRAILING_STOP_ENABLED: 'maybe' }, 'TRAILING_STOP_ENABLED', 'boolean'],
    [{ EXIT_STRATEGY_COOLDOWN_SECONDS: '-1' }, 'EXIT_STRATEGY_COOLDOWN_SECONDS', 'not be less than 0'],
    [{ EXIT_STRATEGY_RATE_LIMIT: '2.5' }, 'EXIT_STRATEGY_RATE_LIMIT', 'integer'],
    [{ EXIT_STRATEGY_DEBOUNCE_MS: 'soon' }, 'EXIT_STRATEGY_DEBOUNCE_MS', 'integer'],
    [{ EXIT_STRATEGY_FALLBACK_AFTER_SECONDS: '0' }, 'EXIT_STRATEGY_FALLBACK_AFTER_SECONDS', 'not be less than 1'],
    [{ POSITION_MANAGER_URL: 'position-manager:8080' }, 'POSITION_MANAGER_URL', 'http(s)://'],
    [{ EXIT_STRATEGY_QUEUE_PREFIX: 'a b' }, 'EXIT_STRATEGY_QUEUE_PREFIX', 'letters'],
    [{ DATABASE_SCHEMA: 'Public;drop' }, 'DATABASE_SCHEMA', 'lower-case'],
  ])('refuses %j naming %s', (env, variable, text) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^${variable}: `));
    expect(problems[0]).toContain(text);
  });

  it('accepts the boundaries the rules allow', () => {
    expect(
      problemsOf({
        TAKE_PROFIT_PARTIAL_EXIT: 'true',
        TAKE_PROFIT_THRESHOLD_PCT: '3',
        TAKE_PROFIT_SECOND_THRESHOLD_PCT: '3',
        TAKE_PROFIT_PARTIAL_AMOUNT_PCT: '100',
        TRAILING_STOP_ACTIVATION_PCT: '0',
        TIME_BASED_EXIT_MAX_HOURS: '0',
        EXIT_STRATEGY_COOLDOWN_SECONDS: '0',
        EXIT_STRATEGY_RATE_LIMIT: '0',
        EXIT_STRATEGY_DEBOUNCE_MS: '0',
      }),
    ).toEqual([]);
  });

  it('prefixes every queue and exchange name with QUEUE_PREFIX, still read from EXIT_STRATEGY_QUEUE_PREFIX', () => {
    expect(topology(validateEnv(ExitStrategyEnv, {}).QUEUE_PREFIX)).toMatchObject({
      positionUpdated: 'position-manager.position_updated',
      tradingSignals: 'model-service.trading_signals',
      positionEventsExchange: 'model-service.position_events',
    });
    expect(topology(validateEnv(ExitStrategyEnv, { EXIT_STRATEGY_QUEUE_PREFIX: 'bench.1.' }).QUEUE_PREFIX).positionUpdated).toBe('bench.1.position-manager.position_updated');
    expect(topology(validateEnv(ExitStrategyEnv, { QUEUE_PREFIX: 'bench.2.' }).QUEUE_PREFIX).positionUpdated).toBe('bench.2.position-manager.position_updated');
  });
});
