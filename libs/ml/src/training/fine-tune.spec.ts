import { initTensorflow } from '../backend/tensorflow-backend';
import { modelToArtifacts } from '../model/model-artifacts';
import { makeSyntheticDataset, syntheticTrainingJob } from '../testing';
import { trainModel } from './train-model';
import { TrainingError } from './training-errors';
import type { TrainModelOptions } from './training-types';

jest.setTimeout(60_000);

function job(overrides: Partial<TrainModelOptions> = {}): TrainModelOptions {
  const ds = makeSyntheticDataset({ n: 3000, nFeatures: 8, flipProbability: 0.1, seed: 21 });
  return syntheticTrainingJob(ds, { validationFrom: 2400, modelType: 'logistic', epochs: 8, batchSize: 128, learningRate: 0.05, patience: 8, ...overrides });
}

beforeAll(async () => {
  await initTensorflow();
});

describe('trainModel with initialModel (online fine-tuning)', () => {
  it('continues from the given weights instead of starting over', async () => {
    const parent = await trainModel(job());
    const parentLoss = Math.min(...parent.history.map((h) => h.val_loss));
    const artifacts = await modelToArtifacts(parent.model);
    parent.model.dispose();

    // One epoch at a negligible learning rate: a continued model keeps the parent's quality, a fresh one cannot.
    const tiny = { epochs: 1, learningRate: 1e-7, patience: 1 };
    const continued = await trainModel(job({ ...tiny, initialModel: artifacts }));
    const fresh = await trainModel(job(tiny));
    expect(continued.history[0].val_loss).toBeCloseTo(parentLoss, 3);
    expect(fresh.history[0].val_loss).toBeGreaterThan(parentLoss + 0.05);
    continued.model.dispose();
    fresh.model.dispose();
  });

  it('refuses an initial model built for another number of features', async () => {
    const parent = await trainModel(job({ epochs: 1 }));
    const artifacts = await modelToArtifacts(parent.model);
    parent.model.dispose();
    const ds = makeSyntheticDataset({ n: 500, nFeatures: 5, seed: 2 });
    const err = await trainModel({ ...job(), X: ds.X, y: ds.y, n: 500, nFeatures: 5, validationFrom: 400, initialModel: artifacts }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).reason).toBe('invalid_input');
    expect((err as TrainingError).message).toContain('expects 8 features, the data has 5');
  });
});
