import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { FEATURE_NAMES } from '@model-service/features';
import { ModelVersionRepository } from '@model-service/repositories';

import { TrainerWorld } from '../testing/trainer-harness.testing';
import { seedHistory, syntheticHistory } from '../testing/synthetic-history.testing';
import { TrainingOrchestrator } from '../training/training-orchestrator';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '../../../..');

describe('npm run dataset:export', () => {
  const world = TrainerWorld.perDescribe({ MODEL_TRAINING_EMBARGO_SECONDS: '300' });

  it('writes exactly the rows, labels, returns and split a training run uses', async () => {
    const strategyId = 'export_s';
    const history = syntheticHistory({ strategyId, n: 300, startMs: Date.now() - 10 * 3_600_000, seed: 31 });
    await seedHistory(world.db.dataSource, history);
    // Noise from another strategy that must not appear.
    await seedHistory(world.db.dataSource, syntheticHistory({ strategyId: 'other', n: 20, startMs: Date.now() - 3_600_000, seed: 32 }));
    const orchestrator = world.get(TrainingOrchestrator);
    await orchestrator.trigger({ strategyId, trigger: 'manual', mode: 'full' });
    await orchestrator.idle(strategyId);
    const version = (await world.get(ModelVersionRepository).list({ strategyId })).items[0];

    const out = path.join(world.storage, 'export.csv');
    const { stdout } = await run(
      process.execPath,
      ['-r', 'ts-node/register', '-r', 'tsconfig-paths/register', path.join(ROOT, 'tools/scripts/src/dataset-export.ts'), '--strategy', strategyId, '--out', out],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.tools.json'),
          TS_NODE_TRANSPILE_ONLY: 'true',
          DATABASE_SCHEMA: world.db.schema,
          MODEL_TRAINING_LABEL_HORIZON_SECONDS: '10',
          MODEL_TRAINING_EMBARGO_SECONDS: '300',
        },
      },
    );
    // The newest execution has no price after the label horizon yet: 299 labelled rows.
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toMatchObject({ rows: 299, strategy_id: strategyId });

    const [header, ...lines] = readFileSync(out, 'utf8').trim().split('\n');
    expect(header.split(',')).toEqual([...FEATURE_NAMES, 'label', 'return', 'signal_timestamp', 'split']);
    expect(lines).toHaveLength(version.trainingDatasetSize);
    const rows = lines.map((l) => l.split(','));
    const col = (name: string): string[] => rows.map((r) => r[header.split(',').indexOf(name)]);

    // Same labels as the planted outcomes, in signal-time order; returns marked to market at the next price,
    // in the side's direction, net of the 0.1 % entry fee and the 0.1 % exit fee.
    expect(col('label').map(Number)).toEqual(history.labels.slice(0, 299));
    const price = (i: number): number => history.signals[i].market_data_snapshot.price;
    col('return').forEach((r, i) => {
      const dir = history.signals[i].signal_type === 'buy' ? 1 : -1;
      expect(Number(r)).toBeCloseTo((dir * (price(i + 1) - price(i))) / price(i) - 0.001 - (0.001 * price(i + 1)) / price(i), 6);
    });
    expect(col('signal_timestamp')).toEqual(history.signals.slice(0, 299).map((s) => s.timestamp));

    // The split the run recorded: train, then a 5-minute embargo (MODEL_TRAINING_EMBARGO_SECONDS, not the horizon), then the most recent 20 % for validation.
    const split = version.trainingConfig['split'] as Record<string, number>;
    const counts = (name: string): number => col('split').filter((s) => s === name).length;
    expect({ train_rows: counts('train'), embargo_rows: counts('embargo'), validation_rows: counts('validation') }).toEqual(split);
    expect(split).toEqual({ train_rows: 234, embargo_rows: 5, validation_rows: 60 });
    expect(col('split').lastIndexOf('train')).toBeLessThan(col('split').indexOf('validation'));
  }, 60_000);
});
