/** The `metadata.exit_reason` values of exit signals. */
export type ExitReason = 'stop_loss' | 'trailing_stop' | 'take_profit' | 'take_profit_partial' | 'time_based';

/**
 * When several rules fire on one update, one signal is emitted for the first of these; every
 * rule that fired is still listed in `ExitDecision.triggered`:
 *
 *   1. stop_loss            — protecting capital beats everything
 *   2. trailing_stop        — a confirmed reversal: sell everything now
 *   3. take_profit          — full take profit (also the second threshold after a partial exit)
 *   4. take_profit_partial  — sells only part, so it loses to any full exit
 *   5. time_based           — the least urgent
 */
export const EXIT_RULE_PRIORITY: readonly ExitReason[] = Object.freeze([
  'stop_loss',
  'trailing_stop',
  'take_profit',
  'take_profit_partial',
  'time_based',
] as const);

/** Values a rule observed and compared; plain JSON for signal metadata. */
export type ExitDetail = Record<string, number | string | boolean | null>;

/** One rule that fired on an update. */
export interface ExitTrigger {
  rule: ExitReason;
  detail: ExitDetail;
}

/** The one exit to signal for an update. */
export interface ExitDecision {
  /** The winning rule by `EXIT_RULE_PRIORITY`. */
  rule: ExitReason;
  /** Share of the current position to sell: 1 = all, 0.5 = half (partial take profit). */
  fraction: number;
  /** Human-readable; a trailing stop says whether it exits at a profit or a loss. */
  reason: string;
  /** Every rule that fired on this update, in priority order (the winner first). */
  triggered: ExitTrigger[];
  /** The winning rule's configured parameters (snake_case, for signal metadata). */
  parameters: Record<string, number | boolean>;
}
