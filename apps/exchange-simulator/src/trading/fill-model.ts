import type { SignalType } from '@model-service/signals';

export interface FillInput {
  side: SignalType;
  /** Base quantity. */
  quantity: number;
  bid: number;
  ask: number;
  /** Base quantity resting near the top of the book on the side the order takes. */
  topDepth: number;
  /** Extra slippage in basis points for an order as large as topDepth (linear in size). */
  slippageBps: number;
  /** Fee as a fraction of the notional. */
  feeRate: number;
}

export interface Fill {
  price: number;
  quantity: number;
  /** price × quantity, quote currency. */
  notional: number;
  /** Quote currency. */
  fee: number;
}

/**
 * A market order's fill: a BUY takes the ask, a SELL the bid, then walks further by
 * slippageBps × quantity / topDepth (a larger order moves the price more). The fee is feeRate of the
 * notional, in quote currency.
 */
export function marketFill(input: FillInput): Fill {
  const { side, quantity, bid, ask, topDepth, slippageBps, feeRate } = input;
  if (!(quantity > 0)) throw new RangeError(`quantity must be > 0, got ${quantity}`);
  if (!(bid > 0) || !(ask >= bid)) throw new RangeError(`need 0 < bid <= ask, got bid ${bid}, ask ${ask}`);
  const impact = (slippageBps / 10_000) * (topDepth > 0 ? quantity / topDepth : 1);
  const price = side === 'buy' ? ask * (1 + impact) : bid * Math.max(0, 1 - impact);
  const notional = price * quantity;
  return { price, quantity, notional, fee: notional * feeRate };
}

/** execution_price - signal_price (signed) and the same in percent of the signal price. */
export function slippageOf(executionPrice: number, signalPrice: number): { slippage: number; slippage_percent: number } {
  const slippage = executionPrice - signalPrice;
  return { slippage, slippage_percent: signalPrice > 0 ? (slippage / signalPrice) * 100 : 0 };
}
