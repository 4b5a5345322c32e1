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

const Z = 1.959963984540054;

function wilson(k: number, n: number): [number, number] {
  const p = k / n;
  const d = 1 + (Z * Z) / n;
  const c = p + (Z * Z) / (2 * n);
  const m = Z * Math.sqrt((p * (1 - p)) / n + (Z * Z) / (4 * n * n));
  return [Math.max(0, (c - m) / d), Math.min(1, (c + m) / d)];
}

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
  const [lo, hi] = wilson(wins, n);
  return { n, winRate: wins / n, winRateLow: lo, winRateHigh: hi, meanReturn: mean, meanReturnLow: n > 1 ? mean - Z * se : null, meanReturnHigh: n > 1 ? mean + Z * se : null };
}

/**
 * Model-mode decisions against warm-up decisions of one strategy, each labelled as the trainer labels its
 * rows: the price move over `horizonMs` after execution in the side's direction, net of the entry fee and an
 * exit fee, with the later price taken from the prices seen in the same executions (signal and execution
 * prices). Decisions with no price that far yet are left out.
 */
export function compareModes(
  decisions: readonly ExecutedDecision[],
  labels: Pick<LabelOptions, 'horizonMs' | 'exitFeeRate' | 'minReturn'>,
): { warmup: ModeOutcome; model: ModeOutcome } {
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
  const out: Record<'warmup' | 'model', Array<{ label: 0 | 1; ret: number }>> = { warmup: [], model: [] };
  for (const d of decisions) {
    if (d.mode === 'exit') continue;
    const s = sorted.get(d.asset);
    const later = s ? priceAtHorizon(s.times, s.prices, d.executedAtMs, labels.horizonMs) : null;
    if (later === null) continue;
    const r = labelFromExecution(
      { side: d.side, execution_price: d.executionPrice, execution_quantity: d.executionQuantity, execution_fees: d.executionFees },
      { ...labels, laterPrice: later },
    );
    if (r) out[d.mode].push({ label: r.label, ret: r.ret });
  }
  return { warmup: summariseOutcomes(out.warmup), model: summariseOutcomes(out.model) };
}

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(2)} %`);

/** "n 312, win rate 54.2 % [48.7 %, 59.6 %], mean net return 0.031 % [-0.012 %, 0.074 %]" */
export function formatModeOutcome(o: ModeOutcome): string {
  if (o.n === 0) return 'n 0';
  const ret = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(3)} %`);
  return `n ${o.n}, win rate ${pct(o.winRate)} [${pct(o.winRateLow)}, ${pct(o.winRateHigh)}], mean net return ${ret(o.meanReturn)} [${ret(o.meanReturnLow)}, ${ret(o.meanReturnHigh)}]`;
}
