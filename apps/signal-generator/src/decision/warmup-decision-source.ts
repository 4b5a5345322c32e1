import { SignalType } from '@model-service/signals';

import { canSell } from '../account/account-state';
import { StrategyConfig } from '../strategies/strategy-config';
import { BalancedSideSampler } from './balanced-side-sampler';
import { Decision, DecisionInput, DecisionSource } from './decision-source';
import { heuristicScore } from './warmup-heuristics';

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;

/**
 * Warm-up decisions for one strategy. With probability `randomness` a decision explores: its side
 * comes from a BalancedSideSampler (BUY/SELL stay balanced) and its amount is uniform in
 * [min, max], so the training data covers varied conditions. Otherwise the heuristic's sign picks the
 * side and its strength scales the amount. Either way the confidence is the heuristic's support for
 * the chosen side, (1 ± score) / 2: above 0.5 when the heuristic agrees, below when it disagrees.
 * SELL is a candidate only when the strategy holds its own position (or may sell short): otherwise
 * exploration buys and a heuristic SELL is skipped as `no_position_to_sell`.
 * `random` is controlled randomness: exploration with probability `randomness` (default 1), momentum otherwise.
 */
export class WarmupDecisionSource implements DecisionSource {
  readonly mode = 'warmup' as const;
  readonly modelVersion = null;
  private readonly sampler: BalancedSideSampler;

  constructor(
    private readonly strategy: StrategyConfig,
    private readonly rng: () => number = Math.random,
  ) {
    this.sampler = new BalancedSideSampler(rng);
  }

  describe(): Record<string, unknown> {
    const s = this.strategy;
    return {
      heuristic: s.heuristic,
      randomness: s.randomness,
      frequency_seconds: s.frequency_seconds,
      trigger: s.trigger,
      min_amount: s.min_amount,
      max_amount: s.max_amount,
    };
  }

  decide({ asset, market, account }: DecisionInput): Decision {
    const s = this.strategy;
    const sellable = canSell(s, account);
    const base = heuristicScore(s.heuristic, market);
    const explore = s.randomness > 0 && this.rng() < s.randomness;
    if (!explore && !base) {
      return {
        action: 'skip',
        reason: 'insufficient_data',
        detail: `${s.heuristic} needs klines or a 24 h change for ${asset}; neither has arrived`,
      };
    }
    const score = base?.score ?? 0;
    // A SELL without a position of its own is no decision the strategy can act on: exploration buys then.
    const side: SignalType = explore ? (sellable ? this.sampler.pick(asset) : 'buy') : score >= 0 ? 'buy' : 'sell';
    if (side === 'sell' && !sellable) {
      return { action: 'skip', reason: 'no_position_to_sell', detail: `warm-up ${s.heuristic} says sell ${asset} (score ${round4(score)}), but ${s.id} holds no position of its own and short_selling is off` };
    }
    const support = side === 'buy' ? (1 + score) / 2 : (1 - score) / 2;
    const span = s.max_amount - s.min_amount;
    const amount = explore ? s.min_amount + this.rng() * span : s.min_amount + span * Math.abs(score);
    return {
      action: 'signal',
      side,
      confidence: round4(Math.min(1, Math.max(0, support))),
      amount: round8(Math.min(s.max_amount, Math.max(s.min_amount, amount))),
      reason: explore ? `warm-up ${s.heuristic}: exploration (balanced random side)` : `warm-up ${s.heuristic}: ${describeScore(s.heuristic, score)}`,
      details: {
        heuristic: s.heuristic,
        heuristic_score: round8(score),
        score_basis: base?.basis ?? 'none',
        components: base ? roundAll(base.components) : {},
        exploration: explore,
        randomness: s.randomness,
      },
    };
  }

  onPublished(asset: string, side: SignalType): void {
    this.sampler.record(asset, side);
  }
}

function describeScore(heuristic: string, score: number): string {
  if (heuristic === 'mean_reversion') return score >= 0 ? 'oversold, expecting a rebound' : 'overbought, expecting a pullback';
  return score >= 0 ? 'upward momentum' : 'downward momentum';
}

function roundAll(obj: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, round8(v)]));
}
