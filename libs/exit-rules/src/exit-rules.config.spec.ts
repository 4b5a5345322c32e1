import { DEFAULT_EXIT_RULES_CONFIG, ExitRulesConfig, validateExitRulesConfig } from './exit-rules.config';
import { exitConfig } from './testing';

describe('DEFAULT_EXIT_RULES_CONFIG', () => {
  it('matches the documented defaults and is valid', () => {
    expect(DEFAULT_EXIT_RULES_CONFIG).toEqual({
      takeProfit: { enabled: true, thresholdPct: 3, partialExit: false, partialAmountPct: 50, secondThresholdPct: 6 },
      stopLoss: { enabled: true, thresholdPct: 2 },
      trailingStop: { enabled: true, activationPct: 1.5, distancePct: 1 },
      timeBased: { enabled: true, maxHours: 24, profitTargetPct: 0.5, decayPerHourPct: 0 },
    });
    expect(validateExitRulesConfig(DEFAULT_EXIT_RULES_CONFIG)).toEqual([]);
  });

  it('cannot be changed by accident', () => {
    expect(() => {
      (DEFAULT_EXIT_RULES_CONFIG.stopLoss as { thresholdPct: number }).thresholdPct = 50;
    }).toThrow(TypeError);
  });
});

describe('validateExitRulesConfig', () => {
  it.each([
    ['takeProfit.thresholdPct', exitConfig({ takeProfit: { thresholdPct: 0 } })],
    ['takeProfit.partialAmountPct', exitConfig({ takeProfit: { partialAmountPct: 0 } })],
    ['takeProfit.partialAmountPct', exitConfig({ takeProfit: { partialAmountPct: 100.1 } })],
    ['takeProfit.secondThresholdPct', exitConfig({ takeProfit: { partialExit: true, secondThresholdPct: 2.9 } })],
    ['stopLoss.thresholdPct', exitConfig({ stopLoss: { thresholdPct: -2 } })],
    ['stopLoss.thresholdPct', exitConfig({ stopLoss: { thresholdPct: NaN } })],
    ['trailingStop.activationPct', exitConfig({ trailingStop: { activationPct: -0.1 } })],
    ['trailingStop.distancePct', exitConfig({ trailingStop: { distancePct: 0 } })],
    ['trailingStop.distancePct', exitConfig({ trailingStop: { distancePct: 100 } })],
    ['timeBased.maxHours', exitConfig({ timeBased: { maxHours: -1 } })],
    ['timeBased.profitTargetPct', exitConfig({ timeBased: { profitTargetPct: Infinity } })],
    ['timeBased.decayPerHourPct', exitConfig({ timeBased: { decayPerHourPct: -0.1 } })],
  ] as [string, ExitRulesConfig][])('names %s when it is out of range', (field, config) => {
    const problems = validateExitRulesConfig(config);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(field);
  });

  it.each([
    ['partial exit of 100 %', exitConfig({ takeProfit: { partialExit: true, partialAmountPct: 100 } })],
    ['second threshold equal to the first', exitConfig({ takeProfit: { partialExit: true, secondThresholdPct: 3 } })],
    ['second threshold below the first without partial exit', exitConfig({ takeProfit: { secondThresholdPct: 1 } })],
    ['activation at 0', exitConfig({ trailingStop: { activationPct: 0 } })],
    ['max hours 0', exitConfig({ timeBased: { maxHours: 0 } })],
  ])('accepts %s', (_name, config) => {
    expect(validateExitRulesConfig(config)).toEqual([]);
  });
});
