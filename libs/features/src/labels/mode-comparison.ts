import { wilsonInterval, Z95 } from '../stats/wilson-interval';
import { labelFromExecution, LabelOptions, priceAtHorizon } from './labels';

/** One executed decision as stored (signal joined to its execution). */
export interface ExecutedDecision {
  asset: string;
  /** 'warmup', 'model', or 'exit' (exit-strategy's closes: prices only, not compared). */
  mode: 'warmup' | 'model' | 'exit';
  side: string;
  signalTimeMs: number;
  signalPrice: number | null;
  executedAtMs: number;
  executionPrice: number;
  executionQuantity: number;
  executionFees: number;
}

/** A share with its 95 % Wilson interval, and a mean with its 95 % normal interval. */
export interface ModeOutcome {
  n: number;
  winRate: number | null;
  winRateLow: number | null;
  winRateHigh: number | null;
  meanReturn: number | null;
  meanReturnLow: number | null;
  meanReturnHigh: number | null;
}

/** A ModeOutcome in snake_case, as the REST API, log lines and event metadata carry it. */
export interface ModeOutcomeFields {
  n: number;
  win_rate: number | null;
  win_rate_low: number | null;
  win_rate_high: number | null;
  mean_net_return: number | null;
  mean_net_return_low: number | null;
  mean_net_return_high: number | null;
}

export function modeOutcomeFields(o: ModeOutcome): ModeOutcomeFields {
  return {
    n: o.n,
    win_rate: o.winRate,
    win_rate_low: o.winRateLow,
    win_rate_high: o.winRateHigh,
    mean_net_return: o.meanReturn,
    mean_net_return_low: o.meanReturnLow,
    mean_net_return_high: o.meanReturnHigh,
  };
}

const Z = Z95;

/** n, win rate (Wilson 95 %) and mean net return (mean ± 1.96 standard errors) of labelled outcomes. */
export function summariseOutcomes(outcomes: ReadonlyArray<{ label: 0 | 1; ret: number }>): ModeOutcome {
  const n = outcomes.length;
  if (n === 0) return { n, winRate: null, winRateLow: null, winRateHigh: null, meanReturn: null, meanReturnLow: null, meanReturnHigh: null };
  let wins = 0;
  let sum = 0;
  for (const o of outcomes) {
    wins += o.label;
    sum += o.ret;
  }
  const mean = sum / n;
  let ss = 0;
  for (const o of outcomes) ss += (o.ret - mean) ** 2;
  const se = n > 1 ? Math.sqrt(ss / (n - 1) / n) : Number.NaN;
  const { lower, upper } = wilsonInterval(wins, n);
  return { n, winRate: wins / n, winRateLow: lower, winRateHigh: upper, meanReturn: mean, meanReturnLow: n > 1 ? mean - Z * se : null, meanReturnHigh: n > 1 ? mean + Z * se : null };
}

/**
 * Each decision labelled as the trainer labels its rows (index-aligned; null when it is not labelled): the price
 * move over `horizonMs` after execution in the side's direction, net of the entry fee and an exit fee, with the
 * later price taken from the prices seen in the same executions (signal and execution prices, every mode's).
 * Exits are never labelled (they only lend their prices), nor decisions with no price that far yet.
 */
export function labelDecisions(
  decisions: readonly ExecutedDecision[],
  labels: Pick<LabelOptions, 'horizonMs' | 'exitFeeRate' | 'minReturn'>,
): Array<{ label: 0 | 1; ret: number } | null> {
  const series = new Map<string, Array<[number, number]>>();
  const add = (asset: string, t: number, p: number | null): void => {
    if (!(p !== null && p > 0 && Number.isFinite(t))) return;
    let s = series.get(asset);
    if (!s) series.set(asset, (s = []));
    s.push([t, p]);
  };
  for (const d of decisions) {
    add(d.asset, d.signalTimeMs, d.signalPrice);
    add(d.asset, d.executedAtMs, d.executionPrice);
  }
  const sorted = new Map<string, { times: number[]; prices: number[] }>();
  for (const [asset, s] of series) {
    s.sort((a, b) => a[0] - b[0]);
    sorted.set(asset, { times: s.map((x) => x[0]), prices: s.map((x) => x[1]) });
  }
  return decisions.map((d) => {
    if (d.mode === 'exit') return null;
    const s = sorted.get(d.asset);
    const later = s ? priceAtHorizon(s.times, s.prices, d.executedAtMs, labels.horizonMs) : null;
    if (later === null) return null;
    const r = labelFromExecution(
      { side: d.side, execution_price: d.executionPrice, execution_quantity: d.executionQuantity, execution_fees: d.executionFees },
      { ...labels, laterPrice: later },
    );
    return r ? { label: r.label, ret: r.ret } : null;
  });
}

/**
 * Model-mode decisions against warm-up decisions of one strategy, each labelled by labelDecisions (the trainer's
 * label). Decisions with no price far enough after them yet are left out.
 */
export function compareModes(
  decisions: readonly ExecutedDecision[],
  labels: Pick<LabelOptions, 'horizonMs' | 'exitFeeRate' | 'minReturn'>,
): { warmup: ModeOutcome; model: ModeOutcome } {
  const out: Record<'warmup' | 'model', Array<{ label: 0 | 1; ret: number }>> = { warmup: [], model: [] };
  labelDecisions(decisions, labels).forEach((r, i) => {
    const mode = decisions[i].mode;
    if (r && mode !== 'exit') out[mode].push(r);
  });
  return { warmup: summariseOutcomes(out.warmup), model: summariseOutcomes(out.model) };
}

/** A difference of two means with its 95 % interval. */
export interface MeanDifference {
  difference: number;
  low: number;
  high: number;
}

/**
 * `a`'s mean net return minus `b`'s, with a 95 % interval (or another: `z` standard errors each way) from both
 * standard errors (Welch, normal approximation: se = sqrt(se_a² + se_b²)); null unless both sides have at least
 * two outcomes. The standard errors are recovered from each side's own interval, so this agrees with what
 * summariseOutcomes reports.
 */
export function meanReturnDifference(a: ModeOutcome, b: ModeOutcome, z: number = Z): MeanDifference | null {
  const se = (o: ModeOutcome): number | null =>
    o.meanReturn === null || o.meanReturnHigh === null || o.meanReturnLow === null ? null : (o.meanReturnHigh - o.meanReturnLow) / (2 * Z);
  const sa = se(a);
  const sb = se(b);
  if (sa === null || sb === null || a.meanReturn === null || b.meanReturn === null) return null;
  const difference = a.meanReturn - b.meanReturn;
  const half = z * Math.sqrt(sa * sa + sb * sb);
  return { difference, low: difference - half, high: difference + half };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);

/** "n 312, win rate 54.2 % [48.7 %, 59.6 %], mean net return 0.031 % [-0.012 %, 0.074 %]" */
export function formatModeOutcome(o: ModeOutcome): string {
  if (o.n === 0) return 'n 0';
  const ret = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(3)} %`);
  return `n ${o.n}, win rate ${pct(o.winRate)} [${pct(o.winRateLow)}, ${pct(o.winRateHigh)}], mean net return ${ret(o.meanReturn)} [${ret(o.meanReturnLow)}, ${ret(o.meanReturnHigh)}]`;
}
