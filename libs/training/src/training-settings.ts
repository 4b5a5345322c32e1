import type { LabelOptions } from '@model-service/features';
import type { ModelType } from '@model-service/ml';

import type { TrainingEnv } from './training.env';

/** Everything a training run needs to know, derived once from the environment (plain data, logged with each run). */
export interface TrainingSettings {
  modelType: ModelType;
  epochs: number;
  batchSize: number;
  learningRate: number;
  patience: number;
  validationFraction: number;
  classWeighting: boolean;
  minDatasetSize: number;
  datasetReaders: number;
  maxDurationMs: number;
  decisionThreshold: number;
  accuracyThreshold: number;
  minValidationRows: number;
  /** Train/validation embargo on signal time, ms. */
  embargoMs: number;
  labels: Pick<LabelOptions, 'horizonMs' | 'exitFeeRate' | 'minReturn'>;
  online: { epochs: number; learningRate: number; minRows: number };
}

export function trainingSettingsOf(env: TrainingEnv): TrainingSettings {
  return {
    modelType: env.MODEL_TYPE,
    epochs: env.MODEL_TRAINING_EPOCHS,
    batchSize: env.MODEL_TRAINING_BATCH_SIZE,
    learningRate: env.MODEL_TRAINING_LEARNING_RATE,
    patience: env.MODEL_TRAINING_PATIENCE,
    validationFraction: env.MODEL_TRAINING_VALIDATION_FRACTION,
    classWeighting: env.MODEL_TRAINING_CLASS_WEIGHTING,
    minDatasetSize: env.MODEL_TRAINING_MIN_DATASET_SIZE,
    datasetReaders: env.MODEL_TRAINING_DATASET_READERS,
    maxDurationMs: env.MODEL_TRAINING_MAX_DURATION_SECONDS * 1000,
    decisionThreshold: env.MODEL_DECISION_THRESHOLD,
    accuracyThreshold: env.MODEL_QUALITY_THRESHOLD_ACCURACY,
    minValidationRows: env.MODEL_PROMOTION_MIN_VALIDATION_ROWS,
    embargoMs: (env.MODEL_TRAINING_EMBARGO_SECONDS ?? env.MODEL_TRAINING_LABEL_HORIZON_SECONDS) * 1000,
    labels: {
      horizonMs: env.MODEL_TRAINING_LABEL_HORIZON_SECONDS * 1000,
      exitFeeRate: env.MODEL_TRAINING_EXIT_FEE_RATE,
      minReturn: env.MODEL_TRAINING_MIN_RETURN,
    },
    online: {
      epochs: env.MODEL_ONLINE_UPDATE_EPOCHS,
      learningRate: env.MODEL_ONLINE_UPDATE_LEARNING_RATE,
      minRows: env.MODEL_ONLINE_UPDATE_THRESHOLD,
    },
  };
}
