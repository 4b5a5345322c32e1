// Panels that are time-series charts: signals per strategy and mode, cumulative PnL and win rate.
import { apiGet, query } from './api.js';
import { colour, hourSlots, LineChart } from './charts.js';
import { el, empty, show } from './dom.js';

const MODE_DASH = { warmup: [6, 4], model: undefined, exit: [2, 3] };
const MAX_STRATEGIES = 8;
const charts = new Map();

/** The panel's chart, created once and kept (its host element moves back in on each render). */
function chartIn(panelId, options) {
  let entry = charts.get(panelId);
  if (!entry) {
    const host = el('div', { class: 'chart' });
    entry = { host, chart: new LineChart(host, options) };
    charts.set(panelId, entry);
  }
  return entry;
}

function render(panelId, options, xs, series, caption) {
  const entry = chartIn(panelId, options);
  show(panelId, 'ready', entry.host, caption ? el('p', { class: 'muted' }, caption) : null);
  entry.chart.update(xs, series);
}

export async function loadSignals(windowStart) {
  const d = await apiGet(`monitoring/signals/time-series${query({ granularity: 'hour', start_time: windowStart })}`);
  if (d.items.length === 0) return empty('panel-signals', 'No signal in the last 24 h.');
  const xs = hourSlots(d.start_time, d.end_time);
  const slot = new Map(xs.map((t, i) => [t, i]));
  const strategies = [...new Set(d.items.map((c) => c.strategy_id))].sort();
  const byKey = new Map();
  for (const c of d.items) {
    const key = `${c.strategy_id} · ${c.mode}`;
    if (!byKey.has(key)) byKey.set(key, { strategy: c.strategy_id, mode: c.mode, values: xs.map(() => 0) });
    const i = slot.get(Date.parse(c.timestamp) / 1000);
    if (i !== undefined) byKey.get(key).values[i] += c.count;
  }
  const series = [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, s]) => ({ label, values: s.values, colour: colour(strategies.indexOf(s.strategy)), dash: MODE_DASH[s.mode] }));
  const t = d.totals_by_mode;
  render('panel-signals', { yLabel: 'signals / h', format: (v) => String(Math.round(v)), stepped: true }, xs, series,
    `${t.warmup ?? 0} warm-up · ${t.model ?? 0} model · ${t.exit ?? 0} exit signals (dashed: warm-up, solid: model, dotted: exit)`);
}

/** Cumulative figures of each strategy on one shared time axis, carried forward between its buckets. */
function cumulative(perStrategy, pick) {
  const xs = [...new Set(perStrategy.flatMap((p) => p.items.map((b) => Date.parse(b.timestamp) / 1000)))].sort((a, b) => a - b);
  const series = perStrategy.map((p, i) => {
    const at = new Map(p.items.map((b) => [Date.parse(b.timestamp) / 1000, b]));
    const acc = { pnl: 0, closed: 0, wins: 0, seen: false };
    const values = xs.map((x) => {
      const b = at.get(x);
      if (b) {
        acc.pnl += b.total_pnl;
        acc.closed += b.closed_orders;
        acc.wins += b.successful_orders;
        acc.seen = true;
      }
      return acc.seen ? pick(acc) : null;
    });
    return { label: p.strategy_id, values, colour: colour(i) };
  });
  return { xs, series };
}

export async function loadPerformance(weekStart) {
  const strategies = (await apiGet('strategies')).items.map((s) => s.strategy_id).slice(0, MAX_STRATEGIES);
  const all = await Promise.all(
    strategies.map((id) => apiGet(`strategies/${encodeURIComponent(id)}/performance/time-series${query({ granularity: 'hour', start_time: weekStart })}`)),
  );
  const withData = all.filter((p) => p.items.length > 0);
  if (withData.length === 0) {
    empty('panel-pnl', 'No execution in the last 7 days.');
    empty('panel-winrate', 'No execution in the last 7 days.');
    return;
  }
  const pnl = cumulative(withData, (a) => a.pnl);
  const totals = withData.map((p, i) => `${p.strategy_id} ${pnl.series[i].values.at(-1).toFixed(2)}`).join(' · ');
  render('panel-pnl', { yLabel: 'PnL', format: (v) => v.toFixed(1) }, pnl.xs, pnl.series, `total: ${totals}`);
  const win = cumulative(withData, (a) => (a.closed > 0 ? a.wins / a.closed : null));
  render('panel-winrate', { yLabel: 'win rate', format: (v) => `${Math.round(v * 100)} %` }, win.xs, win.series,
    'fills with a realized PnL > 0 among fills that carry one');
}
