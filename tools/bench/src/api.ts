/**
 * bench:api — requests/s and latency of the api-gateway's list and time-series endpoints against a database
 * holding 100 model versions and 1,000,000 execution events, plus EXPLAIN (ANALYZE) of the queries behind them.
 *
 * It seeds a dedicated database (`<DATABASE_URL's name>_bench_api`, COPY for the big tables), starts the app
 * as its own process (as deployed; logs at warn, rate limit off), and drives each endpoint with keep-alive
 * clients for a fixed time: one client for latency (p50/p99), then --concurrency clients for requests/s.
 * It drops the database at the end unless --keep; a run finding a kept database with the same rows reuses
 * it (--fresh seeds anew). Last stdout line:
 *   {"list_p99_ms":…,"timeseries_p99_ms":…,"list_rps":…}
 *
 *   npm run bench:api [-- --events 1000000 --models 100 --strategies 5 --days 30 --seconds 10 --concurrency 2 --keep --fresh]
 *
 * Cost curve: `--events 1000000,10000000` runs each size in its own process and prints, per size, the
 * p99s, requests/s, the app's peak RSS and the seed time, with the growth between sizes (per 10×).
 */
import { createDataSource, ModelVersionRepository, OperationsReadRepository, splitDatabaseUrl } from '@model-service/repositories';
import { spawnApp, waitForHttp } from '@model-service/platform/testing';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import { TEST_DATABASE_URL } from '@model-service/repositories/testing';

import { intArg } from './bench-args';
import { runCostCurve, sizeList } from './cost-curve';

const CURVE = sizeList('events');
const EVENTS = CURVE ? 1 : intArg('events', 1_000_000);
const MODELS = intArg('models', 100);
const STRATEGIES = intArg('strategies', 5);
const DAYS = intArg('days', 30);
const SECONDS = intArg('seconds', 10);
const CONCURRENCY = intArg('concurrency', 2);
const KEEP = process.argv.includes('--keep');
const FRESH = process.argv.includes('--fresh');
const PORT = intArg('port', 4790);
const API_KEY = 'bench-api-key-7f3c9e2a1b8d4c6e';

const H = 3_600_000;
const END = Math.floor(Date.now() / H) * H; // data ends at the current hour
const START = END - DAYS * 24 * H;
const WEEK = { start: new Date(END - 7 * 24 * H), end: new Date(END) };
const strategy = (i: number) => `bench-strategy-${i % STRATEGIES}`;

const baseUrl = TEST_DATABASE_URL;
const benchDb = `${splitDatabaseUrl(baseUrl).database}_bench_api`;
const benchUrl = (() => {
  const u = new URL(baseUrl);
  u.pathname = `/${benchDb}`;
  return u.toString();
})();
const log = (line: string) => process.stdout.write(`${line}\n`);

async function admin(sql: string): Promise<void> {
  const c = new Client({ connectionString: splitDatabaseUrl(baseUrl).adminUrl });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function alreadySeeded(): Promise<boolean> {
  const c = new Client({ connectionString: benchUrl });
  try {
    await c.connect();
    const { rows } = await c.query(`SELECT info FROM bench_seed_info`);
    return rows[0]?.info === JSON.stringify({ EVENTS, MODELS, STRATEGIES, DAYS, END });
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** COPY rows produced by `lines` (tab-separated text format) into `table (columns)`. */
async function copyRows(client: Client, table: string, columns: string[], lines: () => Generator<string>): Promise<void> {
  const batches = function* (): Generator<string> {
    let buf: string[] = [];
    for (const line of lines()) {
      buf.push(line);
      if (buf.length === 10_000) {
        yield buf.join('\n') + '\n';
        buf = [];
      }
    }
    if (buf.length) yield buf.join('\n') + '\n';
  };
  await pipeline(Readable.from(batches()), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
}

async function seed(): Promise<void> {
  const client = new Client({ connectionString: benchUrl });
  await client.connect();
  let t0 = Date.now();
  // 100 versions, the newest of each strategy active, each with 3 live metrics measured hourly over the period.
  const ids: string[] = [];
  for (let i = 0; i < MODELS; i++) {
    const active = i >= MODELS - STRATEGIES;
    const { rows } = await client.query(
      `INSERT INTO model_versions (version, strategy_id, model_type, feature_set_version, file_path, checksum, metrics,
         training_dataset_size, is_active, status, created_at, activated_at)
       VALUES ($1, $2, 'mlp', 'fs-1', $3, 'sha256:bench', $4, 50000, $5, $6, $7, $8) RETURNING id`,
      [`bench-v${String(i).padStart(3, '0')}`, strategy(i), `/models/bench-v${i}`, JSON.stringify({ accuracy: 0.7 + (i % 10) / 100, f1: 0.6 }),
        active, active ? 'active' : 'retired', new Date(START + i * H), active ? new Date(START + i * H) : null],
    );
    ids.push((rows[0] as { id: string }).id);
  }
  await copyRows(client, 'model_quality_metrics', ['model_version_id', 'strategy_id', 'metric_name', 'metric_value', 'metric_type', 'evaluated_at'], function* () {
    for (let m = 0; m < MODELS; m++) {
      for (let t = START; t < END; t += H) {
        for (const name of ['accuracy', 'win_rate', 'brier']) {
          yield `${ids[m]}\t${strategy(m)}\t${name}\t${(0.5 + ((t / H + m) % 40) / 100).toFixed(4)}\tlive\t${new Date(t).toISOString()}`;
        }
      }
    }
  });
  log(`seeded ${MODELS} model versions and their metrics in ${Date.now() - t0} ms`);
  t0 = Date.now();
  const cols = ['event_id', 'order_id', 'strategy_id', 'asset', 'side', 'execution_price', 'execution_quantity', 'execution_fees',
    'executed_at', 'market_conditions', 'performance', 'realized_pnl', 'return_percent', 'slippage_percent'];
  const step = (END - START) / EVENTS;
  await copyRows(client, 'execution_events', cols, function* () {
    let price = 65_000;
    for (let i = 0; i < EVENTS; i++) {
      price *= 1 + (((i * 7919) % 201) - 100) / 1e6;
      const sell = i % 2 === 1;
      const pnl = sell ? ((((i * 104729) % 2001) - 900) / 100).toFixed(2) : '\\N';
      const perf = sell ? `{"slippage": 0.5, "slippage_percent": 0.001, "realized_pnl": ${pnl}}` : '{"slippage": 0.5, "slippage_percent": 0.001}';
      yield [`bench-e${i}`, `bench-o${i >> 1}`, strategy(i), i % 3 ? 'BTCUSDT' : 'ETHUSDT', sell ? 'sell' : 'buy', price.toFixed(2), '0.01', '0.05',
        new Date(START + i * step).toISOString(), '{"spread": 0.5, "volume_24h": 1000, "volatility": 0.01}', perf, pnl,
        sell ? (Number(pnl) / 6.5).toFixed(4) : '\\N', '0.001'].join('\t');
    }
  });
  log(`seeded ${EVENTS} execution events with COPY in ${Date.now() - t0} ms (${Math.round(EVENTS / ((Date.now() - t0) / 1000))} rows/s)`);
  t0 = Date.now();
  await client.query('VACUUM (ANALYZE) execution_events'); // what autovacuum does after a bulk load: statistics + visibility map
  await client.query('VACUUM (ANALYZE) model_quality_metrics');
  await client.query('ANALYZE model_versions');
  await client.query(`CREATE TABLE bench_seed_info (info text)`);
  await client.query(`INSERT INTO bench_seed_info VALUES ($1)`, [JSON.stringify({ EVENTS, MODELS, STRATEGIES, DAYS, END })]);
  log(`vacuum/analyze in ${Date.now() - t0} ms`);
  await client.end();
}

/** EXPLAIN (ANALYZE, BUFFERS) of exactly the statements the repositories issue (captured from the query runner). */
async function explainRepositoryQueries(ds: DataSource, name: string, run: () => Promise<unknown>): Promise<string[]> {
  const runner = ds.createQueryRunner();
  const proto = Object.getPrototypeOf(runner) as { query: (q: string, p?: unknown[]) => Promise<unknown> };
  await runner.release();
  const original = proto.query;
  const captured: Array<{ q: string; p?: unknown[] }> = [];
  proto.query = function (this: unknown, q: string, p?: unknown[], ...rest: unknown[]) {
    if (/^\s*(SELECT|SET LOCAL)/i.test(q)) captured.push({ q, p });
    return (original as (...a: unknown[]) => Promise<unknown>).call(this, q, p, ...rest);
  };
  try {
    await run();
  } finally {
    proto.query = original;
  }
  // Each SELECT is explained with the session settings (SET LOCAL ...) the repository used for it.
  const settings = captured.filter((c) => /^\s*SET LOCAL/i.test(c.q)).map((c) => c.q);
  const plans: string[] = [];
  for (const { q, p } of captured.filter((c) => /^\s*SELECT/i.test(c.q))) {
    const rows = await ds.transaction(async (m) => {
      for (const set of settings) await m.query(set);
      return (await m.query(`EXPLAIN (ANALYZE, BUFFERS) ${q}`, p)) as Array<{ 'QUERY PLAN': string }>;
    });
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    plans.push(plan);
    log(`\n--- EXPLAIN ${name}${settings.length ? ` (${settings.join('; ')})` : ''}\n${q.replace(/\s+/g, ' ').trim()}\n${plan}`);
  }
  return plans;
}

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
}

/** Closed-loop load: `clients` keep-alive clients request `path(i)` back to back for `seconds`. */
async function load(path: (i: number) => string, seconds: number, clients: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const latencies: number[] = [];
  let n = 0;
  const once = (p: string) =>
    new Promise<number>((resolve, reject) => {
      const started = process.hrtime.bigint();
      const req = request({ host: '127.0.0.1', port: PORT, path: p, agent, headers: { 'X-API-Key': API_KEY } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`${p}: HTTP ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  for (let i = 0; i < 50; i++) await once(path(i)); // warm-up: JIT, pools, caches
  const deadline = Date.now() + seconds * 1000;
  const began = Date.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < deadline) latencies.push(await once(path(n++)));
    }),
  );
  const elapsed = (Date.now() - began) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  const r2 = (x: number) => Math.round(x * 100) / 100;
  return { requests: latencies.length, rps: Math.round(latencies.length / elapsed), p50: r2(pct(0.5)), p99: r2(pct(0.99)), max: r2(latencies[latencies.length - 1]!) };
}

/** Peak resident memory (VmHWM) of a process in MB; NaN when it cannot be read. */
function peakRssMbOf(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmHWM:\s*(\d+)\s*kB/.exec(status)?.[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function main(): Promise<void> {
  log(`bench:api — ${EVENTS} execution events over ${DAYS} days in ${STRATEGIES} strategies, ${MODELS} model versions; ` +
    `${CONCURRENCY} concurrent clients, ${SECONDS} s per endpoint; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const reuse = !FRESH && (await alreadySeeded());
  if (!reuse) {
    await admin(`DROP DATABASE IF EXISTS "${benchDb}" WITH (FORCE)`);
    await admin(`CREATE DATABASE "${benchDb}"`);
  }
  const ds = createDataSource({ url: benchUrl, poolSize: 2, applicationName: 'bench-api' });
  await ds.initialize();
  let app: ReturnType<typeof spawnApp> | undefined;
  try {
    await ds.runMigrations({ transaction: 'each' }); // a reused database gets migrations added since it was seeded
    if (!reuse) await seed();
    else log(`reusing the seeded database ${benchDb}`);

    const listPlans = await explainRepositoryQueries(ds, 'list (GET /api/v1/models?limit=100)', () => new ModelVersionRepository(ds).list({}, 100, 0));
    const tsPlans = await explainRepositoryQueries(ds, 'time series (GET /api/v1/strategies/{id}/performance/time-series, a week hourly)', () =>
      new OperationsReadRepository(ds).performanceBuckets(strategy(0), { granularity: 'hour', ...WEEK }));
    const tsIndexed = tsPlans.every((p) => /Index (Only )?Scan|Bitmap Index Scan/.test(p));
    log(`\ntime-series plan uses an index: ${tsIndexed}; list plans: ${listPlans.length} statements`);

    app = spawnApp('api-gateway', {
      DATABASE_URL: benchUrl,
      MODEL_SERVICE_PORT: String(PORT),
      MODEL_SERVICE_API_KEY: API_KEY,
      MODEL_SERVICE_API_RATE_LIMIT: '0',
      MODEL_SERVICE_API_CLIENT_RATE_LIMIT: '0',
      MODEL_SERVICE_LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    });
    const ready = await waitForHttp(`http://127.0.0.1:${PORT}/health`, (s) => s === 200, 60_000);
    if (ready.status !== 200) throw new Error(`api-gateway did not become healthy: ${app.output().slice(-2000)}`);

    const week = `start_time=${WEEK.start.toISOString()}&end_time=${WEEK.end.toISOString()}`;
    // Latency: one client at a time (what an operator sees). Throughput: CONCURRENCY clients back to back.
    const endpoints: Array<[string, (i: number) => string]> = [
      ['list        GET /api/v1/models?limit=100', () => '/api/v1/models?limit=100'],
      ['time series GET /api/v1/strategies/{id}/performance/time-series (a week, hourly)',
        (i) => `/api/v1/strategies/${strategy(i)}/performance/time-series?granularity=hour&${week}`],
      ['time series GET /api/v1/models/{version}/metrics/time-series (a week, hourly, 3 metrics)',
        (i) => `/api/v1/models/bench-v${String(MODELS - 1 - (i % STRATEGIES)).padStart(3, '0')}/metrics/time-series?granularity=hour&${week}`],
    ];
    const results: Array<{ latency: LoadResult; throughput: LoadResult }> = [];
    for (const [label, path] of endpoints) {
      const latency = await load(path, SECONDS, 1);
      const throughput = await load(path, SECONDS, CONCURRENCY);
      results.push({ latency, throughput });
      log(`${label}: 1 client: p50 ${latency.p50} ms, p99 ${latency.p99} ms, max ${latency.max} ms, ${latency.rps} req/s | ` +
        `${CONCURRENCY} clients: ${throughput.rps} req/s, p50 ${throughput.p50} ms, p99 ${throughput.p99} ms`);
    }
    const [list, ts] = [results[0]!, results[1]!];
    const appPeakRssMb = Math.round(peakRssMbOf(app.child.pid));
    log(`targets: list p99 < 50 ms ${list.latency.p99 < 50 ? 'met' : 'MISSED'}; time series p99 < 200 ms ${ts.latency.p99 < 200 ? 'met' : 'MISSED'}; ` +
      `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    log(JSON.stringify({
      list_p99_ms: list.latency.p99,
      timeseries_p99_ms: ts.latency.p99,
      list_rps: list.throughput.rps,
      timeseries_rps: ts.throughput.rps,
      app_peak_rss_mb: appPeakRssMb,
      events: EVENTS,
    }));
  } finally {
    await app?.stop();
    await ds.destroy();
    if (!KEEP) await admin(`DROP DATABASE IF EXISTS "${benchDb}" WITH (FORCE)`);
  }
}

const run = CURVE
  ? async (): Promise<void> => {
      const curve = runCostCurve(__filename, 'events', CURVE, ['list_p99_ms', 'timeseries_p99_ms', 'list_rps', 'timeseries_rps', 'app_peak_rss_mb']);
      log(JSON.stringify(curve));
    }
  : main;

run().catch((err: unknown) => {
  process.stderr.write(`bench:api failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
