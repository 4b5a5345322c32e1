/**
 * npm run demo [-- --duration <s>] [-- --candles file.csv] ...   (see --help)
 *
 * The whole loop on one machine: brings up PostgreSQL and RabbitMQ when they are not running (local
 * server binaries, else docker compose), migrates, starts exchange-simulator (market, order manager,
 * position manager), trainer, exit-strategy, signal-generator and api-gateway with demo settings, and
 * shows a live summary (signals by strategy and mode, executions, training runs, the active model and
 * its accuracy, exits by reason, PnL) until Ctrl-C or --duration. Every app runs in its own process
 * group; stopping drains the loop, stops the groups and checks with ps that nothing is left.
 *
 * Simulated time: the simulator's market runs --speed candles per second, so every timestamp it writes
 * (executions, positions, orders, market data) is simulated time, far ahead of the wall clock; signals
 * are stamped with wall time by their producers and are filled at the simulator's current price
 * whatever their timestamp says.
 */
import 'reflect-metadata';

import { CandleFileError, loadReplaySource, parseCandleFileSpecs } from '@model-service/candles';
import { freePort } from '@model-service/platform/testing';
import { redactUrl } from '@model-service/repositories';
import { QUEUES } from '@model-service/signals';
import { TcpProxy } from '@model-service/util/testing';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { DEMO_USAGE, DemoArgsError, parseDemoArgs } from './demo-args';
import { migrate, recreateDatabase } from './demo-database';
import { DatabaseOutage, DemoRunner } from './demo-runner';
import { DEMO_ACCURACY_THRESHOLD, DEMO_APPS, DEMO_MIN_VALIDATION_ROWS, DEMO_VALIDATION_FRACTION, DemoApp, STANDARD_PORTS } from './demo-settings';
import { ensureInfrastructure, InfrastructureError, purgeQueues } from './infrastructure';

const ROOT = resolve(__dirname, '../../..');
const DEMO_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/model_service_demo';
const DEFAULT_RABBITMQ_URL = 'amqp://guest:guest@127.0.0.1:5672';
const GENERATED_ASSETS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const args = parseDemoArgs(process.argv.slice(2));
  if (args.help) {
    say(DEMO_USAGE);
    return 0;
  }
  let assets = GENERATED_ASSETS;
  if (args.candles) {
    const specs = parseCandleFileSpecs(args.candles);
    const source = loadReplaySource(specs.map((s) => ({ ...s, path: resolve(s.path) })));
    assets = [...source.assets];
    args.candles = specs.map((s) => `${s.symbol}=${resolve(s.path)}`).join(',');
    say(`replaying ${source.remaining()} candles (${source.interval}) of ${assets.join(', ')}`);
  }

  const userDb = process.env['DATABASE_URL'];
  const infra = await ensureInfrastructure(userDb ?? DEMO_DATABASE_URL, process.env['RABBITMQ_URL'] ?? DEFAULT_RABBITMQ_URL, userDb === undefined, say);
  for (const s of infra.started) say(`started ${s} (left running)`);
  if (userDb === undefined && !args.keepData) await recreateDatabase(infra.databaseUrl);
  const applied = await migrate(infra.databaseUrl);
  say(`database ${redactUrl(infra.databaseUrl)}: ${applied.length} migration(s) applied`);
  say(
    `promotion gate lowered for a short demo: MODEL_PROMOTION_MIN_VALIDATION_ROWS ${DEMO_MIN_VALIDATION_ROWS} (production default 200), MODEL_QUALITY_THRESHOLD_ACCURACY ${DEMO_ACCURACY_THRESHOLD} on the 95 % lower bound (default 0.75), MODEL_TRAINING_VALIDATION_FRACTION ${DEMO_VALIDATION_FRACTION} (default 0.2); set any to override`,
  );
  // Messages an earlier run left in the loop's queues would be replayed into this one.
  const stale = await purgeQueues(infra.rabbitUrl, Object.values(QUEUES).map((q) => `${args.queuePrefix}${q}`));
  if (stale > 0) say(`dropped ${stale} message(s) an earlier run left in the queues`);

  const runDir = join(ROOT, 'tmp', 'demo', new Date().toISOString().replace(/[:.]/g, '-'));
  mkdirSync(join(runDir, 'models'), { recursive: true });
  const ports = {} as Record<DemoApp, number>;
  for (const app of DEMO_APPS) ports[app] = await freePort(STANDARD_PORTS[app]);

  // The outage drill: everything but the migrations above reaches PostgreSQL through a proxy the demo cuts.
  let proxy: TcpProxy | null = null;
  let outage: DatabaseOutage | null = null;
  if (args.cutDatabase) {
    const db = new URL(infra.databaseUrl);
    const p = await TcpProxy.start({ targetHost: db.hostname, targetPort: Number(db.port || 5432) });
    proxy = p;
    outage = { ...args.cutDatabase, cut: () => p.cut(), restore: () => p.restore() };
    say(`PostgreSQL through a proxy on :${p.port}, cut at ${args.cutDatabase.atSeconds} s for ${args.cutDatabase.forSeconds} s`);
  }

  const tty = process.stdout.isTTY === true;
  const runner = new DemoRunner(
    ROOT,
    args,
    {
      databaseUrl: proxy ? proxy.rewrite(infra.databaseUrl) : infra.databaseUrl,
      rabbitUrl: infra.rabbitUrl,
      ports,
      queuePrefix: args.queuePrefix,
      modelDir: join(runDir, 'models'),
      candles: args.candles,
      assets,
      speed: args.speed,
      apiKey: 'demo-key',
      initialBalanceUsdt: 100_000,
    },
    runDir,
    (text, redraw) => (tty && redraw ? process.stdout.write(`\x1b[2J\x1b[H${text}\n`) : say(redraw ? `\n${text}` : text)),
    outage,
  );
  const stop = () => runner.requestStop();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, stop);
  // Last resort (the demo itself failing): never leave an app behind.
  process.on('exit', () => {
    for (const pid of runner.pids()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  });

  const outcome = await runner.run();
  await proxy?.close();
  say('');
  if (!outcome.finalFromDatabase && outcome.snapshot) say('the database did not answer at the end: the stages below are from the last figures read');
  if (outcome.snapshot) say(`stages: ${outcome.stages.map((s) => `${s.name}: ${s.done ? `yes (${s.detail})` : s.pending ? `pending — ${s.pending}` : 'NO'}`).join('; ')}`);
  if (outcome.reason === 'app_exited' || outcome.reason === 'start_failed') say(outcome.message);
  say(
    outcome.leftoverPids.length === 0
      ? `all ${DEMO_APPS.length} apps stopped; no process left behind (checked with ps)`
      : `WARNING: processes still running: ${outcome.leftoverPids.join(', ')}`,
  );
  if (outcome.reason === 'duration' && outcome.exitCode !== 0) say('not every stage was shown within the duration');
  say(`logs and models: ${runDir}`);
  return outcome.exitCode;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const known = err instanceof InfrastructureError || err instanceof DemoArgsError || err instanceof CandleFileError;
    process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
    if (err instanceof DemoArgsError) process.stderr.write(`${DEMO_USAGE}\n`);
    process.exit(known ? 2 : 1);
  },
);
