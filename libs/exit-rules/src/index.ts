export { DEFAULT_EXIT_RULES_CONFIG, validateExitRulesConfig } from './exit-rules.config';
export type { ExitRulesConfig } from './exit-rules.config';
export { EXIT_RULE_PRIORITY } from './exit-decision';
export type { ExitDecision, ExitDetail, ExitReason, ExitTrigger } from './exit-decision';
export { compareTimestamps, isClosed, isNewer, pnlPctFromPrices, positionKeyOf, toEpochMs } from './position-snapshot';
export type { PositionSnapshot, Timestamped } from './position-snapshot';
export {
  ENTRY_PRICE_REOPEN_TOLERANCE_PCT,
  isDifferentPosition,
  markExitSignalled,
  startPositionState,
  stateNeedsPersisting,
} from './position-state';
export type { PositionState } from './position-state';
export { BOUNDARY_TOLERANCE, timeBasedTargetPct, trailingStopPrice } from './exit-rule';
export { chooseExit, evaluateExit } from './evaluate-exit';
export type { EvaluateExitOptions, ExitEvaluation, ExitSkipReason } from './evaluate-exit';
export { DEFAULT_EXIT_RATE_LIMITER_OPTIONS, ExitRateLimiter } from './exit-rate-limiter';
export type { ExitRateCheck, ExitRateLimiterOptions, ExitSuppressReason } from './exit-rate-limiter';
