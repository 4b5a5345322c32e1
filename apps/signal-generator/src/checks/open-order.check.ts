import { oppositeSide } from '../account/account-state';
import { CheckContext, CheckOutcome, SignalCheck } from './signal-check';

export interface OpenOrderCheckOptions {
  /** SIGNAL_GENERATION_SKIP_IF_OPEN_ORDER: false turns the check off. */
  enabled: boolean;
  /** SIGNAL_GENERATION_CHECK_OPPOSITE_ORDERS_ONLY: only an open order on the other side blocks. */
  oppositeOnly: boolean;
}

/** Skips while the strategy has an open order (pending / partially_filled) on the asset. */
export class OpenOrderCheck implements SignalCheck {
  readonly name = 'open_order';

  constructor(private readonly opts: OpenOrderCheckOptions) {}

  check(ctx: CheckContext): CheckOutcome {
    if (!this.opts.enabled) return { pass: true, amount: ctx.amount };
    const orders = ctx.account.openOrders;
    if (this.opts.oppositeOnly) {
      const other = oppositeSide(ctx.side);
      const blocking = orders[other];
      if (blocking === 0) return { pass: true, amount: ctx.amount };
      return {
        pass: false,
        reason: 'open_order',
        detail: `${blocking} open ${other} order(s) of ${ctx.strategy.id} on ${ctx.asset} block a ${ctx.side} (opposite-side mode)`,
      };
    }
    if (orders.count === 0) return { pass: true, amount: ctx.amount };
    return {
      pass: false,
      reason: 'open_order',
      detail: `${orders.count} open order(s) of ${ctx.strategy.id} on ${ctx.asset} (${orders.buy} buy, ${orders.sell} sell)`,
    };
  }
}
