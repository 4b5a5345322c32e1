import { initTensorflow } from '../backend/tensorflow-backend';
import { evaluate } from '../evaluation/evaluate';
import { makeSyntheticDataset, ruleAccuracy, syntheticTrainingJob } from '../testing';
import { trainModel } from '../training/train-model';
import type { ModelType } from '../model/model-factory';
import { passesPromotionRule } from './promotion-rule';

jest.setTimeout(120_000);

beforeAll(async () => {
  await initTensorflow();
});

const MIN_VALIDATION_ROWS = 200;

/** Trains on the first 75 % of a synthetic dataset and runs the promotion gate on the last 25 %. */
async function trainAndJudge(seed: number, opts: { n: number; nFeatures: number; pureNoise?: boolean; threshold: number; modelType: ModelType; epochs: number; patience?: number }) {
  const ds = makeSyntheticDataset({ n: opts.n, nFeatures: opts.nFeatures, pureNoise: opts.pureNoise, flipProbability: 0.1, seed });
  const validationFrom = Math.floor(opts.n * 0.75);
  const options = syntheticTrainingJob(ds, { validationFrom, modelType: opts.modelType, epochs: opts.epochs, batchSize: 128, learningRate: 0.02, patience: opts.patience ?? 2 });
  const trained = await trainModel(options);
  const report = evaluate(trained.model, options.X, ds.y, ds.returns, validationFrom, ds.n);
  trained.model.dispose();
  const decision = passesPromotionRule({
    candidate: report.classification,
    baseline: report.baseline,
    threshold: opts.threshold,
    minValidationRows: MIN_VALIDATION_ROWS,
  });
  return { ds, report, decision, validationFrom };
}

describe('the promotion gate on trained models', () => {
  it('refuses models trained on pure noise: at most 1 % of 200 seeded trainings promoted, threshold at the class ratio', async () => {
    const runs = 200;
    let promoted = 0;
    let aboveThreshold = 0;
    const started = Date.now();
    for (let seed = 1; seed <= runs; seed++) {
      // Balanced coin-flip labels: the class ratio is 0.5, and so is the threshold; only the intervals can refuse.
      const { report, decision } = await trainAndJudge(seed, { n: 900, nFeatures: 8, pureNoise: true, threshold: 0.5, modelType: 'logistic', epochs: 3 });
      if (report.classification.accuracy > 0.5) aboveThreshold++;
      if (decision.promote) promoted++;
    }
    process.stdout.write(
      `noise gate: ${promoted} of ${runs} promoted; ${aboveThreshold} had a point accuracy above the 0.5 threshold (${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
    );
    // Point accuracy alone would pass about half of them: the intervals do the refusing.
    expect(aboveThreshold).toBeGreaterThan(runs * 0.3);
    expect(promoted).toBeLessThanOrEqual(runs * 0.01);
  });

  // The MLP's dropout is unseeded (tfjs re-seeds it per call), so this run is not bit-for-bit repeatable: on
  // 4,000 rows the model landed 1.3-2.6 points under the rule, on 8,000 rows (2,000 validation rows) 0.7-1.6
  // points under it over ten runs. 3 points leaves room for that spread and still fails a model that missed the rule.
  it('promotes a model of a planted rule, within 3 points of the rule itself on the same validation rows', async () => {
    const { ds, report, decision, validationFrom } = await trainAndJudge(11, { n: 8_000, nFeatures: 12, threshold: 0.75, modelType: 'mlp', epochs: 12, patience: 3 });
    const ceiling = ruleAccuracy(ds, validationFrom, ds.n);
    process.stdout.write(`planted rule: model ${report.classification.accuracy.toFixed(4)}, the rule itself ${ceiling.toFixed(4)} on the same ${ds.n - validationFrom} rows\n`);
    expect(report.classification.accuracy).toBeGreaterThanOrEqual(ceiling - 0.03);
    expect(decision.reasons.join('\n')).toContain('95 % lower bound meets threshold');
    expect(decision.promote).toBe(true);
  });
});
