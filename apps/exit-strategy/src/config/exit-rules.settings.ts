import { ExitRateLimiterOptions, ExitRulesConfig } from '@model-service/exit-rules';

/** The env variables the rules read, by the ExitRulesConfig field they set. */
export const EXIT_RULE_VARIABLES = {
  'takeProfit.thresholdPct': 'TAKE_PROFIT_THRESHOLD_PCT',
  'takeProfit.partialAmountPct': 'TAKE_PROFIT_PARTIAL_AMOUNT_PCT',
  'takeProfit.secondThresholdPct': 'TAKE_PROFIT_SECOND_THRESHOLD_PCT',
  'stopLoss.thresholdPct': 'STOP_LOSS_THRESHOLD_PCT',
  'trailingStop.activationPct': 'TRAILING_STOP_ACTIVATION_PCT',
  'trailingStop.distancePct': 'TRAILING_STOP_DISTANCE_PCT',
  'timeBased.maxHours': 'TIME_BASED_EXIT_MAX_HOURS',
  'timeBased.profitTargetPct': 'TIME_BASED_EXIT_PROFIT_TARGET_PCT',
  'timeBased.decayPerHourPct': 'TIME_BASED_EXIT_DECAY_PER_HOUR_PCT',
} as const;
export type ExitRuleField = keyof typeof EXIT_RULE_VARIABLES;

export interface ExitRuleEnv {
  TAKE_PROFIT_ENABLED: boolean;
  TAKE_PROFIT_THRESHOLD_PCT: number;
  TAKE_PROFIT_PARTIAL_EXIT: boolean;
  TAKE_PROFIT_PARTIAL_AMOUNT_PCT: number;
  TAKE_PROFIT_SECOND_THRESHOLD_PCT: number;
  STOP_LOSS_ENABLED: boolean;
  STOP_LOSS_THRESHOLD_PCT: number;
  TRAILING_STOP_ENABLED: boolean;
  TRAILING_STOP_ACTIVATION_PCT: number;
  TRAILING_STOP_DISTANCE_PCT: number;
  TIME_BASED_EXIT_ENABLED: boolean;
  TIME_BASED_EXIT_MAX_HOURS: number;
  TIME_BASED_EXIT_PROFIT_TARGET_PCT: number;
  TIME_BASED_EXIT_DECAY_PER_HOUR_PCT: number;
}

/** The rules' config from the environment. */
export function exitRulesConfigOf(env: ExitRuleEnv): ExitRulesConfig {
  return {
    takeProfit: {
      enabled: env.TAKE_PROFIT_ENABLED,
      thresholdPct: env.TAKE_PROFIT_THRESHOLD_PCT,
      partialExit: env.TAKE_PROFIT_PARTIAL_EXIT,
      partialAmountPct: env.TAKE_PROFIT_PARTIAL_AMOUNT_PCT,
      secondThresholdPct: env.TAKE_PROFIT_SECOND_THRESHOLD_PCT,
    },
    stopLoss: { enabled: env.STOP_LOSS_ENABLED, thresholdPct: env.STOP_LOSS_THRESHOLD_PCT },
    trailingStop: {
      enabled: env.TRAILING_STOP_ENABLED,
      activationPct: env.TRAILING_STOP_ACTIVATION_PCT,
      distancePct: env.TRAILING_STOP_DISTANCE_PCT,
    },
    timeBased: {
      enabled: env.TIME_BASED_EXIT_ENABLED,
      maxHours: env.TIME_BASED_EXIT_MAX_HOURS,
      profitTargetPct: env.TIME_BASED_EXIT_PROFIT_TARGET_PCT,
      decayPerHourPct: env.TIME_BASED_EXIT_DECAY_PER_HOUR_PCT,
    },
  };
}

/** A problem message of validateExitRulesConfig with field paths replaced by variable names. */
export function withVariableNames(problem: string): string {
  let out = problem;
  for (const [field, variable] of Object.entries(EXIT_RULE_VARIABLES)) out = out.split(field).join(variable);
  return out;
}

export interface RateLimitEnv {
  EXIT_STRATEGY_COOLDOWN_SECONDS: number;
  EXIT_STRATEGY_RATE_LIMIT: number;
  EXIT_STRATEGY_RATE_LIMIT_WINDOW_SECONDS: number;
}

export function rateLimiterOptionsOf(env: RateLimitEnv): Partial<ExitRateLimiterOptions> {
  return {
    cooldownMs: Math.round(env.EXIT_STRATEGY_COOLDOWN_SECONDS * 1000),
    perAssetMax: env.EXIT_STRATEGY_RATE_LIMIT,
    perAssetWindowMs: env.EXIT_STRATEGY_RATE_LIMIT_WINDOW_SECONDS * 1000,
  };
}
