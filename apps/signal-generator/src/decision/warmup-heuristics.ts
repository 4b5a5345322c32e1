import { MarketView } from '../market-data/market-data-cache';
import { Heuristic } from '../strategies/strategy-config';

/** A heuristic's view of the market: score in (-1, 1), > 0 favours BUY; the terms it was built from. */
export interface HeuristicScore {
  score: number;
  components: Record<string, number>;
  /** indicators: from klines; ticker: only the 24 h change was available. */
  basis: 'indicators' | 'ticker';
}

/** Per-candle σ floor so a flat market does not turn a tiny return into a huge z-score. */
const MIN_SIGMA = 1e-4;
/** A 24 h move of this fraction counts as one unit of trend when no klines are available. */
const DAILY_MOVE_UNIT = 0.02;

const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

function fromComponents(components: Record<string, number>, basis: HeuristicScore['basis']): HeuristicScore | null {
  const values = Object.values(components);
  if (values.length === 0) return null;
  return { score: Math.tanh(mean(values)), components, basis };
}

/**
 * Trend following: the 5-candle log return in units of its expected σ (σ√5), and the EMA(12)/EMA(26)
 * ratio in units of 2σ; averaged and squashed with tanh. Without klines: the 24 h change in units of 2 %.
 */
export function momentumScore(m: MarketView): HeuristicScore | null {
  const ind = m.indicators;
  const sigma = Math.max(ind?.volatility ?? m.volatility, MIN_SIGMA);
  const c: Record<string, number> = {};
  if (ind?.return_5 != null) c['return_5_z'] = ind.return_5 / (sigma * Math.sqrt(5));
  else if (ind?.return_1 != null) c['return_1_z'] = ind.return_1 / sigma;
  if (ind?.ema_ratio != null) c['ema_ratio_z'] = ind.ema_ratio / (2 * sigma);
  if (Object.keys(c).length > 0) return fromComponents(c, 'indicators');
  if (m.change24hPct !== null) return fromComponents({ change_24h: m.change24hPct / 100 / DAILY_MOVE_UNIT }, 'ticker');
  return null;
}

/**
 * Mean reversion: RSI below 50 and a close near the lower Bollinger band favour BUY:
 * (50 - RSI) / 20 and (0.5 - %b) × 2, averaged and squashed. Without klines: minus the 24 h change in units of 2 %.
 */
export function meanReversionScore(m: MarketView): HeuristicScore | null {
  const ind = m.indicators;
  const c: Record<string, number> = {};
  if (ind?.rsi_14 != null) c['rsi'] = (50 - ind.rsi_14) / 20;
  if (ind?.bollinger_pctb != null) c['bollinger'] = (0.5 - ind.bollinger_pctb) * 2;
  if (Object.keys(c).length > 0) return fromComponents(c, 'indicators');
  if (m.change24hPct !== null) return fromComponents({ change_24h: -m.change24hPct / 100 / DAILY_MOVE_UNIT }, 'ticker');
  return null;
}

/** The score a heuristic decides on; `random` reports the momentum view (its confidence is measured against it). */
export function heuristicScore(heuristic: Heuristic, m: MarketView): HeuristicScore | null {
  return heuristic === 'mean_reversion' ? meanReversionScore(m) : momentumScore(m);
}
