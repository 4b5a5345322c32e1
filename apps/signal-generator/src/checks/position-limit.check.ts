import { floorAmount, CheckContext, CheckOutcome, SignalCheck } from './signal-check';

const fmt = (x: number): string => String(Number(x.toPrecision(10)));

/**
 * A BUY may grow the position to at most `max_position_size_ratio` of (position value + available
 * quote balance): the amount shrinks to the room left, and the BUY is skipped when the position
 * already exceeds the ratio or the room is below min_amount. SELLs always pass. Without a known
 * quote balance (balance check off, no row) the ratio cannot be computed and the guard passes.
 */
export class PositionLimitCheck implements SignalCheck {
  readonly name = 'position_limit';

  check(ctx: CheckContext): CheckOutcome {
    if (ctx.side !== 'buy') return { pass: true, amount: ctx.amount };
    const quote = ctx.account.balances.quoteAvailable;
    if (quote === null) return { pass: true, amount: ctx.amount, note: 'position limit not checked: no quote balance known' };
    const ratio = ctx.strategy.risk.max_position_size_ratio;
    const value = Math.max(0, ctx.account.position.value);
    const basis = value + Math.max(0, quote);
    const room = ratio * basis - value;
    const norm = ctx.account.position.sizeNorm;
    if (norm > ratio || room < ctx.strategy.min_amount) {
      return {
        pass: false,
        reason: 'position_limit',
        detail: `${ctx.asset} position of ${ctx.strategy.id} is ${fmt(value)} ${ctx.account.balances.quote} (${fmt(norm * 100)} % of ${fmt(basis)}); limit ${fmt(ratio * 100)} % leaves ${fmt(Math.max(0, room))}, below min_amount ${fmt(ctx.strategy.min_amount)}`,
      };
    }
    if (ctx.amount <= room) return { pass: true, amount: ctx.amount };
    const amount = Math.max(ctx.strategy.min_amount, floorAmount(room));
    return { pass: true, amount, note: `amount shrunk from ${fmt(ctx.amount)} to ${fmt(amount)} by the position limit` };
  }
}
