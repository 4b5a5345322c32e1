import { readLearning, renderLearning, StrategyLearning } from './demo-learning';
import type { DatabaseState } from './demo-summary-reader';

/** What the demo shows, read from PostgreSQL (and the apps' /health by the caller). */
export interface DemoSnapshot {
  signals: Array<{ strategy: string; mode: 'warm-up' | 'model' | 'exit'; count: number }>;
  exits: Array<{ reason: string; count: number }>;
  orders: Record<string, number>;
  executionsStored: number;
  training: {
    byStatus: Record<string, number>;
    latest: Array<{ strategy: string; trigger: string; status: string; progress: Record<string, unknown> | null; datasetSize: number | null; error: string | null }>;
  };
  /** accuracy: on the held-out data at training time; liveAccuracy: the quality monitor's latest measurement. */
  models: Array<{ strategy: string; version: string; status: string; active: boolean; accuracy: number | null; liveAccuracy: number | null }>;
  pnl: { quote: number | null; openPositions: number; positionValue: number; unrealized: number; realized: number };
  /** SELL orders, and those rejected because the strategy held nothing to sell. */
  sells: { orders: number; rejectedNoPosition: number };
  /** Model-mode decisions against warm-up decisions per strategy (win rate and mean net return, 95 % intervals). */
  learning: StrategyLearning[];
}

export interface Stage {
  name: string;
  done: boolean;
  detail: string;
  /** Not reachable yet because the feature is not built (shown, not counted as a failure). */
  pending?: string;
}

/** What the summary needs of a connection (a pg Client or PoolClient). */
export interface Queryable {
  query(sql: string): Promise<{ rows: unknown[] }>;
}

// A failed query fails the whole snapshot: figures of zero for what could not be read would be wrong.
async function rows<T>(db: Queryable, sql: string): Promise<T[]> {
  return (await db.query(sql)).rows as T[];
}

/** The same connection, one query at a time (pg deprecates overlapping queries on one client). */
function oneAtATime(db: Queryable): Queryable {
  let tail: Promise<unknown> = Promise.resolve();
  return {
    query: (sql) => {
      const next = tail.then(() => db.query(sql));
      tail = next.catch(() => undefined);
      return next;
    },
  };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Every figure of the summary, read in one go; rejects when any query fails. */
export async function readSnapshot(conn: Queryable): Promise<DemoSnapshot> {
  const db = oneAtATime(conn);
  const [signals, exits, orders, execs, runStatus, runs, models, usdt, positions, sells, learning] = await Promise.all([
    rows<{ strategy_id: string; mode: 'warm-up' | 'model' | 'exit'; n: string }>(
      db,
      `SELECT strategy_id, CASE WHEN metadata ? 'exit_reason' THEN 'exit' WHEN is_warmup THEN 'warm-up' ELSE 'model' END AS mode, count(*) AS n
         FROM trading_signals GROUP BY 1, 2 ORDER BY 1, 2`,
    ),
    rows<{ reason: string; n: string }>(db, `SELECT metadata->>'exit_reason' AS reason, count(*) AS n FROM trading_signals WHERE metadata ? 'exit_reason' GROUP BY 1 ORDER BY 2 DESC`),
    rows<{ status: string; n: string }>(db, `SELECT status, count(*) AS n FROM orders GROUP BY 1`),
    rows<{ n: string; realized: string | null }>(db, `SELECT count(*) AS n, sum(realized_pnl) AS realized FROM execution_events`),
    rows<{ status: string; n: string }>(db, `SELECT status, count(*) AS n FROM training_runs GROUP BY 1`),
    rows<{ strategy_id: string; trigger: string; status: string; progress: Record<string, unknown> | null; dataset_size: number | null; error: string | null }>(
      db,
      `SELECT strategy_id, "trigger", status, progress, dataset_size, error FROM training_runs ORDER BY queued_at DESC LIMIT 4`,
    ),
    rows<{ strategy_id: string; version: string; status: string; is_active: boolean; accuracy: number | null; live: number | null }>(
      db,
      `SELECT v.strategy_id, v.version, v.status, v.is_active,
              COALESCE((v.metrics->>'accuracy')::double precision,
                       (SELECT m.metric_value FROM model_quality_metrics m WHERE m.model_version_id = v.id AND m.metric_name = 'accuracy'
                          AND m.metric_type = 'classification' ORDER BY m.evaluated_at DESC LIMIT 1)) AS accuracy,
              (SELECT m.metric_value FROM model_quality_metrics m WHERE m.model_version_id = v.id AND m.metric_name = 'accuracy'
                 AND m.metric_type = 'live' ORDER BY m.evaluated_at DESC LIMIT 1) AS live
         FROM model_versions v ORDER BY v.is_active DESC, v.created_at DESC LIMIT 12`,
    ),
    rows<{ wallet_balance: string }>(db, `SELECT wallet_balance FROM account_balances WHERE coin = 'USDT' ORDER BY received_at DESC LIMIT 1`),
    rows<{ n: string; value: string | null; unrealized: string | null }>(
      db,
      `SELECT count(*) AS n, sum(size * current_price) AS value, sum(unrealized_pnl) AS unrealized FROM positions WHERE size > 0 AND closed_at IS NULL`,
    ),
    rows<{ n: string; no_position: string }>(
      db,
      `SELECT count(*) AS n, count(*) FILTER (WHERE status = 'rejected' AND rejection_reason LIKE '%holds no%') AS no_position FROM orders WHERE side = 'sell'`,
    ),
    readLearning(db),
  ]);
  return {
    signals: signals.map((r) => ({ strategy: r.strategy_id, mode: r.mode, count: num(r.n) })),
    exits: exits.map((r) => ({ reason: r.reason, count: num(r.n) })),
    orders: Object.fromEntries(orders.map((r) => [r.status, num(r.n)])),
    executionsStored: num(execs[0]?.n),
    training: {
      byStatus: Object.fromEntries(runStatus.map((r) => [r.status, num(r.n)])),
      latest: runs.map((r) => ({ strategy: r.strategy_id, trigger: r.trigger, status: r.status, progress: r.progress, datasetSize: r.dataset_size, error: r.error })),
    },
    models: models.map((m) => ({
      strategy: m.strategy_id,
      version: m.version,
      status: m.status,
      active: m.is_active,
      accuracy: m.accuracy === null ? null : Number(m.accuracy),
      liveAccuracy: m.live === null ? null : Number(m.live),
    })),
    pnl: {
      quote: usdt[0] ? Number(usdt[0].wallet_balance) : null,
      openPositions: num(positions[0]?.n),
      positionValue: num(positions[0]?.value),
      unrealized: num(positions[0]?.unrealized),
      realized: num(execs[0]?.realized),
    },
    sells: { orders: num(sells[0]?.n), rejectedNoPosition: num(sells[0]?.no_position) },
    learning,
  };
}

/** The five things the demo must show, each done or not (model mode reported as pending until it exists). */
export function stagesOf(s: DemoSnapshot, modelModePending: string | null): Stage[] {
  const count = (mode: string) => s.signals.filter((x) => x.mode === mode).reduce((n, x) => n + x.count, 0);
  const runs = Object.values(s.training.byStatus).reduce((a, b) => a + b, 0);
  const finished = (s.training.byStatus['succeeded'] ?? 0) + (s.training.byStatus['failed'] ?? 0) + (s.training.byStatus['skipped'] ?? 0);
  const active = s.models.filter((m) => m.active);
  const modelSignals = count('model');
  const reasons = s.exits.map((e) => e.reason);
  return [
    { name: 'warm-up signals', done: count('warm-up') > 0, detail: String(count('warm-up')) },
    { name: 'training run', done: (s.training.byStatus['succeeded'] ?? 0) > 0, detail: `${runs} run(s), ${s.training.byStatus['succeeded'] ?? 0} succeeded, ${finished} finished` },
    { name: 'promoted model', done: active.length > 0, detail: active.map((m) => `${m.strategy} ${m.version}`).join(', ') || 'none yet' },
    {
      name: 'model-mode signals',
      done: modelSignals > 0,
      detail: String(modelSignals),
      ...(modelSignals === 0 && modelModePending ? { pending: modelModePending } : {}),
    },
    { name: 'exits of 3+ rules', done: reasons.length >= 3, detail: reasons.join(', ') || 'none yet' },
  ];
}

const fmt = (n: number, d = 2) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const signed = (n: number) => `${n >= 0 ? '+' : ''}${fmt(n)}`;
const mmss = (s: number) => `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(Math.floor(s % 60)).padStart(2, '0')}`;

export interface RenderContext {
  elapsedSeconds: number;
  remainingSeconds: number | null;
  apps: Array<{ name: string; status: string }>;
  market: { simulatedTime?: string; prices?: Record<string, number | null> } | null;
  initialQuote: number;
  modelModePending: string | null;
  /** The summary reader's view of PostgreSQL; times relative to startedAt. Absent: not shown. */
  database?: { state: DatabaseState; startedAt: number; now: number };
}

/** "ok", or how long the database has been unreachable and how old the figures shown are. */
export function databaseLine(state: DatabaseState, startedAt: number, now: number): string {
  if (state.reachable) {
    return `ok${state.lastOutageMs === null ? '' : ` (back after an outage of ${Math.round(state.lastOutageMs / 1000)} s)`}`;
  }
  const down = Math.round((now - (state.unreachableSince ?? now)) / 1000);
  const figures = state.readAt === null ? 'no figures read yet' : `figures below as read at ${mmss((state.readAt - startedAt) / 1000)}`;
  return `${state.queryFailed ? 'QUERY FAILED' : 'UNREACHABLE'} for ${down} s (${state.error ?? 'no answer'}); ${figures}, retrying`;
}

function trainingLine(s: DemoSnapshot): string {
  const counts = Object.entries(s.training.byStatus).map(([k, v]) => `${v} ${k}`).join(', ') || 'none yet';
  const running = s.training.latest.find((r) => r.status === 'running');
  const p = running?.progress;
  const progress = p ? ` — ${running.strategy}: epoch ${p['epoch'] ?? '?'}/${p['epochs'] ?? '?'}${typeof p['val_accuracy'] === 'number' ? `, val acc ${fmt(p['val_accuracy'] as number, 3)}` : ''}` : '';
  const failed = s.training.latest.find((r) => r.status === 'failed' && r.error);
  return `${counts}${progress}${failed ? ` — last failure: ${String(failed.error).slice(0, 80)}` : ''}`;
}

/** The summary screen; without a snapshot (nothing read yet) only the header, apps and database lines. */
export function renderSnapshot(s: DemoSnapshot | null, ctx: RenderContext): string {
  const out: string[] = [];
  const prices = Object.entries(ctx.market?.prices ?? {})
    .map(([a, p]) => `${a} ${p === null ? '-' : fmt(p, p >= 100 ? 2 : 4)}`)
    .join('  ');
  const left = ctx.remainingSeconds === null ? 'Ctrl-C to stop' : `stops in ${mmss(ctx.remainingSeconds)}`;
  out.push(`model-service demo — ${mmss(ctx.elapsedSeconds)} elapsed (${left})`);
  out.push(`market    simulated ${ctx.market?.simulatedTime?.replace('T', ' ').slice(0, 16) ?? '-'}  ${prices}`);
  out.push(`apps      ${ctx.apps.map((a) => `${a.name} ${a.status}`).join(' | ')}`);
  if (ctx.database) out.push(`database  ${databaseLine(ctx.database.state, ctx.database.startedAt, ctx.database.now)}`);
  if (!s) return out.join('\n');
  const byStrategy = new Map<string, string[]>();
  for (const x of s.signals) byStrategy.set(x.strategy, [...(byStrategy.get(x.strategy) ?? []), `${x.mode} ${x.count}`]);
  out.push(`signals   ${[...byStrategy].map(([k, v]) => `${k}: ${v.join(', ')}`).join(' | ') || 'none yet'}`);
  const o = s.orders;
  const noPosition = s.sells.orders > 0 ? ` (SELLs rejected for no position: ${s.sells.rejectedNoPosition} of ${s.sells.orders}, ${fmt((100 * s.sells.rejectedNoPosition) / s.sells.orders, 1)} %)` : '';
  out.push(`orders    filled ${o['filled'] ?? 0}, rejected ${o['rejected'] ?? 0}${noPosition}, pending ${o['pending'] ?? 0} — executions stored by the trainer: ${s.executionsStored}`);
  out.push(`training  ${trainingLine(s)}`);
  const active = s.models.filter((m) => m.active);
  const shown = active.length > 0 ? active : s.models.slice(0, 2);
  out.push(
    `models    ${
      shown
        .map((m) => `${m.version} ${m.active ? 'ACTIVE' : m.status}${m.accuracy === null ? '' : ` accuracy ${fmt(m.accuracy, 3)}`}${m.liveAccuracy === null ? '' : ` (live ${fmt(m.liveAccuracy, 3)})`}`)
        .join(' | ') || 'none yet'
    } — ${s.models.length} version(s)`,
  );
  out.push(`exits     ${s.exits.map((e) => `${e.reason} ${e.count}`).join(', ') || 'none yet'}`);
  if (s.pnl.quote !== null) {
    const equity = s.pnl.quote + s.pnl.positionValue;
    out.push(
      `PnL       equity ${fmt(equity)} USDT (${signed(equity - ctx.initialQuote)}): realized ${signed(s.pnl.realized)}, unrealized ${signed(s.pnl.unrealized)}, ${s.pnl.openPositions} open position(s)`,
    );
  }
  if (s.learning.some((l) => l.model.n > 0)) out.push('learning  model-mode vs warm-up decisions (labelled as the trainer labels them; 95 % intervals)', ...renderLearning(s.learning));
  const stages = stagesOf(s, ctx.modelModePending);
  out.push(`stages    ${stages.map((st) => `[${st.done ? 'x' : st.pending ? '~' : ' '}] ${st.name}${st.pending ? ` (pending: ${st.pending})` : ''}`).join('  ')}`);
  return out.join('\n');
}
