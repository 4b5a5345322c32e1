import { SignalType } from '@model-service/signals';

import { AccountState } from '../account/account-state';
import { StrategyConfig } from '../strategies/strategy-config';

/** A decided signal on its way through the guards. */
export interface CheckContext {
  strategy: StrategyConfig;
  asset: string;
  side: SignalType;
  /** Quote-currency amount so far (a guard may shrink it). */
  amount: number;
  price: number;
  account: AccountState;
}

export type CheckOutcome =
  | { pass: true; amount: number; note?: string }
  | { pass: false; reason: string; detail: string };

/** One check between a decision and publishing; each is a separate, unit-tested class. */
export interface SignalCheck {
  readonly name: string;
  check(ctx: CheckContext): CheckOutcome;
}

export interface CheckChainResult {
  outcome: CheckOutcome;
  /** Notes of the guards that passed (e.g. "shrunk to the balance"), for the signal metadata. */
  notes: string[];
}

/** Runs guards in order, carrying the (possibly shrunk) amount; stops at the first that says no. */
export function runChecks(guards: readonly SignalCheck[], ctx: CheckContext): CheckChainResult {
  let amount = ctx.amount;
  const notes: string[] = [];
  for (const guard of guards) {
    const outcome = guard.check({ ...ctx, amount });
    if (!outcome.pass) return { outcome, notes };
    amount = outcome.amount;
    if (outcome.note) notes.push(outcome.note);
  }
  return { outcome: { pass: true, amount }, notes };
}

/** Rounds a quote amount down to 8 decimals (never up past what is affordable). */
export function floorAmount(x: number): number {
  return Math.floor(x * 1e8 + 1e-6) / 1e8;
}
