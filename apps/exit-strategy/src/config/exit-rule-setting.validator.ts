import { validateExitRulesConfig } from '@model-service/exit-rules';
import { EnvNumber } from '@model-service/util';
import { IsNumber, ValidateBy, ValidationArguments } from 'class-validator';

import { EXIT_RULE_VARIABLES, ExitRuleEnv, ExitRuleField, exitRulesConfigOf, withVariableNames } from './exit-rules.settings';

function problemsOf(field: ExitRuleField, args: ValidationArguments): string[] {
  const problems = validateExitRulesConfig(exitRulesConfigOf(args.object as ExitRuleEnv));
  return problems.filter((p) => p.startsWith(`${field} `)).map(withVariableNames);
}

/**
 * A numeric rule variable (EnvNumber, IsNumber), checked with the exit-rules lib's own validation (ranges and
 * cross-field rules such as TAKE_PROFIT_SECOND_THRESHOLD_PCT ≥ TAKE_PROFIT_THRESHOLD_PCT), reporting under the
 * variable's name. A value that is not a number is left to @IsNumber.
 */
export function ExitRuleSetting(field: ExitRuleField): PropertyDecorator {
  const checked = ValidateBy({
    name: 'exitRuleSetting',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        typeof value !== 'number' || !args || problemsOf(field, args).length === 0,
      defaultMessage: (args?: ValidationArguments) =>
        args ? problemsOf(field, args).join('; ') : `${EXIT_RULE_VARIABLES[field]} is invalid`,
    },
  });
  // As `@EnvNumber() @IsNumber() @checked` would apply them: the rule check first.
  return (target, property) => {
    checked(target, property);
    IsNumber()(target, property);
    EnvNumber()(target, property);
  };
}
