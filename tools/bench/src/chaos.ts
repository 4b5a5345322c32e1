/**
 * npm run bench:chaos [-- --scale 1] [--outage-seconds 60] [--scenarios poison,db,connection,kill[,broker]]
 *                     [--warmup-seconds 20] [--database-url postgres://…/model_service_chaos]
 *
 * Starts the real apps (exchange simulator as their neighbours; trainer, exit-strategy and signal-generator
 * behind TCP proxies the suite controls) on a database and queue prefix of their own, under the simulator's
 * steady flow, runs the scenarios one after another, prints a table and, last, one JSON object of figures.
 * `--scale` multiplies the 10,000 poison messages per queue; `broker` (rabbitmqctl close_all_connections,
 * stop_app/start_app under `flock -x /tmp/machine.lock`) disturbs everyone on the machine: opt-in only.
 */
import 'reflect-metadata';

import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { sleep } from '@model-service/util';

import { migrate, recreateDatabase } from '@model-service/demo';
import { TEST_RABBITMQ_URL } from '@model-service/messaging/testing';
import { brokerRestart, connectionClose, databaseCut, killEach, poison, ScenarioResult, settle } from './chaos/scenarios';
import { ChaosStack } from './chaos/stack';

const ROOT = resolve(__dirname, '../../..');
const SCENARIOS = ['poison', 'db', 'connection', 'kill', 'broker'] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      'outage-seconds': { type: 'string', default: '60' },
      scenarios: { type: 'string', default: 'poison,db,connection,kill' },
      'warmup-seconds': { type: 'string', default: '20' },
      'database-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/model_service_chaos' },
    },
  });
  const scale = Number(values.scale);
  const outageSeconds = Number(values['outage-seconds']);
  const warmup = Number(values['warmup-seconds']);
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
  if (!(outageSeconds >= 1)) throw new Error('--outage-seconds must be >= 1');
  const chosen = values.scenarios.split(',').map((s) => s.trim());
  for (const s of chosen) if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario ${s}; known: ${SCENARIOS.join(', ')}`);

  // The suite's own database (dropped and re-created at each run).
  const databaseUrl = values['database-url'];
  const rabbitUrl = TEST_RABBITMQ_URL;
  await recreateDatabase(databaseUrl);
  await migrate(databaseUrl);
  const prefix = `chaos.${randomBytes(3).toString('hex')}.`;
  const t0 = Date.now();
  const stack = await ChaosStack.start(ROOT, databaseUrl, rabbitUrl, prefix);
  const results: ScenarioResult[] = [];
  try {
    console.log(`apps up in ${Math.round((Date.now() - t0) / 1000)} s (prefix ${prefix}, logs ${stack.logs}); ${warmup} s of steady flow`);
    await sleep(warmup * 1000);
    await settle(stack, 30_000);
    for (const s of chosen) {
      const started = Date.now();
      const result =
        s === 'poison'
          ? await poison(stack, Math.round(10_000 * scale))
          : s === 'db'
            ? await databaseCut(stack, outageSeconds * 1000)
            : s === 'connection'
              ? await connectionClose(stack)
              : s === 'kill'
                ? await killEach(stack)
                : await brokerRestart(stack);
      console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} (${Math.round((Date.now() - started) / 1000)} s): ${result.detail}`);
      results.push(result);
      const crashed = stack.checkCrashes();
      stack.crashes += crashed.length;
      if (crashed.length) console.log(`crashed: ${crashed.join(', ')}`);
      await sleep(5_000);
    }
  } finally {
    const left = await stack.stop();
    if (left.length) console.log(`WARNING: processes left: ${left.join(', ')}`);
  }
  console.table(results.map((r) => ({ scenario: r.name, ok: r.ok, detail: r.detail })));
  const figures: Record<string, unknown> = { scale, outage_seconds: outageSeconds, crashes: stack.crashes };
  for (const r of results) Object.assign(figures, Object.fromEntries(Object.entries(r.figures).map(([k, v]) => [`${r.name}.${k}`, v])));
  console.log(JSON.stringify(figures));
  return results.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
