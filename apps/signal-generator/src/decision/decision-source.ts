import { MarketDataSnapshot, SignalType } from '@model-service/signals';

import { AccountState } from '../account/account-state';
import { MarketView } from '../market-data/market-data-cache';
import { StrategyConfig } from '../strategies/strategy-config';

/**
 * How a strategy currently decides. `warmup`: a heuristic (no model yet); `model`: the active model
 * (a model-backed DecisionSource); `idle`: nothing to decide with (warm-up disabled or over, and no
 * model), so the strategy emits nothing.
 */
export type StrategyMode = 'warmup' | 'model' | 'idle';

/** Everything known at decision time. */
export interface DecisionInput {
  strategy: StrategyConfig;
  asset: string;
  market: MarketView;
  account: AccountState;
  /**
   * The market-data snapshot of this decision, exactly as it goes into the signal (and, through
   * trading_signals, into the trainer's dataset): what a model builds its features from.
   */
  snapshot: SignalSnapshot;
  /** Decision time, epoch ms (the signal's timestamp). */
  now: number;
}

/** TradingSignal.market_data_snapshot plus the order / position state the trainer's features read. */
export type SignalSnapshot = MarketDataSnapshot & Record<string, unknown>;

export interface SignalDecision {
  action: 'signal';
  side: SignalType;
  /** 0..1, the source's strength in favour of `side`. */
  confidence: number;
  /** Quote-currency amount before the guards (which may shrink it). */
  amount: number;
  /** Human-readable reason, goes to metadata.reason. */
  reason: string;
  /** Extra metadata (scores, components, exploration flag ...). */
  details?: Record<string, unknown>;
}

export interface NoDecision {
  action: 'skip';
  /** Counted in /metrics as the skip reason, e.g. insufficient_data. */
  reason: string;
  detail: string;
}

export type Decision = SignalDecision | NoDecision;

/**
 * The pluggable part of a strategy: given the market and the account, what (if anything) to signal.
 * A StrategyRunner holds one at a time and can be switched to another without a restart.
 */
export interface DecisionSource {
  readonly mode: StrategyMode;
  /** Goes to TradingSignal.model_version (null for warm-up). */
  readonly modelVersion: string | null;
  /** Parameters logged on mode transitions and shown in /health. */
  describe(): Record<string, unknown>;
  decide(input: DecisionInput): Decision | Promise<Decision>;
  /** Called after a signal decided by this source was published. */
  onPublished?(asset: string, side: SignalType): void;
}
