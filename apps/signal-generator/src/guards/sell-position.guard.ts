import { canSell } from '../account/account-state';
import { GuardContext, GuardOutcome, SignalGuard } from './signal-guard';

/**
 * A SELL needs the strategy's OWN open position (another strategy's coins, or the account's, are not its to
 * sell), unless the strategy is configured for short selling. BUYs always pass.
 */
export class SellPositionGuard implements SignalGuard {
  readonly name = 'sell_position';

  check(ctx: GuardContext): GuardOutcome {
    if (ctx.side !== 'sell' || canSell(ctx.strategy, ctx.account)) return { pass: true, amount: ctx.amount };
    const p = ctx.account.position;
    const held = p.size > 0 ? `only a ${p.size} ${ctx.account.balances.base} position shared by every strategy` : 'no position';
    return {
      pass: false,
      reason: 'no_position_to_sell',
      detail: `sell of ${ctx.asset} by ${ctx.strategy.id}: it holds ${held} of its own and short_selling is off`,
    };
  }
}
