type Numbers = ArrayLike<number>;

/**
 * Outcome of following the model: take the trade when P(profitable) >= threshold, and earn that row's realised
 * return. Returns are summed as given (e.g. fractions or percent per trade, not compounded).
 */
export interface TradingMetrics {
  trades: number;
  /** Share of taken trades with return > 0; null with no trades. */
  win_rate: number | null;
  /** Sum of the taken trades' returns (0 with no trades). */
  total_return: number;
  /** total_return / trades; null with no trades. */
  mean_return: number | null;
  /** Per-trade Sharpe ratio: mean / sample standard deviation (n - 1) of the taken trades' returns, no
   *  risk-free rate, not annualised; null with fewer than 2 trades or zero spread. */
  sharpe: number | null;
  /** Gross profit / gross loss; null when no trade lost (undefined / infinite). */
  profit_factor: number | null;
}

export function tradingMetrics(prob: Numbers, returns: Numbers, threshold: number): TradingMetrics {
  if (prob.length !== returns.length) throw new RangeError(`tradingMetrics: lengths differ (${prob.length} vs ${returns.length})`);
  const taken: number[] = [];
  for (let i = 0; i < prob.length; i++) {
    if (prob[i] < threshold) continue;
    if (!Number.isFinite(returns[i])) throw new RangeError(`return at ${i} is ${returns[i]}`);
    taken.push(returns[i]);
  }
  return summariseTrades(taken);
}

/** Trading metrics of a list of per-trade returns. */
export function summariseTrades(taken: readonly number[]): TradingMetrics {
  const trades = taken.length;
  let total = 0;
  let wins = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  for (const r of taken) {
    total += r;
    if (r > 0) {
      wins++;
      grossProfit += r;
    } else if (r < 0) {
      grossLoss -= r;
    }
  }
  const mean = trades ? total / trades : null;
  let sharpe: number | null = null;
  if (mean !== null && trades >= 2) {
    const variance = taken.reduce((acc, r) => acc + (r - mean) ** 2, 0) / (trades - 1);
    const sd = Math.sqrt(variance);
    sharpe = sd > 1e-12 ? mean / sd : null;
  }
  return {
    trades,
    win_rate: trades ? wins / trades : null,
    total_return: total,
    mean_return: mean,
    sharpe,
    profit_factor: grossLoss > 0 ? grossProfit / grossLoss : null,
  };
}
