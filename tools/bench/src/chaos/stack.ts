import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { QUEUES } from '@model-service/signals';
import { TcpProxy } from '@model-service/util/testing';
import { connect } from 'amqplib';
import { Client } from 'pg';

import { DemoApp, demoEnvironments, health, launchApp, RunningApp, stopApps, waitForHttp } from '@model-service/demo';
import { freePort } from '@model-service/platform/testing';

const run = promisify(execFile);

/** The apps whose faults the suite measures; the simulator (their neighbours) connects directly. */
export const OUR_APPS = ['trainer', 'exit-strategy', 'signal-generator'] as const;
export type OurApp = (typeof OUR_APPS)[number];

/**
 * The real apps on a database and queue prefix of their own, under the exchange simulator's steady flow of
 * market data, fills and position updates. Our apps reach PostgreSQL and RabbitMQ through TCP proxies the
 * suite controls, so cutting them disturbs nobody else on the machine.
 */
export class ChaosStack {
  readonly apps = new Map<DemoApp, RunningApp>();
  crashes = 0;
  private constructor(
    readonly root: string,
    readonly prefix: string,
    readonly databaseUrl: string,
    readonly rabbitUrl: string,
    readonly pg: TcpProxy,
    readonly amqp: TcpProxy,
    private readonly envs: Record<DemoApp, Record<string, string>>,
    private readonly logDir: string,
  ) {}

  static async start(root: string, databaseUrl: string, rabbitUrl: string, prefix: string): Promise<ChaosStack> {
    const pgUrl = new URL(databaseUrl);
    const mqUrl = new URL(rabbitUrl);
    const pg = await TcpProxy.start({ targetHost: pgUrl.hostname, targetPort: Number(pgUrl.port || 5432) });
    const amqp = await TcpProxy.start({ targetHost: mqUrl.hostname, targetPort: Number(mqUrl.port || 5672) });
    const ports = {} as Record<DemoApp, number>;
    for (const app of ['exchange-simulator', ...OUR_APPS, 'api-gateway'] as DemoApp[]) ports[app] = await freePort();
    const logDir = join(root, 'tmp', 'chaos', new Date().toISOString().replace(/[:.]/g, '-'));
    mkdirSync(join(logDir, 'models'), { recursive: true });
    const envs = demoEnvironments({
      databaseUrl,
      rabbitUrl,
      ports,
      queuePrefix: prefix,
      modelDir: join(logDir, 'models'),
      candles: null,
      assets: ['BTCUSDT', 'ETHUSDT'],
      speed: 2,
      apiKey: 'chaos-key',
      initialBalanceUsdt: 1_000_000,
    });
    for (const app of OUR_APPS) {
      envs[app] = { ...envs[app], DATABASE_URL: pg.rewrite(databaseUrl), RABBITMQ_URL: amqp.rewrite(rabbitUrl), RABBITMQ_CONSUMER_STALL_SECONDS: '20' };
    }
    // No training runs during the suite: they only cost CPU here.
    envs.trainer = { ...envs.trainer, MODEL_TRAINING_DATA_THRESHOLD: '1000000', MODEL_TRAINING_MIN_DATASET_SIZE: '1000000' };
    const stack = new ChaosStack(root, prefix, databaseUrl, rabbitUrl, pg, amqp, envs, logDir);
    for (const app of ['exchange-simulator', ...OUR_APPS] as DemoApp[]) await stack.launch(app);
    return stack;
  }

  async launch(app: DemoApp): Promise<number> {
    const started = Date.now();
    const running = launchApp(this.root, app, Number(this.envs[app]['MODEL_SERVICE_PORT']), this.envs[app], join(this.logDir, `${app}.log`));
    this.apps.set(app, running);
    if (!(await waitForHttp(running, 180_000))) throw new Error(`${app} did not start; see ${running.logFile}`);
    return Date.now() - started;
  }

  /** kill -9 of the app's process group; returns when it is gone. */
  async kill9(app: DemoApp): Promise<void> {
    const running = this.apps.get(app);
    if (!running) return;
    try {
      process.kill(-running.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
    await running.exited;
  }

  async status(app: DemoApp): Promise<number> {
    const running = this.apps.get(app);
    return running ? (await health(running)).httpStatus : 0;
  }

  /** Apps that exited without being told to (counted once each). */
  checkCrashes(): string[] {
    const dead = [...this.apps.values()].filter((a) => a.exit !== null).map((a) => a.name);
    return dead;
  }

  async stop(): Promise<number[]> {
    const left = await stopApps([...this.apps.values()].reverse());
    await this.pg.close();
    await this.amqp.close();
    await deleteByPrefix(this.rabbitUrl, this.prefix);
    return left;
  }

  get logs(): string {
    return this.logDir;
  }

  queue(name: string): string {
    return `${this.prefix}${name}`;
  }

  /** The queues our apps consume from the neighbours and from the API, with the prefix. */
  consumedQueues(): string[] {
    return [QUEUES.WS_TICKER, QUEUES.WS_ORDERBOOK, QUEUES.WS_KLINE, QUEUES.ORDER_EVENTS, QUEUES.POSITION_UPDATED, QUEUES.TRAINING_COMMANDS].map((q) =>
      this.queue(q),
    );
  }
}

/** Ready messages per queue (missing queues: 0). */
export async function depths(url: string, queues: readonly string[]): Promise<Record<string, number>> {
  const conn = await connect(url);
  conn.on('error', () => undefined);
  const out: Record<string, number> = {};
  try {
    for (const q of queues) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      out[q] = await ch.checkQueue(q).then((r) => r.messageCount, () => 0);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
  return out;
}

/** Publishes raw bodies with confirms, in windows of 500. */
export async function publishBodies(url: string, queue: string, bodies: Iterable<Buffer>): Promise<number> {
  const conn = await connect(url);
  conn.on('error', () => undefined);
  let n = 0;
  try {
    const ch = await conn.createConfirmChannel();
    for (const body of bodies) {
      ch.sendToQueue(queue, body, { persistent: true });
      if (++n % 500 === 0) await ch.waitForConfirms();
    }
    await ch.waitForConfirms();
    await ch.close();
  } finally {
    await conn.close().catch(() => undefined);
  }
  return n;
}

export interface LossFigures {
  /** Filled orders whose execution event is not in execution_events. */
  executionsNotStored: number;
  /** Signals the order manager received (orders.signal_id) with no trading_signals row. */
  signalRecordsMissing: number;
  /** Signals the order manager received more than once. */
  signalsSeenTwice: number;
  pendingOrders: number;
}

/** Runs `fn` on a short-lived connection to the suite's database (closed whatever happens). */
async function withDatabase<T>(databaseUrl: string, fn: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  db.on('error', () => undefined);
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end().catch(() => undefined);
  }
}

export function lossFigures(databaseUrl: string): Promise<LossFigures> {
  return withDatabase(databaseUrl, async (db) => {
    const { rows } = await db.query(`
      SELECT
        (SELECT count(*) FROM orders o WHERE o.status = 'filled' AND NOT EXISTS (SELECT 1 FROM execution_events e WHERE e.order_id = o.order_id)) AS executions_not_stored,
        (SELECT count(*) FROM orders o WHERE o.signal_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM trading_signals s WHERE s.signal_id = o.signal_id)) AS records_missing,
        (SELECT count(*) FROM (SELECT signal_id FROM orders WHERE signal_id IS NOT NULL GROUP BY signal_id HAVING count(*) > 1) d) AS seen_twice,
        (SELECT count(*) FROM orders WHERE status IN ('pending', 'partially_filled')) AS pending`);
    const r = rows[0] as Record<string, string>;
    return {
      executionsNotStored: Number(r['executions_not_stored']),
      signalRecordsMissing: Number(r['records_missing']),
      signalsSeenTwice: Number(r['seen_twice']),
      pendingOrders: Number(r['pending']),
    };
  });
}

/** A trailing stop as exit-strategy persisted it (position_states). */
export interface ArmedTrailingStop {
  key: string;
  entryTime: string;
  peak: number;
}

/** Every persisted position state: its key, entry, peak and whether its trailing stop is armed. */
function positionStates(databaseUrl: string): Promise<Array<ArmedTrailingStop & { armed: boolean }>> {
  return withDatabase(databaseUrl, async (db) => {
    const { rows } = await db.query(`SELECT position_key, entry_time, peak_price, trailing_armed FROM position_states`);
    return (rows as Array<{ position_key: string; entry_time: Date; peak_price: string; trailing_armed: boolean }>).map((r) => ({
      key: r.position_key,
      entryTime: r.entry_time.toISOString(),
      peak: Number(r.peak_price),
      armed: r.trailing_armed,
    }));
  });
}

export async function armedTrailingStops(databaseUrl: string): Promise<ArmedTrailingStop[]> {
  return (await positionStates(databaseUrl)).filter((s) => s.armed).map(({ key, entryTime, peak }) => ({ key, entryTime, peak }));
}

/**
 * Armed trailing stops of `before` that came back disarmed or with a lower peak, among the positions still
 * open with the same entry (a closed or re-entered position legitimately starts over).
 */
export async function trailingStopsLost(databaseUrl: string, before: ArmedTrailingStop[]): Promise<{ checked: number; lost: number }> {
  const now = new Map((await positionStates(databaseUrl)).map((s) => [s.key, s]));
  let checked = 0;
  let lost = 0;
  for (const b of before) {
    const state = now.get(b.key);
    if (!state || state.entryTime !== b.entryTime) continue;
    checked++;
    if (!state.armed || state.peak < b.peak) lost++;
  }
  return { checked, lost };
}

/** rabbitmqctl under the machine lock (the broker scenario disturbs everyone on it). */
export async function rabbitmqctl(...args: string[]): Promise<void> {
  await run('flock', ['-x', '/tmp/machine.lock', 'rabbitmqctl', ...args], { timeout: 120_000 });
}

/** Deletes every queue and exchange whose name starts with the suite's prefix (listed with rabbitmqctl, read-only). */
async function deleteByPrefix(url: string, prefix: string): Promise<void> {
  const names = async (what: string): Promise<string[]> => {
    const { stdout } = await run('rabbitmqctl', [what, 'name', '-q', '--no-table-headers'], { timeout: 60_000 }).catch(() => ({ stdout: '' }));
    return stdout.split('\n').map((l) => l.trim()).filter((n) => n.startsWith(prefix));
  };
  const queues = await names('list_queues');
  const exchanges = await names('list_exchanges');
  const conn = await connect(url);
  conn.on('error', () => undefined);
  try {
    for (const q of queues) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.deleteQueue(q).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
    for (const e of exchanges) {
      const ch = await conn.createChannel();
      ch.on('error', () => undefined);
      await ch.deleteExchange(e).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}
