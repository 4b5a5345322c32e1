import { registerDecorator, ValidationArguments } from 'class-validator';

import { strategyDefaultsFrom, StrategyDefaultsSource } from './strategy-config';
import { parseStrategies, StrategyConfigError } from './strategy-config.parser';

function problemsOf(value: unknown, env: object): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') return ['TRADING_STRATEGIES must be a string'];
  try {
    parseStrategies(value, strategyDefaultsFrom(env as StrategyDefaultsSource));
    return [];
  } catch (err) {
    if (err instanceof StrategyConfigError) return err.problems;
    return [err instanceof Error ? err.message : String(err)];
  }
}

/**
 * TRADING_STRATEGIES must parse into valid strategies (defaults from the other variables); the
 * message names the strategy and the setting, e.g. `TRADING_STRATEGIES[1] (mr_eth).frequency_seconds ...`.
 */
export function IsTradingStrategies(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isTradingStrategies',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => problemsOf(value, args.object).length === 0,
        defaultMessage: (args?: ValidationArguments) => problemsOf(args?.value, args?.object ?? {}).join('; '),
      },
    });
  };
}
