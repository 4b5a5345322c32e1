import { BaseServiceEnv, EnvBoolean, EnvNumber, EnvString } from '@model-service/util';
import { IsIn } from 'class-validator';

/**
 * The environment variables of a training run: model, dataset, labels, promotion and online fine-tuning. The
 * trainer's environment extends it; the training bench and the dataset export read it on their own.
 */
export class TrainingEnv extends BaseServiceEnv {
  /** Fewest labelled executions a strategy needs before a training run trains (fewer = a recorded skip). */
  @EnvNumber({ type: 'integer', min: 2, max: 100_000_000 })
  MODEL_TRAINING_MIN_DATASET_SIZE = 1000;

  /** A training run taking longer than this many seconds is stopped and recorded as failed. */
  @EnvNumber({ type: 'number', min: 1, max: 604_800 })
  MODEL_TRAINING_MAX_DURATION_SECONDS = 1800;

  @EnvString() @IsIn(['logistic', 'mlp'])
  MODEL_TYPE: 'logistic' | 'mlp' = 'mlp';

  @EnvNumber({ type: 'integer', min: 1, max: 10_000 })
  MODEL_TRAINING_EPOCHS = 30;

  @EnvNumber({ type: 'integer', min: 1, max: 1_000_000 })
  MODEL_TRAINING_BATCH_SIZE = 1024;

  @EnvNumber({ type: 'number', min: 1e-7, max: 1 })
  MODEL_TRAINING_LEARNING_RATE = 0.001;

  /** Early stopping: epochs without a better validation loss before training stops. */
  @EnvNumber({ type: 'integer', min: 0, max: 1000 })
  MODEL_TRAINING_PATIENCE = 4;

  /** Most recent fraction of the dataset held out for validation (time-ordered, never shuffled). */
  @EnvNumber({ type: 'number', min: 0.05, max: 0.5 })
  MODEL_TRAINING_VALIDATION_FRACTION = 0.2;

  /** Time windows of a dataset read in parallel from PostgreSQL (the database sorts one while another is featurised). */
  @EnvNumber({ type: 'integer', min: 1, max: 16 })
  MODEL_TRAINING_DATASET_READERS = 2;

  /** Weight classes by n / (2 · n_class) on the training split. */
  @EnvBoolean()
  MODEL_TRAINING_CLASS_WEIGHTING = true;

  /** Every decision is labelled by the price move over this horizon after its execution (in the side's direction, net of fees), seconds. */
  @EnvNumber({ type: 'number', min: 0, max: 2_592_000 })
  MODEL_TRAINING_LABEL_HORIZON_SECONDS = 900;

  /** Gap between the last training signal and the first validation signal, seconds (unset = the label horizon). */
  @EnvNumber({ type: 'number', min: 0, max: 2_592_000, optional: true })
  MODEL_TRAINING_EMBARGO_SECONDS?: number;

  /** Fee rate of the closing trade assumed when marking to market (0.001 = 0.1 %). */
  @EnvNumber({ type: 'number', min: 0, max: 0.1 })
  MODEL_TRAINING_EXIT_FEE_RATE = 0.001;

  /** Net return (fraction) above which a trade counts as profitable. */
  @EnvNumber({ type: 'number', min: -1, max: 1 })
  MODEL_TRAINING_MIN_RETURN = 0;

  /** Probability at or above which the model's trade is taken (trading metrics, classification threshold). */
  @EnvNumber({ type: 'number', min: 0.01, max: 0.99 })
  MODEL_DECISION_THRESHOLD = 0.5;

  /** The lower bound of the 95 % interval of a candidate's held-out accuracy must reach this to be promoted (0..1). */
  @EnvNumber({ type: 'number', min: 0, max: 1 })
  MODEL_QUALITY_THRESHOLD_ACCURACY = 0.75;

  /** Fewest held-out (validation) rows a candidate is judged on; fewer and it is not promoted. */
  @EnvNumber({ type: 'integer', min: 1, max: 10_000_000 })
  MODEL_PROMOTION_MIN_VALIDATION_ROWS = 200;

  /** New executions since the active model's data that trigger a fine-tuning run. */
  @EnvNumber({ type: 'integer', min: 2, max: 10_000_000 })
  MODEL_ONLINE_UPDATE_THRESHOLD = 200;

  @EnvNumber({ type: 'integer', min: 1, max: 1000 })
  MODEL_ONLINE_UPDATE_EPOCHS = 5;

  @EnvNumber({ type: 'number', min: 1e-7, max: 1 })
  MODEL_ONLINE_UPDATE_LEARNING_RATE = 0.0003;
}
