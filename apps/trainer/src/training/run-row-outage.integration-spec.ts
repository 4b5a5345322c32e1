import { TcpProxy } from '@model-service/util/testing';
import { sleep } from '@model-service/util';

import { seedHistory, syntheticHistory } from '../testing/synthetic-history.testing';
import { TrainerWorld } from '../testing/trainer-harness.testing';
import { TrainingOrchestrator } from './training-orchestrator';

const HOUR = 3_600_000;

/**
 * A run that ends while PostgreSQL is unreachable must not leave its training_runs row 'running': the final
 * write is retried in the background and lands once the database is back (the trainer reaches it through a
 * TCP proxy this spec cuts; the spec reads the row directly).
 */
describe('trainer: a run ending during a database outage', () => {
  let world: TrainerWorld;
  let pg: TcpProxy;

  beforeAll(async () => {
    world = await TrainerWorld.create();
    const dbUrl = new URL(world.db.url);
    pg = await TcpProxy.start({ targetHost: dbUrl.hostname, targetPort: Number(dbUrl.port || 5432) });
    // Many epochs and no early stop: the run is still training when it is cancelled.
    await world.start({ DATABASE_URL: pg.rewrite(world.db.url), MODEL_SERVICE_LOG_LEVEL: 'error', MODEL_TRAINING_EPOCHS: '400', MODEL_TRAINING_PATIENCE: '400' });
  }, 60_000);

  afterAll(async () => {
    pg?.restore();
    await world?.destroy();
    await pg?.close();
  });

  it('records the outcome once the database is back instead of leaving the row running', async () => {
    const strategyId = 'row_outage';
    await seedHistory(world.db.dataSource, syntheticHistory({ strategyId, n: 600, startMs: Date.now() - 12 * HOUR, seed: 21 }));
    const runId = await world.get(TrainingOrchestrator).trigger({ strategyId, trigger: 'manual', mode: 'full' });
    await world.waitForRuns(strategyId, (r) => r[0]?.status === 'running' && typeof r[0].progress?.['epoch'] === 'number', 30_000);
    pg.cut();
    pg.dropConnections();
    // The run ends while the database is away: its row cannot be written now.
    expect(await world.get(TrainingOrchestrator).cancel(strategyId, 'cancelled during the outage')).toBe(true);
    await world.get(TrainingOrchestrator).idle(strategyId);
    expect((await world.runs(strategyId))[0]).toMatchObject({ id: runId, status: 'running' });
    await sleep(1_500);
    pg.restore();
    const runs = await world.waitForRuns(strategyId, (r) => r[0]?.status !== 'running', 20_000);
    expect(runs[0]).toMatchObject({ id: runId, status: 'cancelled', error: 'cancelled during the outage' });
    expect(runs[0].finishedAt).toBeInstanceOf(Date);
  }, 90_000);
});
