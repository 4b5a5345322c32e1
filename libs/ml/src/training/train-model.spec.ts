import { seededRandom } from '@model-service/util';
import { initTensorflow } from '../backend/tensorflow-backend';
import { evaluate } from '../evaluation/evaluate';
import { predictProbabilities } from '../model/predict-probabilities';
import { passesPromotionRule } from '../promotion/promotion-rule';
import { makeSyntheticDataset, ruleAccuracy, syntheticTrainingJob } from '../testing';
import { trainModel } from './train-model';
import { expectCancelledWithinASecond } from './cancel-expectation.testing';
import { TrainingCancelledError, TrainingError } from './training-errors';
import type { TrainModelOptions } from './training-types';

jest.setTimeout(60_000);

function job(n: number, nFeatures: number, overrides: Partial<TrainModelOptions> = {}): TrainModelOptions {
  return syntheticTrainingJob(makeSyntheticDataset({ n, nFeatures, flipProbability: 0.1, seed: 3 }), overrides);
}

beforeAll(async () => {
  await initTensorflow();
});

describe('trainModel on a planted rule (label = w·x > 0, 10% of labels flipped: best accuracy 0.90)', () => {
  it('the MLP reaches within 3 points of the best achievable accuracy on the most recent 20%', async () => {
    const ds = makeSyntheticDataset({ n: 15_000, nFeatures: 16, flipProbability: 0.1, seed: 11 });
    const validationFrom = 12_000;
    const progress: number[] = [];
    const options = syntheticTrainingJob(ds, { validationFrom, epochs: 12, onProgress: (p) => progress.push(p.epoch) });
    const trained = await trainModel(options);
    const report = evaluate(trained.model, options.X, ds.y, ds.returns, validationFrom, ds.n);
    trained.model.dispose();
    const ceiling = ruleAccuracy(ds, validationFrom, ds.n);
    process.stdout.write(`planted-rule MLP: validation accuracy ${report.classification.accuracy} (the rule itself: ${ceiling} on the same rows)\n`);
    expect(report.classification.accuracy).toBeGreaterThanOrEqual(ceiling - 0.02);
    expect(report.classification.roc_auc).toBeGreaterThan(0.85);
    expect(progress).toEqual(trained.history.map((h) => h.epoch));
    expect(passesPromotionRule({ candidate: report.classification, baseline: report.baseline, threshold: 0.75, minValidationRows: 200 }).promote).toBe(true);
  });

  it('logistic regression learns the linear rule too', async () => {
    const options = job(6_000, 8, { modelType: 'logistic', epochs: 8, learningRate: 0.05 });
    const trained = await trainModel(options);
    const report = evaluate(trained.model, options.X, options.y, options.y, options.validationFrom, options.n);
    trained.model.dispose();
    expect(report.classification.accuracy).toBeGreaterThanOrEqual(0.86);
  });

  it('on pure-noise labels accuracy stays near 0.5 and the model is not promoted', async () => {
    const ds = makeSyntheticDataset({ n: 8_000, nFeatures: 16, pureNoise: true, seed: 5 });
    const validationFrom = 6_400;
    const options = syntheticTrainingJob(ds, { validationFrom, epochs: 8 });
    const trained = await trainModel(options);
    const report = evaluate(trained.model, options.X, ds.y, ds.returns, validationFrom, ds.n);
    trained.model.dispose();
    expect(Math.abs(report.classification.accuracy - 0.5)).toBeLessThan(0.05);
    const decision = passesPromotionRule({ candidate: report.classification, baseline: report.baseline, threshold: 0.75, minValidationRows: 200 });
    expect(decision.promote).toBe(false);
    expect(decision.reasons.join('\n')).toContain('lower bound below threshold');
  });
});

describe('class weighting', () => {
  it("'balanced' finds far more of a rare profitable class than no weighting", async () => {
    // 10% positives, label noise: an unweighted model leans towards always predicting the majority.
    const ds = makeSyntheticDataset({ n: 6_000, nFeatures: 4, scale: 1, offset: 0, seed: 8 });
    const noise = seededRandom(99);
    const y = new Float32Array(ds.n).map((_, i) => (ds.X[i * 4] + 0.8 * ds.X[i * 4 + 1] + 3 * (noise() - 0.5) > 1.8 ? 1 : 0));
    const recall = async (classWeight: 'balanced' | null): Promise<number> => {
      const trained = await trainModel({ ...job(10, 2), X: ds.X, y, n: ds.n, nFeatures: 4, validationFrom: 4_800, modelType: 'logistic', epochs: 5, learningRate: 0.05, classWeight });
      const report = evaluate(trained.model, ds.X, y, ds.returns, 4_800, ds.n);
      trained.model.dispose();
      return report.classification.recall;
    };
    const balanced = await recall('balanced');
    const unweighted = await recall(null);
    expect(balanced).toBeGreaterThan(0.7);
    expect(balanced).toBeGreaterThan(unweighted + 0.2);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without a better val_loss and keeps the best epoch weights', async () => {
    const ds = makeSyntheticDataset({ n: 3_000, nFeatures: 8, pureNoise: true, seed: 9 });
    const options = syntheticTrainingJob(ds, { validationFrom: 2_000, epochs: 60, patience: 2, batchSize: 64, learningRate: 0.02 });
    const trained = await trainModel(options);
    const losses = trained.history.map((h) => h.val_loss);
    const bestIndex = losses.indexOf(Math.min(...losses));
    expect(trained.stoppedEarly).toBe(true);
    expect(trained.bestEpoch).toBe(bestIndex + 1);
    expect(trained.epochsRun).toBe(trained.bestEpoch + 2);
    // The returned weights are the best epoch's: their validation loss is that epoch's, not the last one's.
    const prob = predictProbabilities(trained.model, options.X, 8, 2_000, 3_000);
    let loss = 0;
    prob.forEach((p, i) => {
      const label = ds.y[2_000 + i];
      loss -= (label * Math.log(p) + (1 - label) * Math.log(1 - p)) / prob.length;
    });
    trained.model.dispose();
    expect(loss).toBeCloseTo(losses[bestIndex], 4);
    expect(loss).toBeLessThan(losses[losses.length - 1]);
  });
});

describe('failures', () => {
  it.each([
    ['NaN feature', 'invalid_input', (o: TrainModelOptions) => (o.X[17] = NaN), /non-finite feature value NaN at row 2, feature 1/],
    ['Infinity feature', 'invalid_input', (o: TrainModelOptions) => (o.X[0] = Infinity), /row 0, feature 0/],
    ['label 2', 'invalid_input', (o: TrainModelOptions) => (o.y[5] = 2), /label at row 5 is 2/],
    ['no validation rows', 'empty_split', (o: TrainModelOptions) => (o.validationFrom = o.n), /validationFrom/],
    ['no training rows', 'empty_split', (o: TrainModelOptions) => (o.validationFrom = 0), /validationFrom/],
    ['X of the wrong size', 'invalid_input', (o: TrainModelOptions) => (o.nFeatures = 9), /n \* nFeatures/],
    ['zero learning rate', 'invalid_input', (o: TrainModelOptions) => (o.learningRate = 0), /learningRate/],
  ])('%s -> TrainingError(%s)', async (_name, reason, mutate, message) => {
    const options = job(200, 8);
    mutate(options);
    const error = await trainModel(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).reason).toBe(reason);
    expect((error as TrainingError).message).toMatch(message);
  });

  it.each(['logistic', 'mlp'] as const)('a diverging %s run fails with TrainingError(nan_loss)', async (modelType) => {
    const error = await trainModel(job(1_000, 8, { modelType, learningRate: 1e25 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as TrainingError).reason).toBe('nan_loss');
    expect((error as TrainingError).message).toMatch(/loss (NaN|Infinity|-Infinity) at epoch 1/);
  });

  it('an aborted signal cancels a run in the same thread within a second', async () => {
    await expectCancelledWithinASecond((cancel) => trainModel({ ...job(4_000, 16, { epochs: 500, batchSize: 32 }), ...cancel }));
  });

  it('sees an abort from a timer while training (yields to the event loop)', async () => {
    const controller = new AbortController();
    const options = job(4_000, 16, { epochs: 500, batchSize: 32 });
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = Date.now();
      controller.abort();
    }, 300);
    await expect(trainModel({ ...options, signal: controller.signal })).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(abortedAt).toBeGreaterThan(0);
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
  });
});
