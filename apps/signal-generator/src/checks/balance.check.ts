import { floorAmount, CheckContext, CheckOutcome, SignalCheck } from './signal-check';

const fmt = (x: number): string => String(Number(x.toPrecision(10)));

/**
 * What the account can pay: a BUY of BTCUSDT spends USDT (the amount itself), a SELL spends BTC
 * (amount / price). Keeps `balance_safety_margin` of the available balance aside, shrinks the amount
 * to what is left, and skips when that is below the strategy's min_amount (or no balance is known).
 */
export class BalanceCheck implements SignalCheck {
  readonly name = 'balance';

  constructor(private readonly opts: { enabled: boolean }) {}

  check(ctx: CheckContext): CheckOutcome {
    if (!this.opts.enabled) return { pass: true, amount: ctx.amount };
    const { balances } = ctx.account;
    const margin = ctx.strategy.risk.balance_safety_margin;
    const buying = ctx.side === 'buy';
    const coin = buying ? balances.quote : balances.base;
    const available = Math.max(0, (buying ? balances.quoteAvailable : balances.baseAvailable) ?? 0);
    const usable = available * (1 - margin);
    // In quote currency, like the amount.
    const affordable = buying ? usable : usable * ctx.price;
    const min = ctx.strategy.min_amount;
    if (affordable < min) {
      const known = (buying ? balances.quoteAvailable : balances.baseAvailable) !== null;
      const have = known ? `${fmt(available)} ${coin} available (${fmt(usable)} after the ${fmt(margin * 100)} % margin${buying ? '' : ` = ${fmt(affordable)} ${balances.quote}`})` : `no ${coin} balance known`;
      return {
        pass: false,
        reason: 'insufficient_balance',
        detail: `${ctx.side} of ${fmt(ctx.amount)} ${balances.quote} on ${ctx.asset} needs ${coin}: ${have}, below min_amount ${fmt(min)}`,
      };
    }
    if (ctx.amount <= affordable) return { pass: true, amount: ctx.amount };
    const amount = Math.max(min, floorAmount(affordable));
    return { pass: true, amount, note: `amount shrunk from ${fmt(ctx.amount)} to ${fmt(amount)} ${balances.quote} by the ${coin} balance` };
  }
}
