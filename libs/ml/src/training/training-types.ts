import type { ModelArtifactsData } from '../model/model-artifacts';
import type { ModelOptions, ModelType } from '../model/model-factory';

/** Anything with an `aborted` flag: an AbortSignal, or the worker's shared-memory flag. */
export interface AbortFlag {
  readonly aborted: boolean;
}

export interface TrainingProgress {
  epoch: number;
  epochs: number;
  /** Mean training loss of the epoch (class-weighted binary cross-entropy + L2). */
  loss: number;
  /** Unweighted binary cross-entropy on the validation split. */
  val_loss: number;
  /** Accuracy on the validation split at threshold 0.5. */
  val_accuracy: number;
  /** Remaining time if every epoch runs (early stopping can only make it shorter). */
  eta_seconds: number;
}

export interface EpochMetrics {
  epoch: number;
  loss: number;
  val_loss: number;
  val_accuracy: number;
  duration_ms: number;
}

/** The data and hyper-parameters of one run; plain data, so it can be posted to the training worker. */
export interface TrainingJob {
  /** Row-major features, `n * nFeatures` numbers, rows in time order (oldest first), already normalised. */
  X: Float32Array;
  /** Labels 0/1, one per row. */
  y: Float32Array;
  n: number;
  nFeatures: number;
  /** Rows `[0, validationFrom)` train, `[validationFrom, n)` validate (the most recent data). */
  validationFrom: number;
  modelType: ModelType;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Early stopping: stop after this many epochs without a better val_loss; the best epoch's weights are kept. */
  patience: number;
  /** 'balanced': weight each class by n / (2 * n_class) on the training split. */
  classWeight: 'balanced' | null;
  /** Seed for initialisation and per-epoch shuffling of the training split (default 42). */
  seed?: number;
  modelOptions?: ModelOptions;
  /**
   * Fine-tuning: start from this trained model (e.g. the active version's artifacts) instead of a freshly
   * initialised one of `modelType`; its input size must equal nFeatures and X must be normalised with the
   * statistics it was trained with.
   */
  initialModel?: ModelArtifactsData;
}

export interface TrainModelOptions extends TrainingJob {
  /** Checked between batches; when set the run throws TrainingCancelledError. */
  signal?: AbortFlag;
  onProgress?(p: TrainingProgress): void;
}

export interface TrainingSummary {
  history: EpochMetrics[];
  /** 1-based epoch whose weights the model holds (lowest val_loss). */
  bestEpoch: number;
  epochsRun: number;
  stoppedEarly: boolean;
  /** [weight of class 0, weight of class 1], or null without class weighting. */
  classWeights: [number, number] | null;
  trainRows: number;
  valRows: number;
  durationMs: number;
}
