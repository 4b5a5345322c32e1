import { parseCount, parseNumeric } from './numeric.transformer';

/**
 * Aggregates over execution_events. A fill counts as successful when its realized PnL is > 0;
 * closed_orders counts fills that carry a realized PnL (position-reducing fills).
 * success_rate = successful_orders / total_orders, win_rate = successful_orders / closed_orders (0 when none).
 */
export interface PerformanceFigures {
  totalOrders: number;
  successfulOrders: number;
  closedOrders: number;
  successRate: number;
  winRate: number;
  totalPnl: number;
  avgPnl: number | null;
}

/** The SELECT list computing PerformanceFigures; `pnl` is the realized-PnL column (qualified when joined). */
export function performanceAggregates(pnl = 'realized_pnl'): string {
  return `
  count(*) AS total_orders,
  count(*) FILTER (WHERE ${pnl} > 0) AS successful_orders,
  count(${pnl}) AS closed_orders,
  coalesce(sum(${pnl}), 0) AS total_pnl,
  avg(${pnl}) AS avg_pnl`;
}

/** The row shape performanceAggregates() produces (pg returns counts and numerics as strings). */
export interface RawPerformanceFigures {
  total_orders: string;
  successful_orders: string;
  closed_orders: string;
  total_pnl: string;
  avg_pnl: string | null;
}

export function toPerformanceFigures(r: RawPerformanceFigures): PerformanceFigures {
  const totalOrders = parseCount(r.total_orders);
  const successfulOrders = parseCount(r.successful_orders);
  const closedOrders = parseCount(r.closed_orders);
  return {
    totalOrders,
    successfulOrders,
    closedOrders,
    successRate: totalOrders > 0 ? successfulOrders / totalOrders : 0,
    winRate: closedOrders > 0 ? successfulOrders / closedOrders : 0,
    totalPnl: parseNumeric(r.total_pnl) ?? 0,
    avgPnl: parseNumeric(r.avg_pnl),
  };
}
