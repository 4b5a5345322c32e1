import { Dataset, parseNormalizationStats } from '@model-service/features';
import { evaluate, EvaluationReport, initTensorflow, loadModelVersion, modelFromArtifacts, ModelArtifactsData } from '@model-service/ml';

import { normalizedValidation, SplitPlan } from './training-split';

/** Scores a freshly trained model (its artifacts) on rows `[from, to)` of the normalised arrays it was trained with. */
export async function scoreArtifacts(
  artifacts: ModelArtifactsData,
  data: { X: Float32Array; y: Float32Array; returns: Float32Array },
  from: number,
  to: number,
  threshold: number,
): Promise<EvaluationReport> {
  await initTensorflow();
  const model = await modelFromArtifacts(artifacts);
  try {
    return evaluate(model, data.X, data.y, data.returns, from, to, { threshold });
  } finally {
    model.dispose();
  }
}

/**
 * Scores a stored version (checksums and feature set verified) on the validation rows of a raw dataset,
 * normalised with that version's own statistics: the same held-out data a candidate is scored on. The
 * majority baseline is fitted on the plan's training rows (or on the scored rows when there are none).
 */
export async function scoreStoredVersion(dir: string, dataset: Dataset, plan: SplitPlan, threshold: number): Promise<EvaluationReport> {
  const loaded = await loadModelVersion(dir, { feature_set_version: dataset.feature_set_version, feature_names: dataset.names });
  try {
    const X = normalizedValidation(dataset, plan, parseNormalizationStats(loaded.normalization));
    const rows = plan.n - plan.validationStart;
    const y = dataset.y.subarray(plan.validationStart, plan.n);
    const returns = dataset.returns.subarray(plan.validationStart, plan.n);
    const yTrain = plan.trainEnd > 0 ? dataset.y.subarray(0, plan.trainEnd) : undefined;
    return evaluate(loaded.model, X, y, returns, 0, rows, { threshold, yTrain });
  } finally {
    loaded.model.dispose();
  }
}
