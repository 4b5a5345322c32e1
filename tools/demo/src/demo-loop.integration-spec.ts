import { deleteExchanges, deleteQueues, TEST_RABBITMQ_URL } from '@model-service/messaging/testing';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { TEST_DATABASE_URL } from '@model-service/repositories/testing';

import { DEMO_ACCURACY_THRESHOLD, DEMO_MIN_VALIDATION_ROWS } from './demo-settings';

/**
 * Acceptance test of `npm run demo` itself (tools/demo/src/main.ts), on the real broker and database,
 * with its own database and queue names, stopping as soon as every stage has been shown. Then the data
 * it left is checked: each stage happened, no signal was lost, every fill was stored by the trainer
 * exactly once, and positions and balances add up to the fills.
 *
 * Every stage is required within the run, the promotion under the demo's gate and model-mode signals
 * included (when a stage is missing the training runs' gate reasons are printed).
 */

const ROOT = join(__dirname, '../../..');
const BASE_DB = TEST_DATABASE_URL;
const RABBIT = TEST_RABBITMQ_URL;
const INITIAL_USDT = 100_000;
// The demo stops as soon as every stage is shown (180–220 s here at load ~10); the window leaves room for a slower CI machine.
const TIMEOUT_S = 400;

interface Report {
  exitCode: number;
  reason: string;
  leftoverPids: number[];
  modelModeBuilt: boolean;
  stages: Array<{ name: string; done: boolean; pending?: string }>;
  apps: Array<{ name: string; pid: number; log: string }>;
  plan: { modelDir: string };
}

function databaseUrl(name: string): string {
  const u = new URL(BASE_DB);
  u.pathname = `/${name}`;
  return u.toString();
}

function brokerNames(kind: 'queues' | 'exchanges', prefix: string): string[] {
  const out = execFileSync('rabbitmqctl', [`list_${kind}`, 'name', '-q', '--no-table-headers'], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter((n) => n.startsWith(prefix));
}

const num = (v: unknown): number => Number(v);

describe('npm run demo: the whole loop (e2e)', () => {
  const suffix = randomBytes(4).toString('hex');
  const dbName = `model_service_e2e_${suffix}`;
  const prefix = `e2e.${suffix}.`;
  const dir = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
  const reportFile = join(dir, 'report.json');
  let report: Report;
  let output = '';
  let exitCode: number | null = null;
  let db: Client;

  beforeAll(async () => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register',
        '-r',
        'tsconfig-paths/register',
        join(ROOT, 'tools/demo/src/main.ts'),
        '--duration',
        String(TIMEOUT_S - 40),
        '--stop-when-done',
        '--queue-prefix',
        prefix,
        '--refresh',
        '10',
        '--report',
        reportFile,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: databaseUrl(dbName), RABBITMQ_URL: RABBIT, TS_NODE_PROJECT: join(ROOT, 'tsconfig.tools.json'), TS_NODE_TRANSPILE_ONLY: 'true' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (d) => (output += String(d)));
    child.stderr.on('data', (d) => (output += String(d)));
    exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    if (!existsSync(reportFile)) throw new Error(`the demo wrote no report (exit ${exitCode}):\n${output.slice(-4000)}`);
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as Report;
    db = new Client({ connectionString: databaseUrl(dbName) });
    await db.connect();
  }, TIMEOUT_S * 1000);

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    const admin = new Client({ connectionString: databaseUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(dbName)} WITH (FORCE)`);
    await admin.end();
    await deleteQueues(RABBIT, brokerNames('queues', prefix));
    await deleteExchanges(RABBIT, brokerNames('exchanges', prefix));
    // The run's logs and model store (kept when a test failed, for a look).
    const failed = exitCode !== 0;
    if (report && !failed) rmSync(dirname(report.plan.modelDir), { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('shows every stage, the promotion and model-mode signals included, exits 0 and leaves no process behind', async () => {
    const notShown = report.stages.filter((s) => !s.done).map((s) => s.name);
    if (notShown.length > 0) {
      // Say why in the output: the gate's reasons for every finished run.
      const runs = (await db.query(`SELECT strategy_id, status, dataset_size, progress->'outcome'->'reasons' AS reasons FROM training_runs ORDER BY queued_at`)).rows;
      process.stdout.write(`demo e2e: not shown within ${TIMEOUT_S - 40} s: ${notShown.join(', ')}; runs: ${JSON.stringify(runs)}\n`);
    }
    expect({ exitCode, reason: report.reason, notShown }).toEqual({ exitCode: 0, reason: 'done', notShown: [] });
    expect(report.leftoverPids).toEqual([]);
    const groups = new Set(report.apps.map((a) => a.pid));
    const alive = execFileSync('ps', ['-eo', 'pgid='], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((g) => groups.has(g));
    expect(alive).toEqual([]);
  });

  it('stage by stage: warm-up signals, a training run, a promoted model above the gate, exits of three rules', async () => {
    const [warmup] = (await db.query(`SELECT count(*) AS n FROM trading_signals WHERE is_warmup AND model_version IS NULL`)).rows;
    expect(num(warmup.n)).toBeGreaterThan(0);
    const [runs] = (await db.query(`SELECT count(*) AS n FROM training_runs WHERE status = 'succeeded'`)).rows;
    expect(num(runs.n)).toBeGreaterThanOrEqual(1);
    // The promoted model passed the demo's gate: the lower bound of its accuracy's interval is at least the
    // gate's threshold, on at least the gate's number of validation rows.
    const active = (await db.query(`SELECT strategy_id, (metrics->>'accuracy')::float AS accuracy FROM model_versions WHERE is_active`)).rows;
    expect(active.length).toBeGreaterThanOrEqual(1);
    for (const m of active) expect(m.accuracy).toBeGreaterThanOrEqual(DEMO_ACCURACY_THRESHOLD);
    const promoted = (await db.query(`SELECT progress->'outcome'->'reasons' AS reasons FROM training_runs WHERE (progress->'outcome'->>'promoted')::boolean`)).rows;
    expect(promoted.length).toBeGreaterThanOrEqual(1);
    for (const r of promoted) {
      const reasons = (r.reasons as string[]).join('\n');
      expect(reasons).toMatch(new RegExp(`validation rows \\d+ >= minimum ${DEMO_MIN_VALIDATION_ROWS}`));
      expect(reasons).toContain('95 % lower bound meets threshold');
      expect(reasons).toMatch(/beats baseline/);
    }
    const reasons = (await db.query(`SELECT DISTINCT metadata->>'exit_reason' AS r FROM trading_signals WHERE metadata ? 'exit_reason'`)).rows.map((r) => r.r);
    expect(reasons.length).toBeGreaterThanOrEqual(3);
  });

  it('model-mode signals after the promotion, from the active version', async () => {
    const [model] = (await db.query(`SELECT count(*) AS n FROM trading_signals WHERE NOT is_warmup AND model_version IS NOT NULL`)).rows;
    expect(num(model.n)).toBeGreaterThan(0);
    expect(report.stages.find((s) => s.name === 'model-mode signals')).toMatchObject({ done: true });
    const [foreign] = (
      await db.query(`SELECT count(*) AS n FROM trading_signals s WHERE s.model_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM model_versions m WHERE m.version = s.model_version AND m.strategy_id = s.strategy_id)`)
    ).rows;
    expect(num(foreign.n)).toBe(0);
  });

  it('SELLs are decisions the strategy can act on: under 2 % rejected for lack of a position', async () => {
    const [sells] = (
      await db.query(`SELECT count(*) AS n, count(*) FILTER (WHERE status = 'rejected' AND rejection_reason LIKE '%holds no%') AS no_position FROM orders WHERE side = 'sell'`)
    ).rows;
    process.stdout.write(`demo e2e: SELL orders ${sells.n}, rejected for no position ${sells.no_position}\n`);
    expect(num(sells.n)).toBeGreaterThan(20);
    expect(num(sells.no_position) / num(sells.n)).toBeLessThan(0.02);
  });

  it('loses no signal: each one published was filled or rejected with a reason', async () => {
    const rows = (
      await db.query(`SELECT s.signal_id, o.status, o.rejection_reason FROM trading_signals s LEFT JOIN orders o ON o.signal_id = s.signal_id`)
    ).rows as Array<{ signal_id: string; status: string | null; rejection_reason: string | null }>;
    expect(rows.length).toBeGreaterThan(50);
    const lost = rows.filter((r) => r.status !== 'filled' && !(r.status === 'rejected' && (r.rejection_reason ?? '').length > 0));
    expect(lost).toEqual([]);
    const [orphans] = (await db.query(`SELECT count(*) AS n FROM orders o WHERE NOT EXISTS (SELECT 1 FROM trading_signals s WHERE s.signal_id = o.signal_id)`)).rows;
    expect(num(orphans.n)).toBe(0);
  });

  it('stores every fill exactly once in execution_events, as filled', async () => {
    const rows = (
      await db.query(`
        SELECT o.order_id, o.filled_quantity, o.average_price, o.fees, count(e.id) AS events,
               max(e.execution_quantity) AS qty, max(e.execution_price) AS price, max(e.execution_fees) AS fee
          FROM orders o LEFT JOIN execution_events e ON e.order_id = o.order_id
         WHERE o.status = 'filled' GROUP BY o.order_id, o.filled_quantity, o.average_price, o.fees`)
    ).rows;
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => num(r.events) !== 1)).toEqual([]);
    for (const r of rows) {
      expect(num(r.qty)).toBeCloseTo(num(r.filled_quantity), 9);
      expect(num(r.price)).toBeCloseTo(num(r.average_price), 6);
      expect(num(r.fee)).toBeCloseTo(num(r.fees), 9);
    }
    const [extra] = (await db.query(`SELECT count(*) AS n FROM execution_events e WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = e.order_id AND o.status = 'filled')`)).rows;
    expect(num(extra.n)).toBe(0);
  });

  it('positions and balances reconcile with the fills', async () => {
    const fills = (await db.query(`SELECT asset, strategy_id, side, filled_quantity, average_price, fees FROM orders WHERE status = 'filled'`)).rows;
    let usdt = INITIAL_USDT;
    const held = new Map<string, number>();
    const byCoin = new Map<string, number>();
    for (const f of fills) {
      const qty = num(f.filled_quantity);
      const notional = qty * num(f.average_price);
      const sign = f.side === 'buy' ? 1 : -1;
      usdt += f.side === 'buy' ? -(notional + num(f.fees)) : notional - num(f.fees);
      const key = `${f.asset}|${f.strategy_id}`;
      held.set(key, (held.get(key) ?? 0) + sign * qty);
      const coin = String(f.asset).replace(/USDT$/, '');
      byCoin.set(coin, (byCoin.get(coin) ?? 0) + sign * qty);
    }
    const latest = async (coin: string) =>
      num((await db.query(`SELECT wallet_balance FROM account_balances WHERE coin = $1 ORDER BY received_at DESC LIMIT 1`, [coin])).rows[0]?.wallet_balance ?? 0);
    expect(await latest('USDT')).toBeCloseTo(usdt, 4);
    for (const [coin, qty] of byCoin) expect(await latest(coin)).toBeCloseTo(qty, 8);
    const positions = (await db.query(`SELECT asset, strategy_id, size FROM positions`)).rows;
    expect(positions.length).toBeGreaterThan(0);
    for (const p of positions) {
      const expected = held.get(`${p.asset}|${p.strategy_id}`) ?? 0;
      expect({ position: `${p.asset}|${p.strategy_id}`, size: num(p.size) }).toEqual({ position: `${p.asset}|${p.strategy_id}`, size: expect.closeTo(expected, 8) });
      expect(num(p.size)).toBeGreaterThanOrEqual(0);
    }
  });
});
