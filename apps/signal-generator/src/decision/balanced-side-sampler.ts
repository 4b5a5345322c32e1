import { SignalType } from '@model-service/signals';

/**
 * Random sides that stay balanced: with d = published BUYs − SELLs, P(BUY) = 0.5 − d/4 clamped to
 * [0, 1]. At d = 0 a fair coin; the stream can lean by at most two before the next side is forced back,
 * so over any run BUYs and SELLs differ by at most 2 while the order stays random.
 */
export class BalancedSideSampler {
  private readonly imbalance = new Map<string, number>();

  constructor(private readonly rng: () => number = Math.random) {}

  pick(key: string): SignalType {
    const d = this.imbalance.get(key) ?? 0;
    const pBuy = Math.min(1, Math.max(0, 0.5 - d / 4));
    return this.rng() < pBuy ? 'buy' : 'sell';
  }

  /** Counts a side that was actually published. */
  record(key: string, side: SignalType): void {
    this.imbalance.set(key, (this.imbalance.get(key) ?? 0) + (side === 'buy' ? 1 : -1));
  }

  /** BUYs minus SELLs recorded for key. */
  lean(key: string): number {
    return this.imbalance.get(key) ?? 0;
  }
}
