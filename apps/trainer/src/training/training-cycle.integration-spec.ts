import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

import { FEATURE_SET_VERSION } from '@model-service/features';
import { loadPredictor } from '@model-service/ml/inference';
import { ModelVersionRepository } from '@model-service/repositories';
import { ModelVersionEntity, QualityMetricEntity } from '@model-service/repositories/testing';

import { ModelRegistry } from '../models/model-registry.service';
import { TrainerWorld } from '../testing/trainer-harness.testing';
import { seedHistory, syntheticHistory } from '../testing/synthetic-history.testing';
import { TrainingOrchestrator } from './training-orchestrator';

const HOUR = 3_600_000;

describe('trainer: train → evaluate → version → activate', () => {
  let world: TrainerWorld;
  let listener: Awaited<ReturnType<TrainerWorld['listenToModelEvents']>>;

  beforeAll(async () => {
    world = await TrainerWorld.create();
    await world.start();
    listener = await world.listenToModelEvents();
  });

  afterAll(async () => {
    await listener?.close();
    await world?.destroy();
  });

  const versionsOf = (strategyId: string): Promise<ModelVersionEntity[]> =>
    world.db.dataSource.getRepository(ModelVersionEntity).find({ where: { strategyId }, order: { createdAt: 'ASC' } });

  async function train(strategyId: string): Promise<void> {
    const orchestrator = world.get(TrainingOrchestrator);
    await orchestrator.trigger({ strategyId, trigger: 'manual', mode: 'full', reason: 'test' });
    await orchestrator.idle(strategyId);
  }

  it('trains on a learnable history, stores files + version + metrics, activates it and announces it', async () => {
    const strategyId = 'cycle_good';
    await seedHistory(world.db.dataSource, syntheticHistory({ strategyId, n: 601, startMs: Date.now() - 700 * 60_000, seed: 11 }));
    await train(strategyId);

    const [run] = await world.runs(strategyId);
    expect({ status: run.status, error: run.error }).toEqual({ status: 'succeeded', error: null });
    expect(run.datasetSize).toBe(600);
    expect(run.startedAt).not.toBeNull();
    expect(run.finishedAt!.getTime()).toBeGreaterThanOrEqual(run.startedAt!.getTime());
    expect(run.progress).toMatchObject({ phase: 'done', epochs: 25 });
    expect((run.progress as { phase_seconds: Record<string, number> }).phase_seconds).toHaveProperty('training');

    const [version] = await versionsOf(strategyId);
    expect(version).toMatchObject({ version: run.modelVersion, isActive: true, status: 'active', trainingDatasetSize: 600, featureSetVersion: FEATURE_SET_VERSION });
    expect(version.trainingDurationSeconds).toBeGreaterThan(0);
    expect(version.trainingConfig).toMatchObject({ mode: 'full', trigger: 'manual', modelType: 'logistic', epochs: 25, data_end: expect.any(String) });
    expect(version.metrics['accuracy']).toBeGreaterThanOrEqual(0.8);
    expect(version.metrics['accuracy']).toBeGreaterThan(version.metrics['baseline_accuracy'] as number);

    const dir = path.join(world.storage, version.version);
    expect(version.filePath).toBe(dir);
    for (const file of ['model.json', 'weights.bin', 'feature-spec.json', 'normalization.json', 'metadata.json']) {
      expect(existsSync(path.join(dir, file))).toBe(true);
    }
    const predictor = await loadPredictor(dir, { feature_set_version: FEATURE_SET_VERSION });
    expect(predictor.version).toBe(version.version);
    predictor.dispose();

    const metrics = await world.db.dataSource.getRepository(QualityMetricEntity).find({ where: { modelVersionId: version.id } });
    const byType = (t: string): string[] => metrics.filter((m) => m.metricType === t).map((m) => m.metricName).sort();
    expect(byType('classification')).toEqual(['accuracy', 'balanced_accuracy', 'brier', 'f1_score', 'precision', 'recall', 'roc_auc']);
    expect(byType('trading_performance')).toEqual(expect.arrayContaining(['mean_return', 'sharpe_ratio', 'total_pnl', 'trades', 'win_rate']));
    expect(byType('baseline')).toEqual(expect.arrayContaining(['accuracy', 'f1_score', 'trades']));
    expect(metrics.every((m) => m.datasetSize === 120 && m.evaluatedAt instanceof Date)).toBe(true);

    await waitUntil(() => listener.events.some((e) => e.version === version.version));
    expect(listener.events.find((e) => e.version === version.version)).toMatchObject({ event_type: 'model_activated', strategy_id: strategyId, previous_version: null, checksum: version.checksum });

    const health = (await world.health())['training'] as Record<string, unknown>;
    expect(health['backend']).toMatch(/^(tensorflow|wasm|cpu)$/);
    expect(health['last_run']).toMatchObject({ strategyId, status: 'succeeded', version: version.version, promoted: true });
  });

  it('records a skip, not an error, when the dataset is below MODEL_TRAINING_MIN_DATASET_SIZE', async () => {
    const strategyId = 'cycle_small';
    await seedHistory(world.db.dataSource, syntheticHistory({ strategyId, n: 151, startMs: Date.now() - 10 * HOUR, seed: 3 }));
    await train(strategyId);
    const [run] = await world.runs(strategyId);
    expect(run).toMatchObject({ status: 'skipped', datasetSize: 150, modelVersion: null });
    expect(run.error).toContain('MODEL_TRAINING_MIN_DATASET_SIZE is 200');
    expect(await versionsOf(strategyId)).toEqual([]);
  });

  it('keeps a model trained on pure-noise labels as a candidate (not promoted, no event)', async () => {
    const strategyId = 'cycle_noise';
    await seedHistory(world.db.dataSource, syntheticHistory({ strategyId, n: 500, startMs: Date.now() - 10 * HOUR, pureNoise: true, seed: 5 }));
    await train(strategyId);
    const [version] = await versionsOf(strategyId);
    expect(version).toMatchObject({ status: 'candidate', isActive: false });
    expect(version.metrics['promoted']).toBe(false);
    expect(listener.events.some((e) => e.strategy_id === strategyId)).toBe(false);
  });

  describe('one strategy over several runs', () => {
    const strategyId = 'cycle_history';
    const versions = (): ModelVersionRepository => world.get(ModelVersionRepository);

    it('refuses to promote a model worse than the active one on the same held-out data', async () => {
      await seedHistory(world.db.dataSource, syntheticHistory({ strategyId, n: 500, startMs: Date.now() - 20 * HOUR, seed: 21 }));
      await train(strategyId);
      const good = (await versions().getActive(strategyId))!;
      expect(good).not.toBeNull();

      // An operator restarts the trainer with a crippled configuration: one epoch at a negligible learning rate.
      await world.start({ MODEL_TRAINING_EPOCHS: '1', MODEL_TRAINING_LEARNING_RATE: '0.0000001', MODEL_QUALITY_THRESHOLD_ACCURACY: '0' });
      await train(strategyId);
      const all = await versionsOf(strategyId);
      const weak = all[all.length - 1];
      expect(weak).toMatchObject({ status: 'candidate', isActive: false });
      expect(weak.metrics['active_version']).toBe(good.version);
      expect(weak.metrics['promotion_reasons']).toEqual(expect.arrayContaining([expect.stringMatching(/does not beat active/)]));
      expect((await versions().getActive(strategyId))!.version).toBe(good.version);
      await world.start();
    });

    it('rolls back to the previous good version (and to a named earlier version), announcing it', async () => {
      const first = (await versions().getActive(strategyId))!;
      // Same data, same seed: as good as the active one, which is not better → kept as a candidate; activated by hand.
      await train(strategyId);
      const registry = world.get(ModelRegistry);
      const candidate = (await versionsOf(strategyId)).pop()!;
      expect(candidate.status).toBe('candidate');
      await registry.activate(candidate.version, strategyId, { reasons: ['test: activated by hand'] });
      const second = (await versions().getActive(strategyId))!;
      expect(second.version).toBe(candidate.version);

      const back = await registry.rollback(strategyId, { reason: 'test' });
      expect(back.activated.version).toBe(first.version);
      expect(back.previous).toMatchObject({ version: second.version, status: 'rejected' });
      await waitUntil(() => listener.events.some((e) => e.event_type === 'model_rolled_back' && e.version === first.version));

      await train(strategyId);
      await registry.activate((await versionsOf(strategyId)).pop()!.version, strategyId, { reasons: ['test: activated by hand'] });
      const third = (await versions().getActive(strategyId))!;
      const named = await registry.rollback(strategyId, { toVersion: first.version, reason: 'operator' });
      expect(named.activated.version).toBe(first.version);
      expect(named.previous?.version).toBe(third.version);
      expect((await versions().getActive(strategyId))!.version).toBe(first.version);
    });

    it('cleanup keeps the newest N plus the active and the best, deleting files and archiving rows', async () => {
      const before = await versionsOf(strategyId);
      expect(before.length).toBeGreaterThanOrEqual(4);
      const active = (await versions().getActive(strategyId))!;
      const archived = await world.get(ModelRegistry).cleanup(strategyId, 1);
      const after = await versionsOf(strategyId);
      const newest = before[before.length - 1];
      const kept = after.filter((v) => v.status !== 'archived').map((v) => v.version);
      expect(kept).toEqual(expect.arrayContaining([newest.version, active.version]));
      expect(archived.length).toBeGreaterThan(0);
      for (const version of archived) {
        const row = after.find((v) => v.version === version)!;
        expect(row.status).toBe('archived');
        expect(row.archivedAt).not.toBeNull();
        expect(existsSync(row.filePath)).toBe(false);
      }
      for (const version of kept) expect(existsSync(path.join(world.storage, version))).toBe(true);
    });

    it('a run that cannot write its files fails with the reason, leaves the active model untouched and shows in /health', async () => {
      const active = (await versions().getActive(strategyId))!;
      const blocker = path.join(world.storage, 'not-a-directory');
      writeFileSync(blocker, 'x');
      await world.start({ MODEL_STORAGE_PATH: path.join(blocker, 'store') });
      await train(strategyId);
      const runs = await world.runs(strategyId);
      const last = runs[runs.length - 1];
      expect(last.status).toBe('failed');
      expect(last.error).toMatch(/ENOTDIR|not a directory/);
      expect((await versions().getActive(strategyId))!.version).toBe(active.version);
      const health = (await world.health())['training'] as Record<string, unknown>;
      expect(health['last_failure']).toMatchObject({ runId: last.id, status: 'failed', error: last.error });
      await world.start();
    });
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
