// Panels that are tables and cards: apps' health, dead-letter queues, models, training runs, exits.
import { apiGet, query } from './api.js';
import { ago, badge, duration, el, empty, num, pct, show, table } from './dom.js';

export async function loadHealth() {
  const { items } = await apiGet('monitoring/services');
  const cards = items.map((a) => {
    const checks = Object.entries(a.checks).sort(([x], [y]) => x.localeCompare(y)).map(([name, s]) => `${name} ${s}`).join(' · ');
    return el(
      'div',
      { class: 'app', 'data-service': a.service, 'data-status': a.status },
      el('strong', {}, a.service),
      badge(a.status.replace('_', ' '), a.status),
      a.response_ms !== null ? el('span', { class: 'muted' }, ` ${a.response_ms} ms`) : null,
      checks ? el('div', { class: 'checks' }, checks) : null,
      a.error ? el('div', { class: 'checks' }, a.error) : null,
    );
  });
  show('panel-health', 'ready', el('div', { class: 'apps' }, cards));
}

export async function loadDeadLetters() {
  const d = await apiGet('monitoring/dead-letter-queues');
  show(
    'panel-dlq',
    'ready',
    el('p', {}, d.total_messages === 0 ? 'No dead-lettered messages.' : `${d.total_messages} dead-lettered message(s) to look at (npm run dlq -- show <queue>).`),
    table(
      [
        ['queue', (q) => q.dead_letter_queue, { wrap: true }],
        ['messages', (q) => (!q.exists ? el('span', { class: 'muted' }, 'not declared') : q.messages > 0 ? badge(String(q.messages), 'failed') : '0'), { num: true }],
      ],
      d.items,
      (q) => ({ 'data-queue': q.queue }),
    ),
  );
}

function progressCell(run) {
  const p = run.progress ?? {};
  if (typeof p.epoch !== 'number' || typeof p.epochs !== 'number' || p.epochs <= 0) return run.status === 'running' ? 'starting…' : '–';
  const fraction = Math.min(1, p.epoch / p.epochs);
  const fill = el('span');
  fill.style.width = `${(fraction * 100).toFixed(1)}%`;
  return el('div', { class: 'progress', title: `epoch ${p.epoch} of ${p.epochs}` }, fill, el('em', {}, `${p.epoch} / ${p.epochs}`));
}

export async function loadTraining() {
  const runs = await apiGet(`training/runs${query({ limit: 10 })}`);
  if (runs.items.length === 0) return empty('panel-training', 'No training run yet.');
  const active = runs.items.filter((r) => r.status === 'running' || r.status === 'queued').length;
  show(
    'panel-training',
    'ready',
    el('p', { class: 'muted' }, `${active} queued or running · ${runs.total} run(s) in all · newest ${runs.items.length} shown`),
    table(
      [
        ['strategy', (r) => r.strategy_id],
        ['status', (r) => badge(r.status)],
        ['trigger', (r) => r.trigger],
        ['epoch', progressCell],
        ['loss', (r) => num(r.progress?.loss, 4), { num: true }],
        ['val acc', (r) => pct(r.progress?.val_accuracy), { num: true }],
        ['ETA', (r) => (r.status === 'running' ? duration(r.progress?.eta_seconds) : '–'), { num: true }],
        ['started', (r) => ago(r.started_at ?? r.queued_at)],
        ['took', (r) => duration(r.duration_seconds), { num: true }],
        ['result', (r) => r.model_version ?? r.error ?? '–'],
      ],
      runs.items,
      (r) => ({ 'data-status': r.status }),
    ),
  );
}

export async function loadExits(windowStart) {
  const d = await apiGet(`monitoring/exits${query({ start_time: windowStart })}`);
  if (d.total === 0) return empty('panel-exits', 'No exit signal in the last 24 h.');
  const reasons = Object.entries(d.by_reason).sort((a, b) => b[1] - a[1]);
  const max = reasons[0][1];
  const bars = el(
    'div',
    { class: 'bars' },
    reasons.flatMap(([reason, n]) => {
      const fill = el('span');
      fill.style.width = `${((n / max) * 100).toFixed(1)}%`;
      return [el('span', { 'data-reason': reason }, reason), el('div', { class: 'bar' }, fill), el('span', { class: 'num' }, String(n))];
    }),
  );
  show(
    'panel-exits',
    'ready',
    bars,
    table(
      [
        ['strategy', (r) => r.strategy_id],
        ['reason', (r) => r.exit_reason],
        ['exits', (r) => String(r.count), { num: true }],
        ['last', (r) => ago(r.last_at)],
      ],
      d.items,
    ),
  );
}

function metricsCell(active, perf) {
  if (!active) return '–';
  const evaluation = perf?.evaluation ?? {};
  const latest = perf?.latest_quality_metrics ?? [];
  const parts = [];
  // The evaluation's accuracy when no quality metric of that name was recorded since.
  if (typeof evaluation.accuracy === 'number' && !latest.some((m) => m.metric_name === 'accuracy')) parts.push(`accuracy ${pct(evaluation.accuracy)}`);
  for (const m of latest.slice(0, 6)) parts.push(`${m.metric_name} ${m.metric_name === 'accuracy' ? pct(m.metric_value) : num(m.metric_value, 3)}`);
  if (perf) parts.push(`its signals: ${perf.model_signals.total_orders} fills, win ${pct(perf.model_signals.win_rate)}, PnL ${num(perf.model_signals.total_pnl)}`);
  return el('div', { class: 'metrics' }, parts.join(' · ') || '–');
}

function historyCell(versions) {
  if (versions.length === 0) return el('span', { class: 'muted' }, 'no version yet');
  return el(
    'div',
    { class: 'history' },
    versions.map((v, i) => [i > 0 ? ' ← ' : null, el('span', { 'data-version': v.version }, `${v.version} `), badge(v.is_active ? 'active' : v.status, v.is_active ? 'active' : v.status)]),
  );
}

export async function loadModels() {
  const [strategies, performance] = await Promise.all([apiGet('strategies'), apiGet('monitoring/models/performance')]);
  if (strategies.items.length === 0) return empty('panel-models', 'No strategy has published anything yet.');
  const perfBy = new Map(performance.items.map((p) => [p.strategy_id, p]));
  const shown = strategies.items.slice(0, 12);
  const histories = await Promise.all(shown.map((s) => apiGet(`models${query({ strategy_id: s.strategy_id, limit: 5 })}`)));
  const rows = shown.map((s, i) => ({ s, perf: perfBy.get(s.strategy_id), versions: histories[i].items }));
  show(
    'panel-models',
    'ready',
    el('p', { class: 'muted' }, `${performance.active_models_count} active model(s) · ${performance.total_models_count} version(s) stored`),
    table(
      [
        ['strategy', (r) => r.s.strategy_id],
        ['mode', (r) => badge(r.s.mode)],
        ['active version', (r) => r.s.active_model?.version ?? '–'],
        ['type', (r) => r.s.active_model?.model_type ?? '–'],
        ['since', (r) => ago(r.s.active_model?.activated_at)],
        ['last signal', (r) => ago(r.s.last_signal_at)],
        ['metrics', (r) => metricsCell(r.s.active_model, r.perf)],
        ['history (newest first)', (r) => historyCell(r.versions)],
      ],
      rows,
      (r) => ({ 'data-strategy': r.s.strategy_id }),
    ),
  );
}
