import { randomUUID } from 'node:crypto';

import { AppProcess, freePort, spawnApp, waitForHttp } from '@model-service/platform/testing';
import { CommandClaimRepository } from '@model-service/repositories';
import { TrainingRunEntity } from '@model-service/repositories/testing';
import { exampleTrainingCommand } from '@model-service/signals/testing';
import { MoreThanOrEqual } from 'typeorm';

import { RABBIT_URL, TEST_ENV, TrainerWorld } from '../testing/trainer-harness.testing';
import { ClaimsJanitor, CLAIM_RETENTION_MS } from './claims-janitor';

/** Work that must happen once however often it is delivered and however many trainers run. */
describe('trainer once-only work', () => {
  const world = TrainerWorld.perDescribe();

  it('a train command delivered twice (same command_id) starts one run; another id starts another', async () => {
    // The queue exists before the trainer starts (as a neighbour would declare it), so publishing never races its declaration.
    await world.publish(world.topology.trainingCommands, []);
    await world.start();
    const strategyId = 'once_command';
    const command = exampleTrainingCommand({ command: 'train', strategy_id: strategyId, timestamp: new Date().toISOString(), command_id: randomUUID() });
    await world.publish(world.topology.trainingCommands, [command, command]);
    await world.waitForRuns(strategyId, (r) => r.length >= 1 && r.every((x) => x.finishedAt !== null));
    // The redelivery is behind the first in the same ordered queue: give it time to (not) act.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await world.runs(strategyId)).toHaveLength(1);

    await world.publish(world.topology.trainingCommands, [{ ...command, command_id: randomUUID() }]);
    const runs = await world.waitForRuns(strategyId, (r) => r.length === 2);
    expect(runs.map((r) => r.trigger)).toEqual(['manual', 'manual']);
    await world.stop();
  }, 60_000);

  it('claims older than the retention are pruned (at start and hourly), newer ones kept', async () => {
    await world.start();
    const claims = world.get(CommandClaimRepository);
    expect(await claims.claim('command:janitor-old', 'test')).toBe(true);
    expect(await claims.claim('command:janitor-new', 'test')).toBe(true);
    await world.db.dataSource.query(`UPDATE command_claims SET claimed_at = now() - make_interval(secs => $1) WHERE claim_key = 'command:janitor-old'`, [CLAIM_RETENTION_MS / 1000 + 60]);
    expect(await world.get(ClaimsJanitor).sweep()).toBe(1);
    const left = (await world.db.dataSource.query(`SELECT claim_key FROM command_claims WHERE claim_key LIKE 'command:janitor-%'`)) as Array<{ claim_key: string }>;
    expect(left.map((r) => r.claim_key)).toEqual(['command:janitor-new']);
    // A forgotten key can be claimed again; a kept one cannot.
    expect(await claims.claim('command:janitor-old', 'test')).toBe(true);
    expect(await claims.claim('command:janitor-new', 'test')).toBe(false);
    await world.stop();
  }, 30_000);

  describe('two real trainer processes', () => {
    const procs: AppProcess[] = [];
    afterAll(async () => {
      await Promise.all(procs.map((p) => p.stop()));
    });

    it('run each firing of the retraining schedule exactly once', async () => {
      const strategyId = 'once_schedule';
      const ports = [await freePort(), await freePort()];
      for (const [i, port] of ports.entries()) {
        procs.push(
          spawnApp('trainer', {
            ...TEST_ENV,
            DATABASE_URL: world.db.url,
            DATABASE_SCHEMA: world.db.schema,
            RABBITMQ_URL: RABBIT_URL,
            QUEUE_PREFIX: world.prefix,
            MODEL_STORAGE_PATH: world.storage,
            MODEL_SERVICE_PORT: String(port),
            MODEL_SERVICE_SERVICE_NAME: `trainer-once-${i}`,
            MODEL_SERVICE_LOG_LEVEL: 'info',
            LOG_FORMAT: 'json',
            MODEL_TRAINING_STRATEGIES: strategyId,
            MODEL_RETRAINING_SCHEDULE: '*/5 * * * * *',
          }),
        );
      }
      for (const [i, port] of ports.entries()) {
        const up = await waitForHttp(`http://127.0.0.1:${port}/health`, (s) => s === 200, 90_000);
        expect({ status: up.status, output: up.status === 200 ? '' : procs[i].output().slice(-3000) }).toEqual({ status: 200, output: '' });
      }
      // Both are armed from here on: every later firing must produce one run, not two.
      const bothUp = new Date();
      const firings = async (): Promise<string[]> =>
        ((await world.db.dataSource.query(`SELECT claim_key FROM command_claims WHERE claim_key LIKE 'schedule:%' AND claimed_at >= $1 ORDER BY 1`, [bothUp])) as Array<{ claim_key: string }>).map((r) => r.claim_key);
      const deadline = Date.now() + 40_000;
      while ((await firings()).length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
      const fired = await firings();
      expect(fired.length).toBeGreaterThanOrEqual(3);
      // Stopped, so no firing is half-done while counting.
      const output = () => procs.map((p) => p.output()).join('\n');
      await Promise.all(procs.map((p) => p.stop()));
      const claimed = await firings();
      const runs = await world.db.dataSource.getRepository(TrainingRunEntity).find({ where: { strategyId, trigger: 'schedule', queuedAt: MoreThanOrEqual(bothUp) } });
      const firstFiring = Date.parse(claimed[0].slice('schedule:'.length));
      expect(runs.filter((r) => r.queuedAt.getTime() >= firstFiring).length).toBe(claimed.length);
      expect(output()).toContain('scheduled retraining claimed by another replica');
    }, 150_000);
  });
});
