import { Clock, systemClock, TokenBucket } from '@model-service/util';

import { CheckContext, CheckOutcome, SignalCheck } from './signal-check';

/**
 * Token buckets with burst: one global (SIGNAL_GENERATION_RATE_LIMIT / BURST_ALLOWANCE) and one per
 * strategy (its risk.rate_limit_per_minute / burst_allowance). A signal needs a token from both; a
 * denied signal takes none, so one strategy's skips never eat the global budget.
 */
export class RateLimitCheck implements SignalCheck {
  readonly name = 'rate_limit';
  private readonly global: TokenBucket;
  private readonly perStrategy = new Map<string, TokenBucket>();

  constructor(
    private readonly opts: { ratePerMinute: number; burst: number },
    private readonly clock: Clock = systemClock,
  ) {
    this.global = new TokenBucket(opts.ratePerMinute, opts.burst, clock);
  }

  check(ctx: CheckContext): CheckOutcome {
    const own = this.bucketOf(ctx.strategy.id, ctx.strategy.risk.rate_limit_per_minute, ctx.strategy.risk.burst_allowance);
    if (!own.canTake()) {
      return {
        pass: false,
        reason: 'rate_limited',
        detail: `strategy ${ctx.strategy.id} is over its ${own.ratePerMinute}/min limit (burst ${own.capacity}); next token in ${own.msUntil()} ms`,
      };
    }
    if (!this.global.canTake()) {
      return {
        pass: false,
        reason: 'rate_limited',
        detail: `global limit of ${this.global.ratePerMinute}/min (burst ${this.global.capacity}) reached; next token in ${this.global.msUntil()} ms`,
      };
    }
    own.tryTake();
    this.global.tryTake();
    return { pass: true, amount: ctx.amount };
  }

  private bucketOf(id: string, rate: number, burst: number): TokenBucket {
    let bucket = this.perStrategy.get(id);
    if (!bucket) {
      bucket = new TokenBucket(rate, burst, this.clock);
      this.perStrategy.set(id, bucket);
    }
    return bucket;
  }
}
